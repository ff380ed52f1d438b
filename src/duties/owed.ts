import type { Metric } from '../catalog/Catalog.js';
import { onLeave, type Contact } from '../db/contactsRepo.js';
import type { Deps } from '../deps.js';
import type { MetricProgress } from '../progress/types.js';
import { weeklyRunDay } from './occurrences.js';
import { askedFor, availableContacts } from './duties.js';
import type { SchedulerSettings } from '../settings/settings.js';

// "Owes a report this week": the one rule that reminders, escalations, the digest's 上周未报送 list
// and /我的 all read, so they can never disagree.
// - Only a week with a reminder owes anything: when the reminder day and the rest of the week are
//   holidays (National Day) nobody was asked, so nobody is late.
// - A finished metric (已完成 on the day the rule is applied: milestone done, count or level at
//   target) is owed by nobody.
// - Otherwise a metric is owed by the units whose contacts are asked for it (duties.ts: the lead
//   units' available contacts, or the project's other units when the whole lead unit is on leave).
//   A lead unit whose contacts are all on leave and has nobody to stand in is still named (without
//   an @). A lead unit with no bound contact at all owes nothing it could be asked for: it is listed
//   apart (`unbound`) so an administrator binds someone, never as "did not report".
// - 区县 owe nothing: they may report their own figures; the catalog makes city units accountable.

export interface OwingUnit {
  org: string;
  metrics: Metric[];
  /** Its contacts asked this week (empty when all are on leave and nobody stands in). */
  contacts: Contact[];
}

export interface Duty {
  contact: Contact;
  metrics: Metric[];
  /** Colleagues of the same org on leave whom this contact stands in for. */
  standingInFor: Contact[];
}

export interface OwedWeek {
  /** Monday of the week. */
  week: string;
  /** The day the reminder goes out that week; null when it has none, and then nothing is owed. */
  remindDay: string | null;
  /** Units that owe, each with the unfinished metrics it owes (catalog order). */
  units: OwingUnit[];
  /** Each asked contact's metrics. */
  duties: Map<string, Duty>;
  /** Lead units of unfinished metrics with no bound contact: nobody can be reminded. */
  unbound: Array<{ org: string; metrics: string[] }>;
}

/**
 * Who owes which metric in the week of `week` (its Monday). `date` is the day whose leave records
 * decide who is asked (the reminder or escalation day); `progress` gives the status that decides
 * "finished" (the caller's date: what it shows beside the list).
 */
export async function owedInWeek(
  deps: Pick<Deps, 'db' | 'catalog'>,
  opts: {
    week: string;
    date: string;
    settings: Pick<SchedulerSettings, 'remind'>;
    progress: Map<string, MetricProgress>;
    metrics?: readonly Metric[];
    /** The active contacts, when the caller has already read them. */
    contacts?: Contact[];
  },
): Promise<OwedWeek> {
  const remindDay = weeklyRunDay(opts.week, opts.settings.remind);
  const out: OwedWeek = { week: opts.week, remindDay, units: [], duties: new Map(), unbound: [] };
  const { byOrg } = await availableContacts(deps, opts.contacts);
  const units = new Map<string, OwingUnit>();
  const unbound = new Map<string, string[]>();
  for (const m of opts.metrics ?? deps.catalog.metrics) {
    if (opts.progress.get(m.id)?.status === 'done') continue;
    // Units nobody can remind are worth knowing in any week; only a week with a reminder owes.
    for (const org of m.lead)
      if ((byOrg.get(org) ?? []).length === 0) unbound.set(org, [...(unbound.get(org) ?? []), m.id]);
    if (!remindDay) continue;
    const asked = askedFor(deps, m, byOrg, opts.date);
    const orgs =
      asked.length > 0 ? [...new Set(asked.map((c) => c.org!))] : m.lead.filter((o) => (byOrg.get(o) ?? []).length > 0);
    for (const org of orgs) {
      const u = units.get(org) ?? { org, metrics: [], contacts: [] };
      u.metrics.push(m);
      for (const c of asked) if (c.org === org && !u.contacts.some((x) => x.openId === c.openId)) u.contacts.push(c);
      units.set(org, u);
    }
    for (const c of asked) {
      let d = out.duties.get(c.openId);
      if (!d) {
        const away = (byOrg.get(c.org!) ?? []).filter((o) => o.openId !== c.openId && onLeave(o, opts.date));
        d = { contact: c, metrics: [], standingInFor: away };
        out.duties.set(c.openId, d);
      }
      d.metrics.push(m);
    }
  }
  out.units = [...units.values()];
  out.unbound = [...unbound.entries()]
    .map(([org, metrics]) => ({ org, metrics }))
    .sort((a, b) => a.org.localeCompare(b.org, 'zh'));
  return out;
}

/** The owing units with only the metrics not reported (units left with none dropped). */
export function stillOwing(
  units: OwingUnit[],
  reported: Set<string>,
  keep: (m: Metric) => boolean = () => true,
): OwingUnit[] {
  return units
    .map((u) => ({ ...u, metrics: u.metrics.filter((m) => !reported.has(m.id) && keep(m)) }))
    .filter((u) => u.metrics.length > 0);
}
