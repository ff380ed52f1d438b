import type { Db } from '../db/Db.js';
import { allSettings, putSetting } from '../db/settingsRepo.js';
import type { Deps } from '../deps.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../progress/types.js';
import { hhmm } from '../workdays/zoned.js';
import { errorMessage } from '../errors.js';

// The scheduler's settings: schedules (local time in BOT_TIMEZONE) and thresholds, changeable by an
// administrator with `/设置 KEY VALUE` or `npm run cli -- settings set KEY VALUE`. Values are
// validated here, the one place that knows them; a stored value that no longer validates falls back
// to the default (and is logged) instead of stopping the scheduler.

export interface WeeklyAt {
  weekday: number;
  minutes: number;
}

export interface SchedulerSettings {
  digest: WeeklyAt;
  remind: WeeklyAt;
  escalate: WeeklyAt;
  /** Minutes after midnight, every working day. */
  deadlineAt: number;
  lagAt: number;
  escalationCap: number;
  deadlineDays: number[];
  thresholds: Thresholds;
  /** A figure whose as-of date is more than this many weeks before the day shown is marked stale. */
  staleWeeks: number;
}

const WEEKDAYS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];
const WEEKDAY_WORDS: Record<string, number> = {
  周一: 1,
  周二: 2,
  周三: 3,
  周四: 4,
  周五: 5,
  周六: 6,
  周日: 7,
  周天: 7,
  星期一: 1,
  星期二: 2,
  星期三: 3,
  星期四: 4,
  星期五: 5,
  星期六: 6,
  星期日: 7,
  星期天: 7,
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
  sun: 7,
  1: 1,
  2: 2,
  3: 3,
  4: 4,
  5: 5,
  6: 6,
  7: 7,
};

export class SettingError extends Error {
  readonly code = 'setting_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'SettingError';
  }
}

function parseTime(s: string): number {
  const m = /^(\d{1,2})\s*[:：点]\s*(\d{1,2})?\s*分?$/.exec(s.trim());
  if (!m) throw new SettingError(`时间应写成 HH:MM，例如 09:00（收到“${s}”）`);
  const h = Number(m[1]),
    min = Number(m[2] ?? 0);
  if (h > 23 || min > 59) throw new SettingError(`时间超出范围：${s}（00:00–23:59）`);
  return h * 60 + min;
}

function parseWeekly(s: string): WeeklyAt {
  const m = /^\s*(周[一二三四五六日天]|星期[一二三四五六日天]|mon|tue|wed|thu|fri|sat|sun|[1-7])\s*(.+)$/i.exec(
    s.trim(),
  );
  if (!m) throw new SettingError(`应写成“周几 HH:MM”，例如“周一 09:00”（收到“${s}”）`);
  return { weekday: WEEKDAY_WORDS[m[1]!.toLowerCase()]!, minutes: parseTime(m[2]!) };
}

export function formatWeekly(w: WeeklyAt): string {
  return `${WEEKDAYS[w.weekday - 1]} ${hhmm(w.minutes)}`;
}

function parseRatio(s: string): number {
  const t = s.trim();
  const n = t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t);
  if (!Number.isFinite(n) || n <= 0 || n > 1)
    throw new SettingError(`应为 0 到 1 之间的比例，如 0.9 或 90%（收到“${s}”）`);
  return n;
}

interface Def<T> {
  key: string;
  /** The names people type in /设置. */
  aliases: string[];
  label: string;
  defaultValue: T;
  /** From what an admin typed (or what the database holds, as a string) to the value. */
  parse(input: string): T;
  /** The shown text. */
  format(v: T): string;
  /** What the settings table holds (JSON); default: the shown text. Numbers and lists stay JSON numbers and arrays. */
  store?(v: T): unknown;
}

/** Checks an entry against Def<T> without widening it: each entry keeps its own value type. */
const def = <T>(d: Def<T>): Def<T> => d;
const asNumber = (v: number): unknown => v;

