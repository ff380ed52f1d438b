import { createInterface } from 'node:readline';
import process from 'node:process';
import { z } from 'zod';
import { shippedCatalog } from '../../seeds/catalogs.js';
import { explainReport, parseReport } from '../parser/parseReport.js';
import { isFigure } from '../parser/types.js';
import { errorMessage } from '../errors.js';

// `npm run -s cli -- parse --jsonl [--year N]`: JSON lines {"id","text","org","date"} in, one JSON
// line per input out (stdout carries nothing else). `npm run cli -- parse "文本" --org X --date D`:
// a readable explanation of each figure.

const lineSchema = z.object({
  id: z.union([z.string(), z.number()]).optional(),
  text: z.string(),
  org: z.string().optional().nullable(),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
});

function option(args: string[], name: string): string | undefined {
  const k = args.indexOf(name);
  return k >= 0 ? args[k + 1] : undefined;
}

export async function parseCommand(args: string[]): Promise<number> {
  const yearText = option(args, '--year');
  const year = yearText ? Number(yearText) : 2024;
  const catalog = shippedCatalog(year);
  const defaultDate = `${catalog.year}-12-31`;
  if (args.includes('--jsonl')) {
    const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of rl) {
      if (!line.trim()) continue;
      let id: unknown;
      try {
        const raw: unknown = JSON.parse(line);
        id = (raw as { id?: unknown } | null)?.id;
        const input = lineSchema.parse(raw);
        const r = parseReport(input.text, {
          catalog,
          senderOrg: input.org ?? undefined,
          date: input.date ?? defaultDate,
        });
        process.stdout.write(`${JSON.stringify({ id: input.id, ...r })}\n`);
      } catch (err) {
        const message =
          err instanceof z.ZodError
            ? err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
            : errorMessage(err);
        process.stdout.write(`${JSON.stringify({ id: id ?? null, error: message })}\n`);
      }
    }
    return 0;
  }
  const skip = new Set<number>();
  for (const name of ['--org', '--date', '--year']) {
    const k = args.indexOf(name);
    if (k >= 0) {
      skip.add(k);
      skip.add(k + 1);
    }
  }
  const text = args.filter((_, k) => !skip.has(k) && !args[k]!.startsWith('--')).join(' ');
  if (!text) {
    process.stderr.write(
      'usage: npm run cli -- parse "文本" [--org 单位] [--date YYYY-MM-DD] [--year N]\n       npm run -s cli -- parse --jsonl < in.jsonl\n',
    );
    return 2;
  }
  const org = option(args, '--org');
  const date = option(args, '--date') ?? defaultDate;
  const r = explainReport(text, { catalog, senderOrg: org, date });
  const out: string[] = [`文本：${text}`, `单位：${org ?? '（未知）'}  日期：${date}`, ''];
  if (!r.items.length) out.push('没有识别到数据。');
  for (const item of r.items) {
    const m = catalog.metric(item.metric);
    const quoted = text.slice(item.span[0], item.span[1]);
    if (isFigure(item)) {
      out.push(
        `● ${item.metric} ${m?.name ?? ''}${m?.measure ? `（${m.measure}）` : ''}：${item.value} ${m?.unit ?? ''}${item.approximate ? '（约数）' : ''}`,
      );
      out.push(
        `  ${item.mode === 'cumulative' ? '累计' : '增量'} · 范围 ${item.scope === 'city' ? '全市' : item.scope} · 截至 ${item.asOf} · 原文「${quoted}」[${item.span.join(', ')}]`,
      );
    } else {
      out.push(
        `● ${item.metric} ${m?.name ?? ''}：${{ done: '已完成', in_progress: '推进中', not_started: '未开始' }[item.status]} · 原文「${quoted}」`,
      );
    }
    out.push(
      `  依据：${item.why
        .map((w) => w.text)
        .filter(Boolean)
        .join('；')}`,
    );
  }
  if (r.needsClarification) out.push('', `需要确认：${r.question ?? ''}`, `候选：${(r.candidates ?? []).join('、')}`);
  if (r.tooLong) out.push(`消息过长（${r.tooLong.length} 字，上限 ${r.tooLong.max} 字），未解析。`);
  if (r.unresolved.length) out.push('', '未采用：', ...r.unresolved.map((u) => `  - [${u.why}/${u.action}] ${u.note}`));
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
