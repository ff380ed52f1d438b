import * as lark from '@larksuiteoapi/node-sdk';
import { type DeliverOptions, LarkApiError, type LarkApi, type OutgoingMessage, type UploadFile } from './LarkApi.js';
import type { LarkApiOptions } from './FetchLarkApi.js';
import { TOKEN_INVALID_CODES, larkError, networkError, rateKey, requestFor } from './larkErrors.js';
import { withDeadline } from './withDeadline.js';
import { RateLimiter } from './RateLimiter.js';
import { uploadFile } from './uploadFile.js';
import { errorMessage } from '../errors.js';

// The Open API through @larksuiteoapi/node-sdk's Client (Node). The SDK fetches and caches the
// tenant token (refreshing 3 minutes before expiry); the cache is per instance, not the SDK's
// process-global one, so two apps (or two tests) never share a token. The SDK throws axios errors:
// they are turned into LarkApiError here so the outbox sees the same thing on every runtime.

/** The SDK's Cache interface, plus clear() to drop a token Lark called invalid. */
// The SDK types its cache keys with the boxed `Symbol`, so this class must too.
// biome-ignore-start lint/complexity/noBannedTypes: the SDK's Cache interface says Symbol
class TokenCache {
  private readonly values = new Map<string, { value: unknown; expiresAt?: number }>();
  private key(k: string | Symbol, ns?: string): string {
    return `${ns ?? ''}/${String(k)}`;
  }
  async get(k: string | Symbol, o?: { namespace?: string }): Promise<unknown> {
    const v = this.values.get(this.key(k, o?.namespace));
    return v && (!v.expiresAt || v.expiresAt > Date.now()) ? v.value : undefined;
  }
  async set(k: string | Symbol, value: unknown, expiresAt?: number, o?: { namespace?: string }): Promise<boolean> {
    this.values.set(this.key(k, o?.namespace), { value, ...(expiresAt ? { expiresAt } : {}) });
    return true;
  }
  clear(): void {
    this.values.clear();
  }
}
// biome-ignore-end lint/complexity/noBannedTypes: the SDK's Cache interface says Symbol

// The SDK logs whole axios errors (request config included); keep them out of our logs.
const quietLogger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };

interface AxiosLikeError {
  response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
  message?: string;
}

export class SdkLarkApi implements LarkApi {
  readonly client: lark.Client;
  private readonly cache = new TokenCache();
  private readonly limiter: RateLimiter;
  private bot: Promise<string | undefined> | undefined;

  constructor(private readonly opts: LarkApiOptions) {
    this.limiter = opts.limiter ?? new RateLimiter();
    this.client = new lark.Client({
      appId: opts.appId,
      appSecret: opts.appSecret,
      domain: opts.baseUrl,
      cache: this.cache,
      logger: quietLogger,
      loggerLevel: lark.LoggerLevel.fatal,
    });
  }

  private async request(
    method: 'POST' | 'PATCH' | 'GET',
    path: string,
    body: unknown,
    query: Record<string, string> | undefined,
    what: string,
  ): Promise<Record<string, unknown>> {
    let res: unknown;
    try {
      res = await this.client.request({
        method,
        url: path.replace(/^\//, ''),
        data: body,
        params: query,
        timeout: this.opts.timeoutMs ?? 15_000,
      } as never);
    } catch (err) {
      const e = err as AxiosLikeError;
      if (!e?.response) {
        if (
          err instanceof Error &&
          /tenant_access_token|token/i.test(err.message) &&
          !/ECONN|timeout|socket/i.test(err.message)
        ) {
          throw new LarkApiError(
            `${what}: tenant token refused (${err.message.slice(0, 200)})`,
            undefined,
            undefined,
            false,
          );
        }
        throw networkError(what, err);
      }
      const data = (e.response.data ?? {}) as Record<string, unknown>;
      const reset = e.response.headers?.['x-ogw-ratelimit-reset'];
      throw larkError(
        what,
        e.response.status,
        typeof data.code === 'number' ? data.code : undefined,
        typeof data.msg === 'string' ? data.msg : undefined,
        reset === undefined ? undefined : String(reset),
      );
    }
    // Success is a JSON object with code 0. Anything else (an empty or non-JSON 200 from a proxy,
    // a body without a code) is a failure to retry: taking it as sent would lose the message.
    const json = (res && typeof res === 'object' ? res : {}) as Record<string, unknown>;
    if (json.code !== 0)
      throw larkError(
        what,
        200,
        typeof json.code === 'number' ? json.code : undefined,
        typeof json.msg === 'string' ? json.msg : 'not a Lark answer',
      );
    return json;
  }

  deliver(message: OutgoingMessage, uuid: string, opts: DeliverOptions = {}): Promise<{ messageId?: string }> {
    return this.limiter.run(rateKey(message), () => {
      const call = this.deliverNow(message, uuid);
      return opts.deadlineMs === undefined ? call : withDeadline(call, opts.deadlineMs, message.kind);
    });
  }

  private async deliverNow(message: OutgoingMessage, uuid: string): Promise<{ messageId?: string }> {
    const r = requestFor(message, uuid);
    const attempt = async () => {
      const json = await this.request(r.method, r.path, r.body, r.query, message.kind);
      const id = (json.data as Record<string, unknown> | undefined)?.message_id;
      return typeof id === 'string' ? { messageId: id } : {};
    };
    try {
      return await attempt();
    } catch (err) {
      if (err instanceof LarkApiError && err.code !== undefined && TOKEN_INVALID_CODES.has(err.code)) {
        this.cache.clear(); // the SDK fetches a fresh token on the next call
        return attempt();
      }
      throw err;
    }
  }

  /** Uploads a file for a file message, with the SDK's tenant token (see uploadFile for why not the SDK's call). */
  async uploadFile(file: UploadFile): Promise<string> {
    const token = async () => {
      try {
        return await this.client.tokenManager.getTenantAccessToken();
      } catch (err) {
        throw new LarkApiError(
          `file_upload: tenant token refused (${errorMessage(err).slice(0, 200)})`,
          undefined,
          undefined,
          false,
        );
      }
    };
    try {
      return await uploadFile(this.opts.baseUrl, await token(), file, { timeoutMs: 60_000 });
    } catch (err) {
      if (err instanceof LarkApiError && err.code !== undefined && TOKEN_INVALID_CODES.has(err.code)) {
        this.cache.clear();
        return uploadFile(this.opts.baseUrl, await token(), file, { timeoutMs: 60_000 });
      }
      throw err;
    }
  }

  botOpenId(): Promise<string | undefined> {
    this.bot ??= this.request('GET', '/open-apis/bot/v3/info', undefined, undefined, 'bot_info').then(
      (json) => {
        const id = (json.bot as Record<string, unknown> | undefined)?.open_id;
        return typeof id === 'string' ? id : undefined;
      },
      () => {
        this.bot = undefined;
        return undefined;
      },
    );
    return this.bot;
  }
}
