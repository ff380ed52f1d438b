import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { addDays, isWorkday, mondayOf, weekdayOf } from '../../src/workdays/calendar.js';
import { localTime, zonedInstant } from '../../src/workdays/zoned.js';
import {
  dailyOccurrence,
  escalationOccurrences,
  weeklyOccurrence,
  weeklyRunDay,
} from '../../src/duties/occurrences.js';
import { toUtcCron } from '../../src/jobs/cronUtc.js';
import { jobs, utcCrons } from '../../src/jobs/registry.js';
import { deadlineTier } from '../../src/jobs/plans.js';

const TZ = 'Asia/Shanghai';
const at = (iso: string) => new Date(iso);

describe('the working-day calendar (chinese-days, 调休 included)', () => {
  it.each([
    ['2024-10-07', false],
    ['2024-10-08', true],
    ['2024-09-14', true],
    ['2024-10-12', true],
    ['2024-09-29', true],
    ['2024-02-18', true],
    ['2024-02-12', false],
    ['2024-05-11', true],
    ['2024-06-10', false],
    ['2024-10-13', false],
  ])('%s working day: %s', (d, w) => expect(isWorkday(d)).toBe(w));

  it('steps over days in UTC calendar arithmetic', () => {
    expect(weekdayOf('2024-10-28')).toBe(1);
    expect(weekdayOf('2024-10-27')).toBe(7);
    expect(mondayOf('2024-10-27')).toBe('2024-10-21');
    expect(addDays('2024-02-28', 2)).toBe('2024-03-01');
  });

  it('converts between instants and local time in BOT_TIMEZONE', () => {
    expect(localTime(at('2024-10-28T01:00:00Z'), TZ)).toEqual({ date: '2024-10-28', minutes: 540 });
    expect(localTime(at('2024-10-27T16:30:00Z'), TZ)).toEqual({ date: '2024-10-28', minutes: 30 });
    expect(zonedInstant('2024-10-28', 540, TZ).toISOString()).toBe('2024-10-28T01:00:00.000Z');
  });
});

