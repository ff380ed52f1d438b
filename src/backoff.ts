/**
 * The one retry policy: exponential from `base`, capped at `max`, with ±25% jitter so a burst of
 * failures does not retry in lockstep. Used by the outbox (network, 5xx, 429) and by database
 * writes that meet another process's lock (SQLITE_BUSY).
 */
export function backoffMs(attempts: number, base: number, max: number, random: () => number = Math.random): number {
  const d = Math.min(max, base * 2 ** Math.max(0, attempts - 1));
  return Math.round(d * (0.75 + 0.5 * random()));
}
