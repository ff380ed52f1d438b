const DAY = 86_400_000;

function day(iso: string): number {
  return Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / DAY;
}

/**
 * 序时进度 as a share of the target: days elapsed since the catalog's start over the days up to the
 * deadline, counting the day asked for as elapsed (on the deadline the whole target is expected;
 * on the first day 1/366 of it). Clamped to 0..1.
 */
export function expectedShare(start: string, deadline: string, date: string): number {
  const total = day(deadline) - day(start) + 1;
  const elapsed = day(date) - day(start) + 1;
  if (total <= 0) return 1;
  return Math.min(1, Math.max(0, elapsed / total));
}
