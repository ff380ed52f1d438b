import { scanCues } from './cues.js';
import { scanDates } from './dates.js';
import { isMetricMention, type Env, type ModeCue } from './env.js';
import { compileCatalog, findMentions } from './match.js';
import { normalizeMapped } from './normalize.js';
import { scanFigures } from './scanFigures.js';
import { scanShortcuts, type Shortcut } from './scanShortcuts.js';
import { boundaries } from './boundaries.js';
import type { ParseContext } from './types.js';

/** Every scan of one message, once: catalog words, dates, shortcuts, figures, cue words, boundaries. */
export function readMessage(text: string, ctx: ParseContext): { env: Env; shortcuts: Shortcut[] } {
  const { t, orig } = normalizeMapped(text);
  const cc = compileCatalog(ctx.catalog);
  const date = /^\d{4}-\d{2}-\d{2}$/.test(ctx.date) ? ctx.date : `${ctx.catalog.year}-12-31`;
  const sender = ctx.senderOrg ? (ctx.catalog.org(ctx.senderOrg)?.name ?? ctx.senderOrg) : undefined;
  const senderDistrict = sender && ctx.catalog.isDistrict(sender) ? sender : undefined;
  const mentions = findMentions(t, cc);
  const masked = new Uint8Array(t.length);
  for (const m of mentions) masked.fill(1, m.start, m.end);
  const cues = scanCues(t, masked);
  // 比上周多…, 较上月提高…: the date is the base of a comparison, not the as-of date of anything.
  const scanned = scanDates(t, date);
  const leadEnds = cues.changeLead.length ? new Set(cues.changeLead.map((c) => c.end)) : undefined;
  const dates = leadEnds ? scanned.filter((d) => !leadEnds.has(d.start)) : scanned;
  const blocked = masked.slice();
  for (const d of dates) blocked.fill(1, d.start, d.end);
  const shortcuts = scanShortcuts(t, cc, blocked);
  for (const s of shortcuts) blocked.fill(1, s.start, s.end);
  const metricStarts = new Uint8Array(t.length + 1);
  for (const m of mentions) if (m.term.kind === 'metric') metricStarts[m.start] = 1;
  const raw = scanFigures(t, blocked, metricStarts);
  const bounds = boundaries(t);
  const metricMs = mentions.filter(isMetricMention);
  const scopeMs = mentions.filter((m) => m.term.kind === 'district' || m.term.kind === 'city' || m.term.kind === 'own');
  const modeCues: ModeCue[] = [
    ...cues.cum.map((c) => ({ start: c.start, mode: 'cumulative' as const, word: c.word })),
    ...dates
      .filter((d) => d.cumulative)
      .map((d) => ({ start: d.start, mode: 'cumulative' as const, word: t.slice(d.start, d.end) })),
    // 10月份新增…: what was done in that month, like 本月.
    ...dates
      .filter((d) => d.period)
      .map((d) => ({ start: d.start, mode: 'increment' as const, word: t.slice(d.start, d.end) })),
    ...cues.inc.map((c) => ({ start: c.start, mode: 'increment' as const, word: c.word })),
  ].sort((a, b) => a.start - b.start);
  return {
    env: { t, orig, cc, date, sender, senderDistrict, mentions, metricMs, scopeMs, modeCues, dates, bounds, cues, raw },
    shortcuts,
  };
}
