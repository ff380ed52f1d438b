import { z } from 'zod';

// Lark message card JSON 2.0, the subset this bot uses, with Lark's limits (≤ 30 KB, ≤ 200
// elements, ≤ 5 tables, ≤ 5 charts). Every card builder's output is checked against it.

const text = z.object({ tag: z.enum(['plain_text', 'lark_md']), content: z.string() }).strict();
const template = z.enum([
  'blue',
  'wathet',
  'turquoise',
  'green',
  'yellow',
  'orange',
  'red',
  'carmine',
  'violet',
  'purple',
  'indigo',
  'grey',
  'default',
]);

const behaviors = z
  .array(
    z.union([
      z.object({ type: z.literal('callback'), value: z.record(z.string(), z.unknown()) }).strict(),
      z
        .object({
          type: z.literal('open_url'),
          default_url: z.string(),
          pc_url: z.string().optional(),
          ios_url: z.string().optional(),
          android_url: z.string().optional(),
        })
        .strict(),
    ]),
  )
  .min(1);

const element: z.ZodType<unknown> = z.lazy(() =>
  z.discriminatedUnion('tag', [
    z
      .object({
        tag: z.literal('markdown'),
        content: z.string().min(1),
        element_id: z.string().max(20).optional(),
        text_align: z.enum(['left', 'center', 'right']).optional(),
        text_size: z.string().optional(),
      })
      .strict(),
    z.object({ tag: z.literal('div'), text: text.optional(), element_id: z.string().max(20).optional() }).strict(),
    z.object({ tag: z.literal('hr'), element_id: z.string().max(20).optional() }).strict(),
    z
      .object({
        tag: z.literal('button'),
        text: text,
        type: z
          .enum([
            'default',
            'primary',
            'danger',
            'text',
            'primary_text',
            'danger_text',
            'primary_filled',
            'danger_filled',
            'laser',
          ])
          .optional(),
        size: z.enum(['tiny', 'small', 'medium', 'large']).optional(),
        width: z.string().optional(),
        behaviors: behaviors.optional(),
        confirm: z.object({ title: text, text: text }).strict().optional(),
        element_id: z.string().max(20).optional(),
        disabled: z.boolean().optional(),
      })
      .strict(),
    z
      .object({
        tag: z.literal('column_set'),
        flex_mode: z.enum(['none', 'stretch', 'flow', 'bisect', 'trisect']).optional(),
        horizontal_spacing: z.string().optional(),
        background_style: z.string().optional(),
        element_id: z.string().max(20).optional(),
        columns: z.array(
          z
            .object({
              tag: z.literal('column'),
              width: z.string().optional(),
              weight: z.number().int().min(1).max(5).optional(),
              vertical_align: z.enum(['top', 'center', 'bottom']).optional(),
              elements: z.array(element),
              element_id: z.string().max(20).optional(),
            })
            .strict(),
        ),
      })
      .strict(),
    z
      .object({
        tag: z.literal('table'),
        page_size: z.number().int().min(1).max(10).optional(),
        row_height: z.string().optional(),
        element_id: z.string().max(20).optional(),
        header_style: z.record(z.string(), z.unknown()).optional(),
        freeze_first_column: z.boolean().optional(),
        columns: z
          .array(
            z
              .object({
                name: z.string(),
                display_name: z.string(),
                data_type: z.enum(['text', 'lark_md', 'options', 'number', 'persons', 'date', 'markdown']),
                width: z.string().optional(),
                horizontal_align: z.string().optional(),
                format: z.record(z.string(), z.unknown()).optional(),
              })
              .strict(),
          )
          .min(1)
          .max(50),
        rows: z.array(z.record(z.string(), z.unknown())),
      })
      .strict(),
    z
      .object({
        tag: z.literal('chart'),
        chart_spec: z.record(z.string(), z.unknown()),
        aspect_ratio: z.enum(['1:1', '2:1', '4:3', '16:9']).optional(),
        height: z.string().optional(),
        color_theme: z.string().optional(),
        preview: z.boolean().optional(),
        element_id: z.string().max(20).optional(),
      })
      .strict(),
    z.object({ tag: z.literal('note'), elements: z.array(z.unknown()) }).strict(),
  ]),
);

export const cardSchema = z
  .object({
    schema: z.literal('2.0'),
    config: z
      .object({
        update_multi: z.boolean().optional(),
        wide_screen_mode: z.boolean().optional(),
        width_mode: z.enum(['compact', 'fill', 'default']).optional(),
        summary: z.object({ content: z.string() }).strict().optional(),
        enable_forward: z.boolean().optional(),
      })
      .strict()
      .optional(),
    header: z
      .object({
        title: text,
        subtitle: text.optional(),
        template: template.optional(),
        text_tag_list: z.array(z.unknown()).optional(),
      })
      .strict()
      .optional(),
    body: z
      .object({
        elements: z.array(element).min(1),
        direction: z.enum(['vertical', 'horizontal']).optional(),
        padding: z.string().optional(),
      })
      .strict(),
  })
  .strict();

function walk(elements: unknown[], visit: (e: Record<string, unknown>) => void): void {
  for (const e of elements) {
    const el = e as Record<string, unknown>;
    visit(el);
    if (Array.isArray(el.columns) && el.tag === 'column_set')
      for (const c of el.columns as Array<{ elements: unknown[] }>) {
        visit(c as never);
        walk(c.elements, visit);
      }
  }
}

/** Throws with the reasons when a card is not valid card JSON 2.0 within Lark's limits. */
export function assertValidCard(card: unknown): void {
  const r = cardSchema.safeParse(card);
  if (!r.success)
    throw new Error(
      `invalid card: ${r.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    );
  const bytes = new TextEncoder().encode(JSON.stringify(card)).length;
  if (bytes > 30 * 1024) throw new Error(`card is ${bytes} bytes, over Lark's 30 KB`);
  let count = 0,
    tables = 0,
    charts = 0;
  walk(r.data.body.elements as unknown[], (e) => {
    count++;
    if (e.tag === 'table') tables++;
    if (e.tag === 'chart') charts++;
  });
  if (count > 200) throw new Error(`card has ${count} elements, over Lark's 200`);
  if (tables > 5) throw new Error(`card has ${tables} tables, over Lark's 5`);
  if (charts > 5) throw new Error(`card has ${charts} charts, over 5`);
  const chartSpecs: unknown[] = [];
  walk(r.data.body.elements as unknown[], (e) => {
    if (e.tag === 'chart') chartSpecs.push(e.chart_spec);
  });
  for (const s of chartSpecs)
    if (JSON.stringify(s).includes('function')) throw new Error('chart_spec must not contain functions');
}
