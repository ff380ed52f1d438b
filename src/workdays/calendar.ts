import chineseDays from 'chinese-days';

// The Chinese public-holiday calendar, 调休 make-up workdays included, from `chinese-days` (the
// State Council's notices, one data file per year). Only isWorkday is used, always with a
// 'YYYY-MM-DD' string: the package's own date stepping (findWorkday) reads the machine's local
// time zone and gives a different answer west of UTC, so stepping over days happens here, in UTC
// calendar arithmetic, where it cannot drift.

// The package is CommonJS: under Node's ESM loader only its default export is reliable.
const cd = chineseDays as unknown as { isWorkday(date: string): boolean; isHoliday(date: string): boolean };

const DAY = 86_400_000;

/** A working day in mainland China: Monday–Friday unless a public holiday, or a 调休 make-up day. */
export function isWorkday(date: string): boolean {
  return cd.isWorkday(date);
}

export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY);
}

/** ISO weekday: 1 Monday … 7 Sunday. */
export function weekdayOf(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The Monday of the (Monday-based) week containing the date. */
export function mondayOf(date: string): string {
  return addDays(date, 1 - weekdayOf(date));
}

/** The first working day on or after `date`, not later than `until` (inclusive); null if none. */
export function firstWorkdayFrom(date: string, until: string): string | null {
  for (let d = date; d <= until; d = addDays(d, 1)) if (isWorkday(d)) return d;
  return null;
}

/** The last working day on or before `date`. */
export function lastWorkdayOnOrBefore(date: string): string {
  let d = date;
  for (let i = 0; i < 60 && !isWorkday(d); i++) d = addDays(d, -1);
  return d;
}

/** The n working days from `date` on (date itself included when it is one). */
export function workdaysFrom(date: string, n: number): string[] {
  const out: string[] = [];
  for (let d = date, i = 0; out.length < n && i < 120; d = addDays(d, 1), i++) if (isWorkday(d)) out.push(d);
  return out;
}
