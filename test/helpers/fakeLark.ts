import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A fake Lark Open API on loopback, real HTTP, for the SDK and the bot to talk to. It issues tenant
// tokens, sends, replies and updates messages, answers /bot/v3/info, enforces Lark's rate limits
// (50/s per app, 5/s per user or chat: 429 + code 99991400/230020 + x-ogw-ratelimit-reset), honours
// uuid idempotency (the same uuid within 1 h is the same message, not a second one), and can be
// told to fail: 429 for a while, 500, slow answers, permanent error codes, invalid tokens.
// `requests` records every call; `messages` only what was actually delivered.

export interface FakeRequest {
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
  authorization?: string;
  status: number;
  code: number;
}

export interface FakeMessage {
  messageId: string;
  kind: 'send' | 'reply' | 'update';
  uuid?: string;
  receiveIdType?: string;
  /** receive_id for a send, the message replied to / updated otherwise. */
  target: string;
  msgType?: string;
  content: string;
  at: number;
}

export interface FakeFile {
  fileKey: string;
  fileType: string;
  fileName: string;
  bytes: Buffer;
}

/** What the fake does instead of answering normally. */
export type Fault =
  | { kind: 'rate_limit'; resetSec?: number; code?: 99991400 | 230020 }
  | { kind: 'server_error'; status?: number }
  | { kind: 'error_code'; code: number; status?: number; msg?: string }
  | { kind: 'slow'; ms: number }
  | { kind: 'drop' }
  /** HTTP 200 with an empty body, or with a body that is not JSON (a proxy's page): not a Lark success. */
  | { kind: 'empty_ok' }
  | { kind: 'not_json_ok' }
  /** Holds the call (no answer) until `release` settles, then answers normally. */
  | { kind: 'hold'; release: Promise<unknown> };

export interface FakeLarkOptions {
  appId?: string;
  appSecret?: string;
  botOpenId?: string;
  tokenTtlSec?: number;
  perAppPerSecond?: number;
  perTargetPerSecond?: number;
}

export interface FakeLark {
  url: string;
  appId: string;
  appSecret: string;
  botOpenId: string;
  requests: FakeRequest[];
  messages: FakeMessage[];
  tokensIssued: string[];
  /** Files uploaded through im/v1/files, by file_key (a file message must name one of these). */
  files: Map<string, FakeFile>;
  /** Answer the next `n` message calls (send/reply/update) with `fault`. */
  failNext(n: number, fault: Fault): void;
  /** Decide per call (return undefined to answer normally); replaces failNext's queue while set. */
  setFault(
    fn: ((req: { method: string; path: string; body: Record<string, unknown> }) => Fault | undefined) | undefined,
  ): void;
  /** Every token issued so far becomes invalid (answers 99991663), as after a secret rotation. */
  invalidateTokens(): void;
  /** Says which chat a message (one a user sent) is in, so replies to it count against that chat's limit. */
  setChatOfMessage(messageId: string, chatId: string): void;
  /** Message calls refused by the rate limiter so far. */
  rateLimited(): number;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
};

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  // A file upload is multipart: kept as bytes, read by the im/v1/files route.
  if (/^multipart\//.test(req.headers['content-type'] ?? '')) return { __multipart: Buffer.concat(chunks) };
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { __invalid: text };
  }
}

