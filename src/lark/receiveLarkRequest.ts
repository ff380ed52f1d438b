import type { Deps } from '../deps.js';
import { isCardAction, readEnvelope, type EventSink } from './envelope.js';
import { jsonTooDeep } from './jsonDepth.js';
import { safeError } from './safeError.js';
import {
  constantTimeEqual,
  decryptEvent,
  legacyCardSignatureValid,
  sha256Hex,
  signatureValid,
  type SignatureHeaders,
} from './verify.js';

// POST /lark/events and /lark/card: web-standard Request in, Response out, so the same code serves
// Node and workerd. Order matters: size, then the signature over the raw bytes, then parsing,
// decryption and the token; only then is anything stored. Every refusal names its reason in the
// log (with the event id when it is known), never a secret or the decrypted payload.

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
}

class Refusal {
  constructor(
    readonly status: 400 | 401 | 413,
    readonly reason: string,
    readonly eventId?: string,
  ) {}
}

async function readCapped(req: Request, max: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > max) throw new Refusal(413, 'body_too_large');
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
      throw new Refusal(413, 'body_too_large');
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
  if (jsonTooDeep(text, MAX_JSON_DEPTH)) throw new Refusal(400, 'json_too_deep');
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Refusal(400, reason);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Refusal(400, reason);
  return v as Record<string, unknown>;
}

async function handle(
  deps: Deps,
  req: Request,
  path: 'events' | 'card',
  sink: EventSink,
  opts: ReceiverOptions,
  ctx: { eventId?: string },
): Promise<Response> {
  const { LARK_ENCRYPT_KEY: key, LARK_VERIFICATION_TOKEN: token } = deps.config;
  const raw = await readCapped(req, opts.maxBodyBytes ?? MAX_BODY_BYTES);

  const sig: SignatureHeaders = {
    timestamp: req.headers.get('x-lark-request-timestamp'),
    nonce: req.headers.get('x-lark-request-nonce'),
    signature: req.headers.get('x-lark-signature'),
  };
  // With an Encrypt Key, only its SHA-256 signature counts, for events and card callbacks alike.
  // The legacy card signature (SHA-1 over the verification token) is accepted only when no key is
  // set: the token travels in every event, so it cannot stand in for the key.
  let signed = false;
  if (sig.signature !== null) {
    signed =
      key !== undefined
        ? await signatureValid(sig, key, raw)
        : path === 'card' && token !== undefined && (await legacyCardSignatureValid(sig, token, raw));
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
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(raw);
  } catch {
    throw new Refusal(400, 'bad_json');
  }
  let body = parseJsonObject(text, 'bad_json');
  if (typeof body.encrypt === 'string') {
    if (key === undefined) throw new Refusal(400, 'decrypt_failed_no_key');
    let plain: string;
    try {
      plain = await decryptEvent(body.encrypt, key);
    } catch {
      throw new Refusal(400, 'decrypt_failed');
    }
    body = parseJsonObject(plain, 'decrypt_failed');
  }

  const legacyId = path === 'card' ? `card-${(await sha256Hex(raw)).slice(0, 40)}` : undefined;
  const env = readEnvelope(body, legacyId);
  if (env.kind === 'invalid') throw new Refusal(400, env.reason);

  const tokenOk = (t: string | undefined) => token === undefined || (t !== undefined && constantTimeEqual(t, token));

  if (env.kind === 'challenge') {
    // Lark signs no url_verification; the token is the check.
    if (!tokenOk(env.token)) throw new Refusal(401, 'token_invalid');
    deps.log.info('lark_url_verification', {});
    return Response.json({ challenge: env.challenge });
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
  if (isCardAction(ev)) return Response.json(await sink.answerCard(ev));
  await sink.accept(ev);
  return Response.json({});
}

/** Answers one request from Lark. Never throws: a refusal is a 4xx with a reason, a database failure a 500 (Lark retries). */
export async function receiveLarkRequest(
  deps: Deps,
  req: Request,
  path: 'events' | 'card',
  sink: EventSink,
  opts: ReceiverOptions = {},
): Promise<Response> {
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
      return Response.json(
        { error: err.reason },
        { status: err.status, ...(err.status === 413 ? { headers: { connection: 'close' } } : {}) },
      );
    }
    // A code only (see safeError): a database error's text carries the decrypted event.
    deps.log.error('lark_request_failed', {
      path,
      error: safeError(err),
      ...(ctx.eventId ? { eventId: ctx.eventId } : {}),
    });
    return Response.json({ error: 'internal_error' }, { status: 500 });
  }
}
