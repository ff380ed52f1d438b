import { and, eq, gte, isNull, lt } from 'drizzle-orm';
import type { Metric } from '../catalog/Catalog.js';
import { listContacts, onLeave, type Contact } from '../db/contactsRepo.js';
import { reportItems } from '../db/schema.js';
import type { Deps } from '../deps.js';

// Who is asked about what, the building blocks of the one rule of src/jobs/owed.ts (reminders,
// escalations, the digest's "did not report" list and /我的) and of deadline notices:
// - A metric is owed by its lead units (the catalog's lead column: "who is reminded first"), not by
//   every responsible unit of its project: 市公安局 is a responsible unit of project 11 but is not
//   asked each week for 课后服务 figures that 市教委 keeps.
// - Every active contact of a lead unit who is not on leave (leave_until ≥ today) is reminded. A
//   contact on leave is skipped; the org's other contacts are reminded (and told they stand in).
//   When every contact of the lead units is on leave, the project's other responsible units are
//   asked instead. A lead unit with no bound contact at all is not pushed onto other units: nobody
//   can be asked, so the admins are told (owed.ts) instead of the unit being named every week.
// - 区县 contacts owe nothing by default: districts may report their own figures, but the catalog
//   makes city units accountable.
// - "Reported in a window" for a metric: a live (not superseded) report item of that metric,
//   created in the window, by one of the metric's responsible units (report_items.org) or by an
//   active contact of one. A district's figure does not discharge the city unit.

export interface Duty {
  contact: Contact;
  metrics: Metric[];
  /** Colleagues of the same org on leave whom this contact stands in for. */
  standingInFor: Contact[];
}

/** The active contacts who can be asked (an org, a role); `active` when the caller has already read them. */
export async function availableContacts(
  deps: Pick<Deps, 'db'>,
  active?: Contact[],
): Promise<{ all: Contact[]; byOrg: Map<string, Contact[]> }> {
  const all = (active ?? (await listContacts(deps.db))).filter((c) => c.org && c.role !== 'none');
  const byOrg = new Map<string, Contact[]>();
  for (const c of all) {
    const list = byOrg.get(c.org!) ?? [];
    list.push(c);
    byOrg.set(c.org!, list);
  }
  return { all, byOrg };
}

/** Who is asked about a metric on `date`: available lead-unit contacts; if all are on leave, other responsible units'. */
export function askedFor(
  deps: Pick<Deps, 'catalog'>,
  metric: Metric,
  byOrg: Map<string, Contact[]>,
  date: string,
): Contact[] {
  const free = (orgs: string[]) => orgs.flatMap((o) => (byOrg.get(o) ?? []).filter((c) => !onLeave(c, date)));
  const lead = free(metric.lead);
  const leadHasContacts = metric.lead.some((o) => (byOrg.get(o) ?? []).length > 0);
  if (lead.length > 0 || !leadHasContacts) return lead;
  const others = deps.catalog.unitsOf(metric.id).filter((u) => !metric.lead.includes(u));
  return free(others);
}

/** The (metric, org, reporter) combinations of live items created in a window. */
export interface ReportedRow {
  metricId: string;
  org: string | null;
  reporter: string;
}

/** Metric ids reported (in the sense above) by items created in [from, to). */
export async function reportedIn(deps: Pick<Deps, 'db' | 'catalog'>, from: number, to: number): Promise<Set<string>> {
  // Distinct in SQL: a busy week is tens of thousands of items but only hundreds of combinations.
  const rows = await deps.db
    .selectDistinct({ metricId: reportItems.metricId, org: reportItems.org, reporter: reportItems.reporterOpenId })
    .from(reportItems)
    .where(
      and(
        eq(reportItems.year, deps.catalog.year),
        gte(reportItems.createdAt, from),
        lt(reportItems.createdAt, to),
        isNull(reportItems.supersededAt),
      ),
    );
  if (rows.length === 0) return new Set();
  return reportedBy(deps, rows, await listContacts(deps.db));
}

/** The metrics the rows report for (the rule above), given the active contacts. */
export function reportedBy(deps: Pick<Deps, 'catalog'>, rows: ReportedRow[], active: Contact[]): Set<string> {
  const contactOrg = new Map(active.map((c) => [c.openId, c.org]));
  const out = new Set<string>();
  for (const r of rows) {
    const units = deps.catalog.unitsOf(r.metricId);
    if ((r.org && units.includes(r.org)) || units.includes(contactOrg.get(r.reporter) ?? '')) out.add(r.metricId);
  }
  return out;
}
