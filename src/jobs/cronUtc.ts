import { offsetMinutes } from '../workdays/zoned.js';

// Cron Triggers run in UTC; the registry's schedules are local (BOT_TIMEZONE). This converts a
// 5-field expression for a zone with a fixed offset over the year (Asia/Shanghai: UTC+8, no DST).
// A zone with DST has no single UTC equivalent and is refused rather than silently wrong by an hour.
// Supported fields: minute and hour as '*', '*/n', a number or a list of numbers; day of month and
// month as '*'; day of week as '*', a number, a list or a range.

function fixedOffset(tz: string, year = 2024): number {
  const jan = offsetMinutes(new Date(Date.UTC(year, 0, 15)), tz);
  const jul = offsetMinutes(new Date(Date.UTC(year, 6, 15)), tz);
  if (jan !== jul)
    throw new Error(`${tz} changes its UTC offset (DST): Cron Triggers cannot follow it; use a tick cron`);
  return jan;
}

function list(field: string, max: number): number[] | null {
  if (field === '*' || field.startsWith('*/')) return null;
  const out: number[] = [];
  for (const part of field.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`unsupported cron field: ${field}`);
    const a = Number(m[1]),
      b = m[2] !== undefined ? Number(m[2]) : a;
    for (let i = a; i <= b; i++) out.push(i % (max + 1));
  }
  return out;
}

const join = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b).join(',');

export function toUtcCron(expr: string, tz: string): string {
  const f = expr.trim().split(/\s+/);
  if (f.length !== 5) throw new Error(`expected 5 cron fields: ${expr}`);
  const [min, hour, dom, mon, dow] = f as [string, string, string, string, string];
  const offset = fixedOffset(tz);
  if (offset === 0) return f.join(' ');
  if (dom !== '*' || mon !== '*') throw new Error(`day-of-month and month fields must be '*' to convert: ${expr}`);
  const mins = list(min, 59);
  const hours = list(hour, 23);
  if (offset % 60 !== 0) {
    if (!mins || min.startsWith('*/')) throw new Error(`a half-hour zone needs explicit minutes: ${expr}`);
  }
  if (!hours) {
    if (offset % 60 !== 0) throw new Error(`a half-hour zone needs explicit hours: ${expr}`);
    return [min, hour, dom, mon, dow].join(' ');
  }
  // Every (hour, minute) local → UTC, with the day shift it causes.
  const localMins = mins ?? [0];
  const pairs = hours.flatMap((h) => localMins.map((m) => h * 60 + m - offset));
  const shifts = new Set(pairs.map((t) => Math.floor(t / 1440)));
  if (shifts.size > 1 && dow !== '*')
    throw new Error(`hours cross midnight in UTC with a weekday filter; split the job: ${expr}`);
  const shift = [...shifts][0] ?? 0;
  const utc = pairs.map((t) => ((t % 1440) + 1440) % 1440);
  const uMins = [...new Set(utc.map((t) => t % 60))];
  const uHours = [...new Set(utc.map((t) => Math.floor(t / 60)))];
  if (uMins.length * uHours.length !== new Set(utc).size) throw new Error(`not expressible as one UTC cron: ${expr}`);
  const minField = mins ? join(uMins) : min;
  const dows = list(dow, 7);
  const dowField = dows ? join(dows.map((d) => ((((d % 7) + shift) % 7) + 7) % 7)) : dow;
  return [minField, join(uHours), dom, mon, dowField].join(' ');
}
