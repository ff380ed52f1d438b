import { createServer } from 'node:http';
import * as lark from '@larksuiteoapi/node-sdk';

// The peer for the ingest benchmark: the Node SDK's own EventDispatcher on node:http, with the same
// encrypt key and token, handling the same events (it does no storage: its handler only counts).
const encryptKey = process.env.LARK_ENCRYPT_KEY ?? '';
const verificationToken = process.env.LARK_VERIFICATION_TOKEN ?? '';
let handled = 0;
const dispatcher = new lark.EventDispatcher({
  encryptKey,
  verificationToken,
  loggerLevel: lark.LoggerLevel.error,
}).register({
  'im.message.receive_v1': async () => {
    handled++;
  },
});
const server = createServer(lark.adaptDefault('/lark/events', dispatcher, { autoChallenge: true }));
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(
    `${JSON.stringify({ code: 'listening', port: typeof addr === 'object' && addr ? addr.port : 0 })}\n`,
  );
});
process.on('SIGTERM', () => {
  process.stderr.write(`handled ${handled}\n`);
  server.close(() => process.exit(0));
});
