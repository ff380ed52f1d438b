import type { Catalog } from '../catalog/Catalog.js';
import type { LearnedPhraseView as LearnedPhrase } from './types.js';
import { card, colored, esc, md, type Card, type Element } from './kit.js';

/** The phrases an organisation taught the bot, as a card part (/我的 appends it). */
export function learnedElements(catalog: Catalog, rows: LearnedPhrase[], withOrg = false): Element[] {
  if (rows.length === 0) return [];
  const lines = rows.map(
    (r) =>
      `- 「${esc(r.phrase)}」→ ${esc(r.metricId)} ${esc(catalog.metric(r.metricId)?.name ?? '')}${withOrg ? `（${esc(r.org)}）` : ''}`,
  );
  return [
    md(
      `**已学会的说法（${rows.length}）**\n${lines.join('\n')}\n${colored('这些说法不再询问指标；说错了发送「/忘记 说法」删除。', 'grey')}`,
    ),
  ];
}

/** /说法: the organisation's learned phrases; an administrator sees every organisation's. */
export function learnedCard(opts: { catalog: Catalog; rows: LearnedPhrase[]; all: boolean }): Card {
  const els = learnedElements(opts.catalog, opts.rows, opts.all);
  return card({
    title: opts.all ? '已学会的说法（全部单位）' : '已学会的说法',
    template: 'wathet',
    summary: '已学会的说法',
    elements: els.length
      ? els
      : [md('还没有学会的说法。报送时遇到「是哪项指标的数？」并选择后，同样的说法下次就不再询问。')],
  });
}
