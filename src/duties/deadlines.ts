import { eq } from 'drizzle-orm';
import type { Metric } from '../catalog/Catalog.js';
import { setMetricDeadline } from '../db/catalogRepo.js';
import { metrics } from '../db/schema.js';
import type { Deps } from '../deps.js';

// Deadlines an administrator moves (the catalog's contract allows it): `npm run cli -- deadline set
// METRIC DATE`, `/设置 截止 1-1 2024-11-15`, or a `catalog import` whose file says so. The metrics
// table holds the deadline in force; a running process keeps its in-memory catalog in step at each
// scheduler tick (syncDeadlines), so 序时进度 and deadline notices follow within one tick on every
// runtime, and at once in the process that made the change.

export class DeadlineError extends Error {
  readonly code = 'deadline_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'DeadlineError';
  }
}

/** "2024-11-15", "2024/11/15", "2024年11月15日", "11月15日" (the catalog's year) → ISO, or null. */
export function parseDeadline(text: string, year: number): string | null {
  const t = text.trim();
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t);
  const y = m ? Number(m[1]) : year;
  let mo: number, d: number;
  if (m) {
    mo = Number(m[2]);
    d = Number(m[3]);
  } else {
    m = /^(\d{1,2})月(\d{1,2})日?$/.exec(t);
    if (!m) return null;
    mo = Number(m[1]);
    d = Number(m[2]);
  }
  const iso = `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const back = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(back.getTime()) || back.toISOString().slice(0, 10) !== iso) return null;
  return iso;
}

export interface DeadlineChange {
  metric: Metric;
  from: string;
  to: string;
}

/** Validates and stores a metric's new deadline; the running catalog follows at once. */
export async function changeDeadline(
  deps: Pick<Deps, 'db' | 'catalog' | 'log'>,
  metricId: string,
  dateText: string,
  by: string | null,
): Promise<DeadlineChange> {
  const { catalog } = deps;
  const metric = catalog.metric(metricId.trim());
  if (!metric)
    throw new DeadlineError(`没有指标「${metricId}」。用法：截止 指标编号 日期，例如「/设置 截止 1-1 2024-11-15」。`);
  const to = parseDeadline(dateText, catalog.year);
  if (!to) throw new DeadlineError(`日期「${dateText}」看不懂，请写成 2024-11-15。`);
  if (to <= catalog.start) throw new DeadlineError(`截止日期 ${to} 应在 ${catalog.start}（本年度目录的起始日）之后。`);
  if (Number(to.slice(0, 4)) > catalog.year + 1)
    throw new DeadlineError(
      `截止日期 ${to} 超出 ${catalog.year} 年度目录可延期的范围（至 ${catalog.year + 1} 年底）。`,
    );
  const from = metric.deadline;
  if (!(await setMetricDeadline(deps.db, catalog.year, metric.id, to)))
    throw new DeadlineError(`指标 ${metric.id} 不在数据库的 ${catalog.year} 年度目录中。`);
  catalog.setDeadline(metric.id, to);
  deps.log.info('deadline_changed', { metric: metric.id, from, to, by });
  return { metric, from, to };
}

/** Brings the in-memory catalog's deadlines in line with the database (41 rows; once a tick). */
export async function syncDeadlines(deps: Pick<Deps, 'db' | 'catalog' | 'log'>): Promise<DeadlineChange[]> {
  const rows = await deps.db
    .select({ id: metrics.id, deadline: metrics.deadline })
    .from(metrics)
    .where(eq(metrics.year, deps.catalog.year));
  const changed: DeadlineChange[] = [];
  for (const r of rows) {
    const m = deps.catalog.metric(r.id);
    if (!m || !r.deadline || m.deadline === r.deadline) continue;
    changed.push({ metric: m, from: m.deadline, to: r.deadline });
    deps.catalog.setDeadline(r.id, r.deadline);
  }
  if (changed.length)
    deps.log.info('deadlines_synced', { changed: changed.map((c) => `${c.metric.id}:${c.from}→${c.to}`) });
  return changed;
}