describe('when the weekly jobs run', () => {
  const monday9 = { weekday: 1, minutes: 540 };
  it('a Monday digest on a holiday goes out on the next working day', () => {
    expect(weeklyRunDay('2024-10-07', monday9)).toBe('2024-10-08');
    expect(weeklyRunDay('2024-09-30', monday9)).toBe('2024-09-30');
    expect(weeklyRunDay('2024-06-10', monday9)).toBe('2024-06-11');
    // Spring Festival: the whole week off but the 调休 Sunday 2024-02-18.
    expect(weeklyRunDay('2024-02-12', monday9)).toBe('2024-02-18');
  });

  it('a Friday reminder is moved within its week (a 调休 Saturday counts) or skipped', () => {
    const fri = { weekday: 5, minutes: 600 };
    expect(weeklyRunDay('2024-10-21', fri)).toBe('2024-10-25');
    expect(weeklyRunDay('2024-09-30', fri)).toBeNull(); // National Day: Fri–Sun all off
    expect(weeklyRunDay('2024-09-09', { weekday: 6, minutes: 600 })).toBe('2024-09-14'); // 调休 Saturday
    expect(weeklyRunDay('2024-10-07', { weekday: 6, minutes: 600 })).toBe('2024-10-12'); // 调休 Saturday
    expect(weeklyRunDay('2024-10-14', { weekday: 6, minutes: 600 })).toBeNull(); // an ordinary Saturday
  });

  it('an occurrence is open from its due time until its period closes', () => {
    expect(weeklyOccurrence(at('2024-10-28T00:59:00Z'), monday9, TZ)).toBeNull();
    expect(weeklyOccurrence(at('2024-10-28T01:00:00Z'), monday9, TZ)).toMatchObject({
      periodKey: '2024-10-28',
      date: '2024-10-28',
    });
    expect(weeklyOccurrence(at('2024-10-30T06:00:00Z'), monday9, TZ)).toMatchObject({ periodKey: '2024-10-28' }); // caught up on Wednesday
    expect(weeklyOccurrence(at('2024-11-03T15:59:00Z'), monday9, TZ)).toMatchObject({ periodKey: '2024-10-28' });
    expect(weeklyOccurrence(at('2024-10-07T03:00:00Z'), monday9, TZ)).toBeNull(); // holiday Monday
    expect(weeklyOccurrence(at('2024-10-08T01:05:00Z'), monday9, TZ)).toMatchObject({
      periodKey: '2024-10-07',
      date: '2024-10-08',
    });
    expect(dailyOccurrence(at('2024-10-05T03:00:00Z'), 570, TZ)).toBeNull();
    expect(dailyOccurrence(at('2024-10-12T03:00:00Z'), 570, TZ)).toMatchObject({ periodKey: '2024-10-12' });
  });

  it('escalation repeats on the following working days up to the cap', () => {
    const fri17 = { weekday: 5, minutes: 1020 };
    const round = (iso: string, cap = 3) => escalationOccurrences(at(iso), fri17, cap, TZ).map((o) => o.periodKey);
    expect(round('2024-10-25T09:00:00Z')).toEqual(['2024-10-21#1']);
    expect(round('2024-10-26T09:00:00Z')).toEqual([]); // Saturday
    expect(round('2024-10-28T09:00:00Z')).toEqual(['2024-10-21#2']);
    expect(round('2024-10-29T09:00:00Z')).toEqual(['2024-10-21#3']);
    expect(round('2024-10-30T09:00:00Z')).toEqual([]);
    expect(round('2024-10-28T09:00:00Z', 1)).toEqual([]);
    // Before National Day: Fri 2024-09-27, then the 调休 Sunday 09-29, then Mon 09-30.
    expect(round('2024-09-29T09:00:00Z')).toEqual(['2024-09-23#2']);
    expect(round('2024-09-30T09:00:00Z')).toEqual(['2024-09-23#3']);
    expect(round('2024-10-08T09:00:00Z')).toEqual([]);
  });

  it('deadline notices: 30, 14, 7, 3, 1 days before, moved back to a working day', () => {
    const days = [30, 14, 7, 3, 1];
    expect(deadlineTier('2024-12-31', days, '2024-11-28')).toBeNull();
    expect(deadlineTier('2024-12-31', days, '2024-11-29')).toEqual({ days: 30, noticeDay: '2024-11-29' }); // Dec 1 is a Sunday
    expect(deadlineTier('2024-12-31', days, '2024-12-17')).toEqual({ days: 14, noticeDay: '2024-12-17' });
    expect(deadlineTier('2024-12-31', days, '2024-12-27')).toEqual({ days: 3, noticeDay: '2024-12-27' }); // Dec 28 is a Saturday
    expect(deadlineTier('2024-12-31', days, '2024-12-31')).toEqual({ days: 1, noticeDay: '2024-12-30' });
    expect(deadlineTier('2024-12-31', days, '2025-01-01')).toBeNull();
  });
});

describe('cron schedules: local registry, UTC Cron Triggers', () => {
  it.each([
    ['0 9 * * 1', '0 1 * * 1'],
    ['30 7 * * 1', '30 23 * * 0'],
    ['0 17 * * 1-5', '0 9 * * 1,2,3,4,5'],
    ['*/5 * * * *', '*/5 * * * *'],
    ['0 9,10 * * *', '0 1,2 * * *'],
  ])('%s in Asia/Shanghai is %s in UTC', (local, utc) => expect(toUtcCron(local, TZ)).toBe(utc));

  it('refuses a zone with DST rather than drift by an hour', () => {
    expect(() => toUtcCron('0 9 * * 1', 'Europe/Berlin')).toThrow(/DST/);
  });

  it("wrangler.toml's crons are exactly the registry's, converted to UTC", () => {
    const toml = readFileSync(new URL('../../wrangler.toml', import.meta.url), 'utf8');
    const line = /^crons\s*=\s*(\[.*\])\s*$/m.exec(toml);
    expect(line).not.toBeNull();
    const crons = JSON.parse(line![1]!) as string[];
    const tz = /^BOT_TIMEZONE\s*=\s*"([^"]+)"/m.exec(toml)?.[1] ?? 'Asia/Shanghai';
    expect(jobs.length).toBeGreaterThan(0);
    expect([...crons].sort()).toEqual(utcCrons(tz).sort());
  });
});
