import { and, asc, eq, lt } from 'drizzle-orm';
import { contacts, reportItems, reports } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { computeDigest, type DigestData } from '../digest/computeDigest.js';
import { MILESTONE_LABEL } from '../digest/format.js';
import { addDays } from '../workdays/calendar.js';
import { offsetMinutes, zonedInstant } from '../workdays/zoned.js';

// The 通报 workbook's three tables, as plain rows (the xlsx and the csv are two renderings of
// these). 通报 and 区县 are the digest's figures (computeDigest, as the card and the board), 明细
// is every report item the database holds up to the date, superseded ones included, with who
// changed what and when.

export type Cell = string | number | Date | null;

export interface Table {
  name: '通报' | '区县' | '明细';
  columns: Array<{ header: string; width: number; format?: 'int' | 'num' | 'pct' | 'date' | 'time' | 'text' }>;
  rows: Cell[][];
  /** Per row, the digest status (通报 only): the status column is coloured by it. */
  statuses?: string[];
  /** Columns frozen at the left besides the header row. */
  frozenColumns: number;
}

export interface ExportData {
  digest: DigestData;
  tables: [Table, Table, Table];
}

/** A Unix-ms instant as an Excel date-time showing the wall clock of `tz` (Excel has no zones). */
export function wallClock(ms: number, tz: string): Date {
  return new Date(ms + offsetMinutes(new Date(ms), tz) * 60_000);
}

const MODE: Record<string, string> = { cumulative: '累计', increment: '新增' };
const REASON: Record<string, string> = { fix: '更正', undo: '撤销', correction: '更正' };

export async function exportData(deps: Pick<Deps, 'db' | 'catalog' | 'config'>, date: string): Promise<ExportData> {
  const { catalog, db } = deps;
  const tz = deps.config.BOT_TIMEZONE;
  const digest = await computeDigest(deps, { date });

  const tongbao: Table = {
    name: '通报',
    frozenColumns: 3,
    columns: [
      { header: '项目', width: 26, format: 'text' },
      { header: '指标编号', width: 9, format: 'text' },
      { header: '指标', width: 34, format: 'text' },
      { header: '单位', width: 10, format: 'text' },
      { header: '目标', width: 11, format: 'num' },
      { header: '完成值', width: 12, format: 'num' },
      { header: '完成率', width: 9, format: 'pct' },
      { header: '序时进度', width: 9, format: 'pct' },
      { header: '状态', width: 10, format: 'text' },
      { header: '截至', width: 12, format: 'text' },
      { header: '牵头单位', width: 22, format: 'text' },
      { header: '较上期变化', width: 11, format: 'num' },
    ],
    rows: digest.metrics.map((m) => [
      `${m.project} ${catalog.project(m.project)?.name ?? ''}`,
      m.id,
      m.name,
      m.unit ?? '',
      m.target,
      m.kind === 'milestone' ? (m.milestone ? MILESTONE_LABEL[m.milestone] : '未报送') : m.value,
      m.donePct === null ? null : m.donePct / 100,
      m.kind === 'milestone' ? null : m.expectedPct / 100,
      m.statusLabel,
      m.asOf ?? '',
      m.leadUnits.join('、'),
      m.kind === 'milestone'
        ? m.milestone && m.milestone !== m.previousMilestone
          ? `上期${m.previousMilestone ? MILESTONE_LABEL[m.previousMilestone] : '未报送'}`
          : null
        : m.change,
    ]),
    statuses: digest.metrics.map((m) => m.status),
  };

  const districts = catalog.districts().map((o) => o.name);
  const figured = digest.metrics.filter((m) => m.kind !== 'milestone');
  const quxian: Table = {
    name: '区县',
    frozenColumns: 4,
    columns: [
      { header: '指标编号', width: 9, format: 'text' },
      { header: '指标', width: 30, format: 'text' },
      { header: '单位', width: 9, format: 'text' },
      { header: '全市', width: 11, format: 'num' },
      ...districts.map((d) => ({ header: d, width: Math.max(8, d.length * 2 + 2), format: 'num' as const })),
    ],
    rows: figured.map((m) => {
      const by = new Map(m.districts.map((x) => [x.scope, x.value]));
      return [m.id, m.name, m.unit ?? '', m.value, ...districts.map((d) => by.get(d) ?? null)];
    }),
  };

  // Every item created up to the end of the date, superseded ones included (the audit trail).
  const end = zonedInstant(addDays(date, 1), 0, tz).getTime();
  const items = await db
    .select({
      id: reportItems.id,
      metricId: reportItems.metricId,
      value: reportItems.value,
      milestone: reportItems.milestone,
      mode: reportItems.mode,
      scope: reportItems.scope,
      asOf: reportItems.asOf,
      approximate: reportItems.approximate,
      reporter: reportItems.reporterOpenId,
      org: reportItems.org,
      createdAt: reportItems.createdAt,
      supersededAt: reportItems.supersededAt,
      supersededByOpenId: reportItems.supersededByOpenId,
      reason: reportItems.supersedeReason,
      text: reports.text,
    })
    .from(reportItems)
    .leftJoin(reports, eq(reports.id, reportItems.reportId))
    .where(and(eq(reportItems.year, catalog.year), lt(reportItems.createdAt, end)))
    .orderBy(asc(reportItems.createdAt), asc(reportItems.id));
  const people = new Map(
    (await db.select({ openId: contacts.openId, name: contacts.name, org: contacts.org }).from(contacts)).map((c) => [
      c.openId,
      c,
    ]),
  );
  const who = (openId: string | null) => {
    if (!openId) return '';
    const c = people.get(openId);
    return c?.name ? `${c.name}${c.org ? `（${c.org}）` : ''}` : (c?.org ?? openId);
  };
  const mingxi: Table = {
    name: '明细',
    frozenColumns: 0,
    columns: [
      { header: '序号', width: 8, format: 'int' },
      { header: '指标编号', width: 9, format: 'text' },
      { header: '指标', width: 28, format: 'text' },
      { header: '范围', width: 12, format: 'text' },
      { header: '数值', width: 11, format: 'num' },
      { header: '进展', width: 9, format: 'text' },
      { header: '方式', width: 7, format: 'text' },
      { header: '截至', width: 12, format: 'text' },
      { header: '报送人', width: 22, format: 'text' },
      { header: '报送单位', width: 18, format: 'text' },
      { header: '报送时间', width: 17, format: 'time' },
      { header: '原文', width: 50, format: 'text' },
      { header: '状态', width: 8, format: 'text' },
      { header: '更正/撤销人', width: 22, format: 'text' },
      { header: '更正/撤销时间', width: 17, format: 'time' },
    ],
    rows: items.map((i) => [
      i.id,
      i.metricId,
      catalog.metric(i.metricId)?.name ?? '',
      i.scope === 'city' ? '全市' : i.scope,
      i.value,
      i.milestone ? (MILESTONE_LABEL[i.milestone as keyof typeof MILESTONE_LABEL] ?? i.milestone) : null,
      `${MODE[i.mode] ?? i.mode}${i.approximate ? '（约数）' : ''}`,
      i.asOf,
      who(i.reporter),
      i.org ?? '',
      wallClock(i.createdAt, tz),
      i.text ?? '',
      i.supersededAt === null ? '有效' : `已${REASON[i.reason ?? ''] ?? '作废'}`,
      i.supersededAt === null ? '' : who(i.supersededByOpenId),
      i.supersededAt === null ? null : wallClock(i.supersededAt, tz),
    ]),
  };
  return { digest, tables: [tongbao, quxian, mingxi] };
}
