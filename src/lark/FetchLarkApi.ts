import { type DeliverOptions, LarkApiError, type LarkApi, type OutgoingMessage, type UploadFile } from './LarkApi.js';
import { TOKEN_INVALID_CODES, larkError, networkError, rateKey, requestFor } from './larkErrors.js';
import { withDeadline } from './withDeadline.js';
import { RateLimiter } from './RateLimiter.js';
import { uploadFile } from './uploadFile.js';

// The Open API over plain fetch: what the Worker uses (see createLarkApi for why), and usable on
// Node too. Holds the tenant token per instance and refreshes it 5 minutes before it expires.

export interface LarkApiOptions {
  appId: string;
  appSecret: string;
  baseUrl: string;
  limiter?: RateLimiter;
  timeoutMs?: number;
  now?: () => number;
  fetch?: typeof fetch;
}

const REFRESH_EARLY_MS = 5 * 60_000;

export class FetchLarkApi implements LarkApi {
  private token: { value: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;
  private bot: Promise<string | undefined> | undefined;
  private readonly limiter: RateLimiter;
  private readonly now: () => number;
  private readonly fetch: typeof fetch;

  constructor(private readonly opts: LarkApiOptions) {
    this.limiter = opts.limiter ?? new RateLimiter();
    this.now = opts.now ?? Date.now;
    this.fetch = opts.fetch ?? ((input, init) => fetch(input, init));
  }

  private async call(
    method: string,
    path: string,
    body: unknown,
    query: Record<string, string> | undefined,
    auth: string | undefined,
    what: string,
  ): Promise<{ data: Record<string, unknown> }> {
    const url = `${this.opts.baseUrl}${path}${query ? `?${new URLSearchParams(query)}` : ''}`;
    let res: Response;
    try {
      res = await this.fetch(url, {
        method,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          ...(auth ? { authorization: `Bearer ${auth}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15_000),
      });
    } catch (err) {
      throw networkError(what, err);
    }
    let json: Record<string, unknown> = {};
    try {
      const v: unknown = await res.json();
      if (v && typeof v === 'object') json = v as Record<string, unknown>;
    } catch {
      /* not JSON: a failure, whatever the status */
    }
    const code = typeof json.code === 'number' ? json.code : undefined;
    // Success is a JSON answer with code 0; an empty or non-JSON 200 is a failure to retry.
    if (!res.ok || code !== 0) {
      throw larkError(
        what,
        res.status,
        code,
        typeof json.msg === 'string' ? json.msg : res.ok ? 'not a Lark answer' : undefined,
        res.headers.get('x-ogw-ratelimit-reset'),
      );
    }
    return { data: json };
  }

  /** The tenant token, fetched once and shared by concurrent callers; `force` refetches it. */
  async tenantToken(force = false): Promise<string> {
    if (!force && this.token && this.token.expiresAt - REFRESH_EARLY_MS > this.now()) return this.token.value;
    this.pending ??= (async () => {
      try {
        const { data } = await this.call(
          'POST',
          '/open-apis/auth/v3/tenant_access_token/internal',
          { app_id: this.opts.appId, app_secret: this.opts.appSecret },
          undefined,
          undefined,
          'tenant_token',
        );
        const value = data.tenant_access_token;
        if (typeof value !== 'string' || !value)
          throw new LarkApiError('tenant_token: no token in the answer', undefined, undefined, false);
        const expire = typeof data.expire === 'number' ? data.expire : 7200;
        this.token = { value, expiresAt: this.now() + expire * 1000 };
        return value;
      } finally {
        this.pending = undefined;
      }
    })();
    return this.pending;
  }

  deliver(message: OutgoingMessage, uuid: string, opts: DeliverOptions = {}): Promise<{ messageId?: string }> {
    return this.limiter.run(rateKey(message), () => {
      const call = this.deliverNow(message, uuid);
      return opts.deadlineMs === undefined ? call : withDeadline(call, opts.deadlineMs, message.kind);
    });
  }

  private async deliverNow(message: OutgoingMessage, uuid: string): Promise<{ messageId?: string }> {
    const r = requestFor(message, uuid);
    const attempt = async (force: boolean) => {
      const token = await this.tenantToken(force);
      const { data } = await this.call(r.method, r.path, r.body, r.query, token, message.kind);
      const id = (data.data as Record<string, unknown> | undefined)?.message_id;
      return typeof id === 'string' ? { messageId: id } : {};
    };
    try {
      return await attempt(false);
    } catch (err) {
      if (err instanceof LarkApiError && err.code !== undefined && TOKEN_INVALID_CODES.has(err.code))
        return attempt(true);
      throw err;
    }
  }

  /** Uploads a file for a file message (one retry with a fresh token, as for messages). */
  async uploadFile(file: UploadFile): Promise<string> {
    const attempt = async (force: boolean) =>
      uploadFile(this.opts.baseUrl, await this.tenantToken(force), file, { fetch: this.fetch });
    try {
      return await attempt(false);
    } catch (err) {
      if (err instanceof LarkApiError && err.code !== undefined && TOKEN_INVALID_CODES.has(err.code))
        return attempt(true);
      throw err;
    }
  }

  /** The bot's own open_id (to recognise its mention in group messages); undefined when Lark will not say. */
  botOpenId(): Promise<string | undefined> {
    this.bot ??= (async () => {
      try {
        const { data } = await this.call(
          'GET',
          '/open-apis/bot/v3/info',
          undefined,
          undefined,
          await this.tenantToken(),
          'bot_info',
        );
        const id = (data.bot as Record<string, unknown> | undefined)?.open_id;
        return typeof id === 'string' ? id : undefined;
      } catch {
        this.bot = undefined; // ask again next time
        return undefined;
      }
    })();
    return this.bot;
  }
}
