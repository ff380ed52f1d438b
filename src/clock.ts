/** The only source of "now". Pure code takes dates as arguments; this is what runtimes pass in. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * MINSHENG_NOW pins the clock's start (demos and tests of a past year); time still moves from
 * there, so backoffs and leases keep working. `realStart` is the real instant the pinned time
 * stands for (default: now); runtimes pass the anchor stored in the database (see createDeps), so
 * the clock does not restart with each Worker isolate or Node process.
 */
export function pinnedClock(iso: string, real: Clock = systemClock, realStart: number = real.now().getTime()): Clock {
  const offset = Date.parse(iso) - realStart;
  return { now: () => new Date(real.now().getTime() + offset) };
}

/** A clock tests move by hand. */
export function manualClock(iso: string): Clock & { set(iso: string): void; advance(ms: number): void } {
  let t = Date.parse(iso);
  return {
    now: () => new Date(t),
    set: (s: string) => {
      t = Date.parse(s);
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}
