/** Resolves after `ms` (a timer: tests that must not race the wall clock inject their own waits). */
export function sleep(ms: number): Promise<void> {
  return new Promise<void>((r) => setTimeout(r, ms));
}
