import { catalogFileSchema } from './catalogSchema.js';
import { Catalog } from './Catalog.js';
import { parseUnit } from './units.js';

/** A catalog file that cannot be used; the message names the file, the entry and the problem. */
export class CatalogError extends Error {
  readonly code = 'catalog_invalid';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'CatalogError';
  }
}

/** Validates raw catalog data (already JSON-parsed) and builds the Catalog, or throws CatalogError. */
export function validateCatalog(data: unknown, file: string): Catalog {
  const parsed = catalogFileSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${describePath(data, i.path)}: ${i.message}`);
    throw new CatalogError(file, problems);
  }
  const cat = parsed.data;
  const problems: string[] = [];
  const orgs = new Set<string>();
  const aliasOwner = new Map<string, string>();
  for (const o of cat.organisations) {
    if (orgs.has(o.name)) problems.push(`organisation ${o.name}: duplicate name`);
    orgs.add(o.name);
  }
  for (const o of cat.organisations) {
    for (const a of o.aliases) {
      const owner = aliasOwner.get(a);
      if ((owner && owner !== o.name) || (orgs.has(a) && a !== o.name)) {
        problems.push(`organisation ${o.name}: short form ${a} also names ${owner ?? a}`);
      }
      aliasOwner.set(a, o.name);
    }
  }
  const projectNos = new Set<number>();
  for (const p of cat.projects) {
    if (projectNos.has(p.no)) problems.push(`project ${p.no}: duplicate number`);
    projectNos.add(p.no);
    for (const u of p.units) if (!orgs.has(u)) problems.push(`project ${p.no}: unknown unit/org ${u}`);
  }
  const ids = new Set<string>();
  for (const m of cat.metrics) {
    const at = `metric ${m.id}`;
    if (ids.has(m.id)) problems.push(`${at}: duplicate id`);
    ids.add(m.id);
    if (!projectNos.has(m.project)) problems.push(`${at}: unknown project ${m.project}`);
    if (m.id.split('-')[0] !== String(m.project))
      problems.push(`${at}: id does not start with its project number ${m.project}`);
    for (const u of m.lead) if (!orgs.has(u)) problems.push(`${at}: unknown unit/org ${u}`);
    if (m.kind === 'milestone') {
      if (m.target !== undefined) problems.push(`${at}: a milestone has no numeric target`);
    } else {
      if (m.target === undefined) problems.push(`${at}: missing target on a ${m.kind} metric`);
      if (m.unit === undefined) problems.push(`${at}: missing unit on a ${m.kind} metric`);
      else if (!parseUnit(m.unit)) problems.push(`${at}: unknown unit ${m.unit}`);
      for (const u of m.acceptUnits) if (!parseUnit(u)) problems.push(`${at}: unknown unit ${u} in acceptUnits`);
    }
    if (m.deadline && m.deadline < cat.start)
      problems.push(`${at}: deadline ${m.deadline} is before the catalog's start ${cat.start}`);
  }
  if (cat.deadline < cat.start) problems.push(`deadline ${cat.deadline} is before start ${cat.start}`);
  if (problems.length) throw new CatalogError(file, problems);
  return new Catalog(cat);
}

/** "metrics[3].target" → "metric 2-1 target" so the message names the entry a person would look for. */
function describePath(data: unknown, path: ReadonlyArray<PropertyKey>): string {
  const [section, index, ...rest] = path;
  if (typeof section === 'string' && typeof index === 'number') {
    const entry = (data as Record<string, unknown[]>)?.[section]?.[index] as Record<string, unknown> | undefined;
    const label =
      section === 'metrics'
        ? `metric ${String(entry?.id ?? `#${index + 1}`)}`
        : section === 'projects'
          ? `project ${String(entry?.no ?? `#${index + 1}`)}`
          : section === 'organisations'
            ? `organisation ${String(entry?.name ?? `#${index + 1}`)}`
            : `${section}[${index}]`;
    return rest.length ? `${label} ${rest.map(String).join('.')}` : label;
  }
  return path.length ? path.map(String).join('.') : '(file)';
}
