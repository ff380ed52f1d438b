import type { Deps } from '../deps.js';
import { isCardAction, readEnvelope, type EventSink } from './envelope.js';
import { jsonTooDeep } from './jsonDepth.js';
import type { LarkCrypto } from './LarkCrypto.js';
import { safeError } from './safeError.js';
import {
  constantTimeEqual,
  decryptEvent,
  legacyCardSignatureValid,
  signatureValid,
  webLarkCrypto,
  type SignatureHeaders,
} from './verify.js';

// POST /lark/events and /lark/card. The core, answerLarkRequest, takes the raw bytes and the
// headers and gives a status and a JSON body, so each runtime brings the request its cheapest way:
// receiveLarkRequest (web Request in, Response out) serves workerd and the Hono app; Node's
// runtime reads node:http's buffers directly (runtime/nodeLarkListener.ts). Order matters: size,
// then the signature over the raw bytes, then parsing, decryption and the token; only then is
// anything stored. Every refusal names its reason in the log (with the event id when it is
// known), never a secret or the decrypted payload.

export const MAX_BODY_BYTES = 1024 * 1024;
/** Lark's events nest about 6 levels; anything past this is refused before it is walked. */
export const MAX_JSON_DEPTH = 64;
/** A signed request whose timestamp is further than this from now is refused (a replay). */
export const SIGNATURE_WINDOW_MS = 5 * 60_000;

export interface ReceiverOptions {
  maxBodyBytes?: number;
  /**
   * Wall time for the signature window, in ms. Not deps.clock: MINSHENG_NOW may pin that to a
   * past year for demos, while Lark's timestamps are today's.
   */
  wallNow?: () => number;
  /** Hashing and decryption (default WebCrypto; Node's runtime passes node:crypto's, synchronous). */
  crypto?: LarkCrypto;
}

/** A request as the core reads it: the body's bytes (null: larger than the cap) and its headers. */
export interface LarkRequest {
  body: Uint8Array | null;
  header(name: string): string | null;
}

/** What to answer: a status, a JSON body, and whether to close the connection (an unread body). */
export interface LarkAnswer {
  status: number;
  body: Record<string, unknown>;
  close?: boolean;
}

class Refusal {
  constructor(
    readonly status: 400 | 401 | 413,
    readonly reason: string,
    readonly eventId?: string,
  ) {}
}

/** The body of a web Request, or null as soon as it is known to be larger than `max`. */
async function readCapped(req: Request, max: number): Promise<Uint8Array | null> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > max) return null;
  // A declared length within the cap is the whole body (the HTTP parser delivers no more): read it
  // in one go. On Node that is @hono/node-server's direct read of the socket's buffers, without the
  // web-stream detour (a ReadableStream, a reader and a promise per chunk) a streamed read costs.
  if (Number.isFinite(declared)) return new Uint8Array(await req.arrayBuffer());
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

function parseJsonObject(text: string, reason: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Refusal(400, reason);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Refusal(400, reason);
  if (jsonTooDeep(v, MAX_JSON_DEPTH)) throw new Refusal(400, 'json_too_deep');
  return v as Record<string, unknown>;
}