const defs = {
  digest: def({
    key: 'digest.schedule',
    aliases: ['周报时间', '周报'],
    label: '周报推送时间',
    defaultValue: { weekday: 1, minutes: 9 * 60 },
    parse: parseWeekly,
    format: formatWeekly,
  }),
  remind: def({
    key: 'remind.schedule',
    aliases: ['提醒时间', '报送提醒'],
    label: '报送提醒时间',
    defaultValue: { weekday: 5, minutes: 10 * 60 },
    parse: parseWeekly,
    format: formatWeekly,
  }),
  escalate: def({
    key: 'escalate.schedule',
    aliases: ['催报时间', '催报'],
    label: '群内催报时间',
    defaultValue: { weekday: 5, minutes: 17 * 60 },
    parse: parseWeekly,
    format: formatWeekly,
  }),
  deadlineAt: def({
    key: 'deadline.time',
    aliases: ['截止提醒时间'],
    label: '截止提醒时间（每个工作日）',
    defaultValue: 9 * 60 + 30,
    parse: parseTime,
    format: hhmm,
  }),
  lagAt: def({
    key: 'lag.time',
    aliases: ['滞后检查时间'],
    label: '严重滞后检查时间（每个工作日）',
    defaultValue: 9 * 60 + 10,
    parse: parseTime,
    format: hhmm,
  }),
  escalationCap: def({
    key: 'escalate.cap',
    aliases: ['催报次数'],
    label: '群内催报次数上限',
    defaultValue: 3,
    parse: (s: string) => {
      const n = Number(s.trim());
      if (!Number.isInteger(n) || n < 0 || n > 5) throw new SettingError(`催报次数应为 0–5 的整数（收到“${s}”）`);
      return n;
    },
    format: String,
    store: asNumber,
  }),
  deadlineDays: def({
    key: 'deadline.days',
    aliases: ['截止提醒天数'],
    label: '截止前提醒天数',
    defaultValue: [30, 14, 7, 3, 1],
    parse: (s: string) => {
      const parts = s
        .split(/[,，、\s]+/)
        .filter(Boolean)
        .map(Number);
      if (parts.length === 0 || parts.some((n) => !Number.isInteger(n) || n < 1 || n > 120)) {
        throw new SettingError(`截止提醒天数应为 1–120 的整数，用逗号分隔，如 30,14,7,3,1（收到“${s}”）`);
      }
      return [...new Set(parts)].sort((a, b) => b - a);
    },
    format: (v: number[]) => v.join(','),
    store: (v: number[]) => v,
  }),
  staleWeeks: def({
    key: 'stale.weeks',
    aliases: ['过期周数', '数据过期周数'],
    label: '数据过期提示（截至日期早于几周）',
    defaultValue: 4,
    parse: (s: string) => {
      const n = Number(s.trim().replace(/周$/, ''));
      if (!Number.isInteger(n) || n < 1 || n > 52) throw new SettingError(`过期周数应为 1–52 的整数（收到“${s}”）`);
      return n;
    },
    format: String,
    store: asNumber,
  }),
  onTrack: def({
    key: 'threshold.onTrack',
    aliases: ['正常阈值'],
    label: '正常阈值（占序时进度）',
    defaultValue: DEFAULT_THRESHOLDS.onTrack,
    parse: parseRatio,
    format: String,
    store: asNumber,
  }),
  lagging: def({
    key: 'threshold.lagging',
    aliases: ['滞后阈值'],
    label: '滞后阈值（低于即严重滞后）',
    defaultValue: DEFAULT_THRESHOLDS.lagging,
    parse: parseRatio,
    format: String,
    store: asNumber,
  }),
};

type Defs = typeof defs;
type Name = keyof Defs;
const names = Object.keys(defs) as Name[];

function defByKey(key: string): [Name, Def<unknown>] | undefined {
  const k = key.trim();
  for (const n of names) {
    const d: Def<unknown> = defs[n];
    if (d.key === k || d.aliases.includes(k) || d.key.toLowerCase() === k.toLowerCase()) return [n, d];
  }
  return undefined;
}

export const SETTING_KEYS: string[] = names.map((n) => defs[n].key);

type Raw = Partial<Record<Name, unknown>>;

