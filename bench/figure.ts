/** One benchmark figure; `npm run bench -- --json` prints one per line (a contract other tools read). */
export interface Figure {
  name: string;
  value: number;
  unit: string;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
