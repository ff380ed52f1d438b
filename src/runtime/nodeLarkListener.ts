import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Deps } from '../deps.js';
import type { EventSink } from '../lark/envelope.js';
import {
  answerLarkRequest,
  MAX_BODY_BYTES,
  type LarkAnswer,
  type ReceiverOptions,
} from '../lark/receiveLarkRequest.js';

const PATHS: Record<string, 'events' | 'card'> = { '/lark/events': 'events', '/lark/card': 'card' };

/**
 * Lark's two POST routes on node:http directly, before the Hono app: the body is node's own
 * buffers concatenated once, the answer one write. Through @hono/node-server the same request
 * became a web Request, a body stream and a Response, which cost more than verifying and storing
 * the event. The handling itself is the shared core (answerLarkRequest), as on Workers. Returns
 * false for any other request (the caller hands it to the app).
 */
export function nodeLarkListener(
  deps: Deps,
  sink: EventSink,
  opts: ReceiverOptions = {},
  /** Told of each Lark request from its start until its answer is written or the client is gone. */
  inFlight?: { enter(): void; leave(): void },
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const max = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  return (req, res) => {
    if (req.method !== 'POST') return false;
    const q = req.url?.indexOf('?') ?? -1;
    const path = PATHS[q < 0 ? (req.url ?? '') : (req.url ?? '').slice(0, q)];
    if (!path) return false;
    if (inFlight) {
      inFlight.enter();
      res.once('close', () => inFlight.leave());
    }
    const header = (name: string): string | null => {
      const v = req.headers[name];
      return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
    };
    const answer = (body: Uint8Array | null) => {
      answerLarkRequest(deps, { body, header }, path, sink, opts).then(
        (a) => send(res, a),
        // answerLarkRequest never throws; should it, the connection is not left hanging.
        () => send(res, { status: 500, body: { error: 'internal_error' } }),
      );
    };
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    if (Number.isFinite(declared) && declared > max) {
      answer(null);
      return true;
    }
    const parts: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > max) {
        over = true;
        parts.length = 0;
        answer(null);
        return;
      }
      parts.push(chunk);
    });
    req.on('end', () => {
      if (!over) answer(parts.length === 1 ? parts[0]! : Buffer.concat(parts, size));
    });
    // A client that goes away mid-body: nothing was read, nothing is stored, nobody to answer.
    req.on('error', () => {});
    return true;
  };
}

function send(res: ServerResponse, a: LarkAnswer): void {
  if (res.headersSent || res.destroyed) return;
  const json = JSON.stringify(a.body);
  res.writeHead(a.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
    ...(a.close ? { connection: 'close' } : {}),
  });
  res.end(json);
}