function build(raw: Raw, warn?: (key: string, err: string) => void): SchedulerSettings {
  // A stored value that no longer validates falls back to the default, logged.
  const get = <T>(d: Def<T>, v: unknown): T => {
    if (v === undefined || v === null) return d.defaultValue;
    try {
      return d.parse(String(v));
    } catch (err) {
      warn?.(d.key, errorMessage(err));
      return d.defaultValue;
    }
  };
  let thresholds: Thresholds = { onTrack: get(defs.onTrack, raw.onTrack), lagging: get(defs.lagging, raw.lagging) };
  if (!(thresholds.lagging < thresholds.onTrack)) {
    warn?.('threshold', 'lagging ≥ onTrack; defaults used');
    thresholds = DEFAULT_THRESHOLDS;
  }
  return {
    digest: get(defs.digest, raw.digest),
    remind: get(defs.remind, raw.remind),
    escalate: get(defs.escalate, raw.escalate),
    deadlineAt: get(defs.deadlineAt, raw.deadlineAt),
    lagAt: get(defs.lagAt, raw.lagAt),
    escalationCap: get(defs.escalationCap, raw.escalationCap),
    deadlineDays: get(defs.deadlineDays, raw.deadlineDays),
    thresholds,
    staleWeeks: get(defs.staleWeeks, raw.staleWeeks),
  };
}

async function rawSettings(db: Db): Promise<Raw> {
  const rows = await allSettings(db);
  const raw: Raw = {};
  for (const n of names) {
    const row = rows.get(defs[n].key);
    if (row) raw[n] = Array.isArray(row.value) ? (row.value as unknown[]).join(',') : row.value;
  }
  return raw;
}

/** The settings in force (defaults where none was set). */
export async function loadSchedulerSettings(db: Db, log?: Deps['log']): Promise<SchedulerSettings> {
  return build(await rawSettings(db), (key, error) => log?.warn('setting_ignored', { key, error }));
}

export const DEFAULT_SETTINGS: SchedulerSettings = build({});

/** Thresholds for 正常 / 滞后 / 严重滞后 in force (for anyone computing statuses). */
export async function getThresholds(db: Db): Promise<Thresholds> {
  return (await loadSchedulerSettings(db)).thresholds;
}

export interface SettingView {
  key: string;
  aliases: string[];
  label: string;
  value: string;
  isDefault: boolean;
  defaultValue: string;
}

/** Every scheduler setting with its current and default value, for `/设置` and the CLI. */
export async function listSettings(db: Db): Promise<SettingView[]> {
  const raw = await rawSettings(db);
  const s = build(raw);
  const current: Record<Name, unknown> = {
    digest: s.digest,
    remind: s.remind,
    escalate: s.escalate,
    deadlineAt: s.deadlineAt,
    lagAt: s.lagAt,
    escalationCap: s.escalationCap,
    deadlineDays: s.deadlineDays,
    onTrack: s.thresholds.onTrack,
    lagging: s.thresholds.lagging,
    staleWeeks: s.staleWeeks,
  };
  return names.map((n) => {
    const d: Def<unknown> = defs[n];
    return {
      key: d.key,
      aliases: d.aliases,
      label: d.label,
      value: d.format(current[n]),
      isDefault: raw[n] === undefined,
      defaultValue: d.format(d.defaultValue),
    };
  });
}

/**
 * `/设置 KEY VALUE`: validates and stores one setting. KEY is the setting's key (digest.schedule)
 * or its Chinese name (周报时间); VALUE as a person types it ("周一 09:00", "0.85", "30,14,7").
 * Throws SettingError with a message fit to show the admin. Authorisation is the caller's job.
 * Takes effect at the next scheduler tick (within 5 minutes), on Node and Workers alike.
 */
export async function updateSetting(
  deps: Pick<Deps, 'db' | 'clock'>,
  key: string,
  value: string,
  by: string | null,
): Promise<SettingView> {
  const found = defByKey(key);
  if (!found) {
    throw new SettingError(
      `没有这个设置：“${key}”。可设置：${names.map((n) => `${defs[n].aliases[0]}（${defs[n].key}）`).join('、')}`,
    );
  }
  const [name, def] = found;
  const parsed = def.parse(value);
  const raw = await rawSettings(deps.db);
  if (name === 'onTrack' || name === 'lagging') {
    const s = build({ ...raw, [name]: def.format(parsed) });
    const onTrack = name === 'onTrack' ? (parsed as number) : s.thresholds.onTrack;
    const lagging = name === 'lagging' ? (parsed as number) : s.thresholds.lagging;
    if (!(lagging < onTrack)) throw new SettingError(`滞后阈值（${lagging}）须小于正常阈值（${onTrack}）`);
  }
  const stored = def.store ? def.store(parsed) : def.format(parsed);
  await putSetting(deps.db, def.key, stored, by, deps.clock.now().getTime());
  const view = (await listSettings(deps.db)).find((v) => v.key === def.key)!;
  return view;
}