export async function startFakeLark(opts: FakeLarkOptions = {}): Promise<FakeLark> {
  const appId = opts.appId ?? 'cli_a1b2c3d4e5f60718';
  const appSecret = opts.appSecret ?? 'fake-app-secret-0123456789';
  const botOpenId = opts.botOpenId ?? 'ou_bot_0000000000000000000000000';
  const perApp = opts.perAppPerSecond ?? 50;
  const perTarget = opts.perTargetPerSecond ?? 5;

  const requests: FakeRequest[] = [];
  const messages: FakeMessage[] = [];
  const tokensIssued: string[] = [];
  const files = new Map<string, FakeFile>();
  const validTokens = new Set<string>();
  const byUuid = new Map<string, { message: FakeMessage; at: number }>();
  const chatOfMessage = new Map<string, string>();
  const appWindow: number[] = [];
  const targetWindows = new Map<string, number[]>();
  let faults: Fault[] = [];
  let faultFn: Parameters<FakeLark['setFault']>[0];
  let limited = 0;
  let seq = 0;

  const overLimit = (window: number[], limit: number, now: number) => {
    while (window.length > 0 && now - (window[0] as number) >= 1000) window.shift();
    return window.length >= limit;
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const body = await readBody(req);
      const method = req.method ?? 'GET';
      const path = url.pathname;
      // What was delivered, for tests that run outside this process (the Worker suite in workerd).
      if (method === 'GET' && path === '/__fake/messages') return json(res, 200, { messages });
      const rec: FakeRequest = {
        at: Date.now(),
        method,
        path,
        query: Object.fromEntries(url.searchParams),
        body,
        authorization: req.headers.authorization,
        status: 200,
        code: 0,
      };
      requests.push(rec);
      const answer = (status: number, b: Record<string, unknown>, headers?: Record<string, string>) => {
        rec.status = status;
        rec.code = typeof b.code === 'number' ? b.code : 0;
        json(res, status, b, headers);
      };

      if (method === 'POST' && path === '/open-apis/auth/v3/tenant_access_token/internal') {
        if (body.app_id !== appId || body.app_secret !== appSecret)
          return answer(400, { code: 10014, msg: 'app secret invalid' });
        const token = `t-fake-${++seq}-${Math.random().toString(36).slice(2, 10)}`;
        tokensIssued.push(token);
        validTokens.add(token);
        return answer(200, { code: 0, msg: 'ok', tenant_access_token: token, expire: opts.tokenTtlSec ?? 7200 });
      }

      const token = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
      if (!validTokens.has(token))
        return answer(400, {
          code: 99991663,
          msg: 'Invalid access token for authorization. Please make a request with token attached.',
        });

      if (method === 'GET' && path === '/open-apis/bot/v3/info') {
        return answer(200, {
          code: 0,
          msg: 'ok',
          bot: { open_id: botOpenId, app_name: 'minsheng-fake', activate_status: 2 },
        });
      }

      if (method === 'POST' && path === '/open-apis/im/v1/files') {
        const raw = body.__multipart;
        if (!Buffer.isBuffer(raw))
          return answer(400, { code: 234001, msg: 'fake lark: file upload must be multipart/form-data' });
        const form = await new Response(new Uint8Array(raw), {
          headers: { 'content-type': String(req.headers['content-type']) },
        }).formData();
        const file: unknown = form.get('file');
        const fileType = String(form.get('file_type') ?? '');
        const fileName = String(form.get('file_name') ?? '');
        if (!(file instanceof Blob) || file.size === 0)
          return answer(400, { code: 234001, msg: 'fake lark: no file or an empty file' });
        if (!['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream'].includes(fileType) || !fileName)
          return answer(400, { code: 234001, msg: 'fake lark: bad file_type or file_name' });
        if (file.size > 30 * 1024 * 1024)
          return answer(400, { code: 234006, msg: 'fake lark: file larger than 30 MB' });
        const fileKey = `file_v3_fake_${++seq}`;
        files.set(fileKey, { fileKey, fileType, fileName, bytes: Buffer.from(await file.arrayBuffer()) });
        return answer(200, { code: 0, msg: 'success', data: { file_key: fileKey } });
      }

      const send = method === 'POST' && path === '/open-apis/im/v1/messages';
      const reply = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/.exec(path);
      const update = method === 'PATCH' ? /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(path) : null;
      if (!send && !(method === 'POST' && reply) && !update)
        return answer(404, { code: 404, msg: `fake lark: no route ${method} ${path}` });

      const fault = faultFn ? faultFn({ method, path, body }) : faults.shift();
      if (fault) {
        switch (fault.kind) {
          case 'rate_limit':
            limited++;
            return answer(
              429,
              { code: fault.code ?? 99991400, msg: 'request trigger frequency limit' },
              { 'x-ogw-ratelimit-reset': String(fault.resetSec ?? 1) },
            );
          case 'server_error':
            return answer(fault.status ?? 500, { code: 1, msg: 'internal error' });
          case 'error_code':
            return answer(fault.status ?? 400, { code: fault.code, msg: fault.msg ?? `fake error ${fault.code}` });
          case 'slow':
            await new Promise((r) => setTimeout(r, fault.ms));
            break;
          case 'drop':
            req.socket.destroy();
            return;
          case 'empty_ok':
            rec.status = 200;
            rec.code = -1;
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end();
            return;
          case 'not_json_ok':
            rec.status = 200;
            rec.code = -1;
            res.writeHead(200, { 'content-type': 'text/html' });
            res.end('<html>ok</html>');
            return;
          case 'hold':
            await fault.release;
            break;
        }
      }

      const now = Date.now();
      const targetKey = send
        ? String(body.receive_id)
        : (chatOfMessage.get((reply ?? update)?.[1] ?? '') ?? `message:${(reply ?? update)?.[1]}`);
      const tw = targetWindows.get(targetKey) ?? [];
      targetWindows.set(targetKey, tw);
      if (overLimit(appWindow, perApp, now)) {
        limited++;
        return answer(429, { code: 99991400, msg: 'app rate limit' }, { 'x-ogw-ratelimit-reset': '1' });
      }
      if (overLimit(tw, perTarget, now)) {
        limited++;
        return answer(400, { code: 230020, msg: 'target rate limit' }, { 'x-ogw-ratelimit-reset': '1' });
      }
      appWindow.push(now);
      tw.push(now);

      const uuid = typeof body.uuid === 'string' && body.uuid ? body.uuid : undefined;
      if (uuid) {
        const prior = byUuid.get(uuid);
        if (prior && now - prior.at < 3600_000) {
          return answer(200, {
            code: 0,
            msg: 'success',
            data: {
              message_id: prior.message.messageId,
              msg_type: prior.message.msgType,
              content: prior.message.content,
            },
          });
        }
      }
      if (update) {
        const m: FakeMessage = {
          messageId: update[1] as string,
          kind: 'update',
          target: update[1] as string,
          content: String(body.content ?? ''),
          at: now,
        };
        messages.push(m);
        return answer(200, { code: 0, msg: 'success', data: {} });
      }
      if (body.msg_type === 'file') {
        let key: unknown;
        try {
          key = (JSON.parse(String(body.content)) as { file_key?: unknown }).file_key;
        } catch {
          /* judged below */
        }
        if (typeof key !== 'string' || !files.has(key))
          return answer(400, { code: 230001, msg: 'fake lark: file message names no uploaded file_key' });
      }
      const messageId = `om_fake_${++seq}`;
      const m: FakeMessage = send
        ? {
            messageId,
            kind: 'send',
            uuid,
            receiveIdType: url.searchParams.get('receive_id_type') ?? undefined,
            target: String(body.receive_id),
            msgType: String(body.msg_type),
            content: String(body.content ?? ''),
            at: now,
          }
        : {
            messageId,
            kind: 'reply',
            uuid,
            target: (reply as RegExpExecArray)[1] as string,
            msgType: String(body.msg_type),
            content: String(body.content ?? ''),
            at: now,
          };
      messages.push(m);
      if (uuid) byUuid.set(uuid, { message: m, at: now });
      if (send && url.searchParams.get('receive_id_type') === 'chat_id')
        chatOfMessage.set(messageId, String(body.receive_id));
      return answer(200, {
        code: 0,
        msg: 'success',
        data: {
          message_id: messageId,
          msg_type: m.msgType,
          content: m.content,
          chat_id: send ? body.receive_id : undefined,
        },
      });
    })().catch((err: unknown) => {
      if (!res.headersSent) json(res, 500, { code: 1, msg: `fake lark crashed: ${String(err)}` });
    });
  });

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    appId,
    appSecret,
    botOpenId,
    requests,
    messages,
    tokensIssued,
    files,
    failNext: (n, fault) => {
      for (let i = 0; i < n; i++) faults.push(fault);
    },
    setFault: (fn) => {
      faultFn = fn;
      if (!fn) faults = [];
    },
    invalidateTokens: () => validTokens.clear(),
    rateLimited: () => limited,
    setChatOfMessage: (messageId, chatId) => {
      chatOfMessage.set(messageId, chatId);
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
