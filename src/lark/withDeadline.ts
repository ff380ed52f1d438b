import { LarkApiError } from './LarkApi.js';

/** Rejects with a retryable LarkApiError when `p` has not settled within `ms` (a hung call). */
export function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<never>((_, rej) => {
    timer = setTimeout(
      () => rej(new LarkApiError(`${what}: no answer within ${ms} ms`, undefined, undefined, false)),
      ms,
    );
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
