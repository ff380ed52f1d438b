import { z } from 'zod';

// The shape of a catalog file in seeds/ (one file per year). Cross-entry rules (unique ids, known
// units and organisations, targets on count metrics) are checked in validateCatalog.

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');

export const organisationSchema = z.object({
  name: z.string().min(1),
  kind: z.enum(['city_unit', 'district']),
  aliases: z.array(z.string().min(1)).default([]),
});

export const projectSchema = z.object({
  no: z.number().int().positive(),
  name: z.string().min(1),
  /** Responsible units (责任单位); the first is the lead. */
  units: z.array(z.string().min(1)).min(1),
});

export const metricSchema = z.object({
  id: z.string().regex(/^\d+-\d+$/, 'expected an id like 1-1'),
  project: z.number().int().positive(),
  name: z.string().min(1),
  /** What of the named thing is measured when one name has several metrics (个数, 面积, 长度). */
  measure: z.string().optional(),
  kind: z.enum(['count', 'level', 'milestone']),
  target: z.number().positive().optional(),
  unit: z.string().optional(),
  /** Units reported for this metric are first reminded to (the document's lead units). */
  lead: z.array(z.string().min(1)).min(1),
  /** Words people use for this metric (旧改, 泊位…). */
  aliases: z.array(z.string().min(1)).default([]),
  /** Counting nouns that mean the same thing as the metric's own (条/处 water bodies for 个). */
  acceptUnits: z.array(z.string().min(1)).default([]),
  deadline: isoDate.optional(),
});

export const catalogFileSchema = z.object({
  year: z.number().int().min(2000).max(2100),
  title: z.string().min(1),
  document: z.string().optional(),
  issued: isoDate.optional(),
  /** First day that counts for 序时进度. */
  start: isoDate,
  /** Default deadline for every metric. */
  deadline: isoDate,
  organisations: z.array(organisationSchema).min(1),
  projects: z.array(projectSchema).min(1),
  metrics: z.array(metricSchema).min(1),
});

export type CatalogFile = z.infer<typeof catalogFileSchema>;
export type Organisation = z.infer<typeof organisationSchema>;
export type Project = z.infer<typeof projectSchema>;
export type MetricDef = z.infer<typeof metricSchema>;
