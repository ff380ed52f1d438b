import type { CatalogFile, MetricDef, Organisation, Project } from './catalogSchema.js';

export interface Metric extends MetricDef {
  /** The metric's own deadline, else the catalog's. */
  deadline: string;
}

/**
 * A validated catalog with the lookups every feature needs. Pure data: built once from a catalog
 * file (see validateCatalog) and shared; nothing here knows which year it is.
 */
export class Catalog {
  readonly year: number;
  readonly title: string;
  readonly start: string;
  readonly deadline: string;
  readonly metrics: readonly Metric[];
  readonly projects: readonly Project[];
  readonly organisations: readonly Organisation[];
  private readonly metricById = new Map<string, Metric>();
  private readonly orgByName = new Map<string, Organisation>();
  private readonly orgByAlias = new Map<string, Organisation>();

  constructor(readonly file: CatalogFile) {
    this.year = file.year;
    this.title = file.title;
    this.start = file.start;
    this.deadline = file.deadline;
    this.metrics = file.metrics.map((m) => ({ ...m, deadline: m.deadline ?? file.deadline }));
    this.projects = file.projects;
    this.organisations = file.organisations;
    for (const m of this.metrics) this.metricById.set(m.id, m);
    for (const o of file.organisations) {
      this.orgByName.set(o.name, o);
      this.orgByAlias.set(o.name, o);
    }
    for (const o of file.organisations)
      for (const a of o.aliases) if (!this.orgByAlias.has(a)) this.orgByAlias.set(a, o);
  }

  metric(id: string): Metric | undefined {
    return this.metricById.get(id);
  }

  project(no: number): Project | undefined {
    return this.projects.find((p) => p.no === no);
  }

  metricsOfProject(no: number): Metric[] {
    return this.metrics.filter((m) => m.project === no);
  }

  /** An organisation by its full name or any short form (住建委, 渝中, 石柱县…). */
  org(nameOrAlias: string): Organisation | undefined {
    return this.orgByAlias.get(nameOrAlias.trim());
  }

  /** Every name and short form, longest first, for matching inside free text. */
  orgNames(): Array<{ text: string; org: Organisation }> {
    return [...this.orgByAlias.entries()]
      .map(([text, org]) => ({ text, org }))
      .sort((a, b) => b.text.length - a.text.length);
  }

  districts(): Organisation[] {
    return this.organisations.filter((o) => o.kind === 'district');
  }

  isDistrict(name: string): boolean {
    return this.orgByName.get(name)?.kind === 'district';
  }

  /** Projects where the organisation is a responsible unit (责任单位). */
  projectsOf(org: string): Project[] {
    return this.projects.filter((p) => p.units.includes(org));
  }

  /**
   * Metrics an organisation answers for: a city unit those of its projects; a 区县 every metric
   * (for its own district).
   */
  metricsOf(org: string): Metric[] {
    if (this.isDistrict(org)) return [...this.metrics];
    const nos = new Set(this.projectsOf(org).map((p) => p.no));
    return this.metrics.filter((m) => nos.has(m.project));
  }

  /** Responsible units of a metric's project, lead first. */
  unitsOf(metricId: string): string[] {
    const m = this.metric(metricId);
    if (!m) return [];
    const units = this.project(m.project)?.units ?? [];
    return [...new Set([...m.lead, ...units])];
  }

  /**
   * Moves a metric's deadline in this in-memory catalog (the database holds the change: see
   * src/jobs/deadlines.ts); 序时进度 and deadline notices read it from here.
   */
  setDeadline(id: string, deadline: string): boolean {
    const m = this.metricById.get(id);
    if (!m) return false;
    m.deadline = deadline;
    return true;
  }

  /** Suggestions for a name that matched nothing: names sharing the most characters. */
  suggestOrgs(text: string, limit = 3): string[] {
    const chars = new Set(text.replace(/^市/, ''));
    return this.organisations
      .map((o) => {
        const names = [o.name, ...o.aliases];
        const score = Math.max(
          ...names.map((n) => [...new Set(n)].filter((c) => chars.has(c)).length / Math.max(n.length, chars.size)),
        );
        return { name: o.name, score };
      })
      .filter((s) => s.score >= 0.34)
      .sort((a, b) => b.score - a.score)
      .slice(0, limit)
      .map((s) => s.name);
  }
}