async function handle(
  deps: Deps,
  req: LarkRequest,
  path: 'events' | 'card',
  sink: EventSink,
  opts: ReceiverOptions,
  ctx: { eventId?: string },
): Promise<LarkAnswer> {
  const { LARK_ENCRYPT_KEY: key, LARK_VERIFICATION_TOKEN: token } = deps.config;
  const c = opts.crypto ?? webLarkCrypto;
  const raw = req.body;
  if (raw === null) throw new Refusal(413, 'body_too_large');

  const sig: SignatureHeaders = {
    timestamp: req.header('x-lark-request-timestamp'),
    nonce: req.header('x-lark-request-nonce'),
    signature: req.header('x-lark-signature'),
  };
  // With an Encrypt Key, only its SHA-256 signature counts, for events and card callbacks alike.
  // The legacy card signature (SHA-1 over the verification token) is accepted only when no key is
  // set: the token travels in every event, so it cannot stand in for the key.
  let signed = false;
  if (sig.signature !== null) {
    signed =
      key !== undefined
        ? await signatureValid(sig, key, raw, c)
        : path === 'card' && token !== undefined && (await legacyCardSignatureValid(sig, token, raw, c));
    if (!signed && (key !== undefined || token !== undefined)) throw new Refusal(401, 'signature_invalid');
  }
  if (signed) {
    // A valid signature from long ago is a replay: refused before the inbox sees the event id.
    const ts = Number(sig.timestamp);
    const tsMs = ts > 1e11 ? ts : ts * 1000;
    const now = (opts.wallNow ?? Date.now)();
    if (!Number.isFinite(ts) || Math.abs(now - tsMs) > SIGNATURE_WINDOW_MS)
      throw new Refusal(401, 'timestamp_out_of_window');
  }

  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw new Refusal(400, 'bad_json');
  }
  let body = parseJsonObject(text, 'bad_json');
  if (typeof body.encrypt === 'string') {
    if (key === undefined) throw new Refusal(400, 'decrypt_failed_no_key');
    let plain: string;
    try {
      plain = await decryptEvent(body.encrypt, key, c);
    } catch {
      throw new Refusal(400, 'decrypt_failed');
    }
    body = parseJsonObject(plain, 'decrypt_failed');
  }

  const legacyId = path === 'card' ? `card-${(await c.sha256Hex([raw])).slice(0, 40)}` : undefined;
  const env = readEnvelope(body, legacyId);
  if (env.kind === 'invalid') throw new Refusal(400, env.reason);

  const tokenOk = (t: string | undefined) => token === undefined || (t !== undefined && constantTimeEqual(t, token));

  if (env.kind === 'challenge') {
    // Lark signs no url_verification; the token is the check.
    if (!tokenOk(env.token)) throw new Refusal(401, 'token_invalid');
    deps.log.info('lark_url_verification', {});
    return { status: 200, body: { challenge: env.challenge } };
  }

  const ev = env.event;
  if (key !== undefined && !signed) throw new Refusal(401, 'signature_missing', ev.eventId);
  if (ev.schema === 'card') {
    // The bare legacy callback carries a card token, not the verification token: its check is the
    // SHA-1 signature over the verification token (no key set), or the key's signature.
    if ((key !== undefined || token !== undefined) && !signed) throw new Refusal(401, 'signature_missing', ev.eventId);
  } else if (!tokenOk(ev.token)) {
    throw new Refusal(401, 'token_invalid', ev.eventId);
  }

  ctx.eventId = ev.eventId;
  if (isCardAction(ev)) return { status: 200, body: await sink.answerCard(ev) };
  await sink.accept(ev);
  return OK;
}

const OK: LarkAnswer = Object.freeze({ status: 200, body: Object.freeze({}) });
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Answers one request from Lark, as a web Response (workerd, the Hono app). */
export async function receiveLarkRequest(
  deps: Deps,
  req: Request,
  path: 'events' | 'card',
  sink: EventSink,
  opts: ReceiverOptions = {},
): Promise<Response> {
  let body: Uint8Array | null;
  try {
    body = await readCapped(req, opts.maxBodyBytes ?? MAX_BODY_BYTES);
  } catch (err) {
    // The client went away mid-body: nothing was read, nothing is stored.
    deps.log.warn('lark_request_refused', { reason: 'body_unreadable', status: 400, path, error: safeError(err) });
    return Response.json({ error: 'body_unreadable' }, { status: 400 });
  }
  const a = await answerLarkRequest(deps, { body, header: (n) => req.headers.get(n) }, path, sink, opts);
  return Response.json(a.body, { status: a.status, ...(a.close ? { headers: { connection: 'close' } } : {}) });
}

/**
 * Answers one request from Lark. Never throws: a refusal is a 4xx with a reason, a database
 * failure a 500 (Lark retries).
 */
export async function answerLarkRequest(
  deps: Deps,
  req: LarkRequest,
  path: 'events' | 'card',
  sink: EventSink,
  opts: ReceiverOptions = {},
): Promise<LarkAnswer> {
  const ctx: { eventId?: string } = {};
  try {
    return await handle(deps, req, path, sink, opts, ctx);
  } catch (err) {
    if (err instanceof Refusal) {
      deps.log.warn('lark_request_refused', {
        reason: err.reason,
        status: err.status,
        path,
        ...(err.eventId ? { eventId: err.eventId } : {}),
      });
      // An unread body (413) leaves the connection in an unknown state: close it.
      return { status: err.status, body: { error: err.reason }, ...(err.status === 413 ? { close: true } : {}) };
    }
    // A code only (see safeError): a database error's text carries the decrypted event.
    deps.log.error('lark_request_failed', {
      path,
      error: safeError(err),
      ...(ctx.eventId ? { eventId: ctx.eventId } : {}),
    });
    return { status: 500, body: { error: 'internal_error' } };
  }
}
