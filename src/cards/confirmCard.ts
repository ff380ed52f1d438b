import { figureLine } from './recordedCard.js';
import { button, buttonRow, card, colored, esc, hr, md, type Card, type Element } from './kit.js';
import type { ShownItem } from './types.js';

/** A figure looks wrong (a running total going down, far above target, dated in the future): record it? */
export function confirmCard(opts: {
  reportId: number;
  items: Array<ShownItem & { reasons: string[] }>;
  refused?: string[];
  cancelled?: boolean;
  confirmed?: boolean;
}): Card {
  const els: Element[] = [md('以下数据看起来可能有误，请核对后确认：')];
  for (const it of opts.items) {
    els.push(
      hr(),
      md(
        figureLine(it) +
          (it.reasons.length ? `\n${it.reasons.map((r) => colored(`⚠ ${esc(r)}`, 'orange')).join('\n')}` : ''),
      ),
    );
  }
  if (opts.refused?.length)
    els.push(hr(), md(`${colored('不会记录', 'orange')}\n${opts.refused.map((r) => `- ${esc(r)}`).join('\n')}`));
  if (opts.cancelled) els.push(md(colored('已取消，没有记录。', 'grey')));
  else if (opts.confirmed) els.push(md(colored('已确认并记录。', 'green')));
  else
    els.push(
      buttonRow([
        button('确认记录', { a: 'confirm', r: opts.reportId }, 'primary'),
        button('取消', { a: 'cancel', r: opts.reportId }, 'danger'),
      ]),
    );
  return card({
    title: opts.cancelled ? '已取消' : opts.confirmed ? '已确认' : '请确认数据',
    template: opts.cancelled ? 'grey' : opts.confirmed ? 'green' : 'orange',
    summary: '请确认数据',
    elements: els,
  });
}
