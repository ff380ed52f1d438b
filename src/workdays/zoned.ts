// Local time in BOT_TIMEZONE from an instant and back, with Intl only (runs in workerd too).

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(tz, f);
  }
  return f;
}

export interface LocalTime {
  /** 'YYYY-MM-DD' in the time zone. */
  date: string;
  /** Minutes since local midnight. */
  minutes: number;
}

export function localTime(at: Date, tz: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(tz).formatToParts(at)) parts[p.type] = p.value;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

export function localDate(at: Date, tz: string): string {
  return localTime(at, tz).date;
}

/** Offset of the zone from UTC at an instant, in minutes (Asia/Shanghai: +480). */
export function offsetMinutes(at: Date, tz: string): number {
  const parts: Record<string, string> = {};
  for (const p of formatter(tz).formatToParts(at)) parts[p.type] = p.value;
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The instant of a local wall-clock time ('YYYY-MM-DD', minutes since midnight) in the zone. */
export function zonedInstant(date: string, minutes: number, tz: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`) + minutes * 60_000;
  let t = wall - offsetMinutes(new Date(wall), tz) * 60_000;
  t = wall - offsetMinutes(new Date(t), tz) * 60_000; // second pass settles a DST edge
  return new Date(t);
}

export function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
