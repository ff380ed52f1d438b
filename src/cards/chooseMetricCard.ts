import type { Metric } from '../catalog/Catalog.js';
import { metricLabel } from './format.js';
import { button, buttonRow, card, colored, esc, md, type Card, type Element } from './kit.js';

/** The parser could not decide a figure's metric: its question, and one button per candidate. */
export function chooseMetricCard(opts: {
  reportId: number;
  question: string;
  candidates: Metric[];
  chosen?: string;
  cancelled?: boolean;
  keptOthers?: boolean;
}): Card {
  const els: Element[] = [md(esc(opts.question))];
  if (opts.chosen) {
    els.push(md(colored(`已选择：${esc(opts.chosen)}`, 'green')));
  } else if (opts.cancelled) {
    els.push(
      md(
        colored(
          opts.keptOthers ? '已取消这个数，没有记录；同一条消息里其余已记录的数据不变。' : '已取消，没有记录。',
          'grey',
        ),
      ),
    );
  } else {
    els.push(md('请选择这个数属于哪项指标（选择后才记录）：'));
    // One button a line: metric names are long, and a row of them would be unreadable on a phone.
    for (const m of opts.candidates.slice(0, 12))
      els.push(button(metricLabel(m).slice(0, 40), { a: 'choose', r: opts.reportId, m: m.id }));
    els.push(buttonRow([button('都不是，取消', { a: 'cancel', r: opts.reportId }, 'danger')]));
  }
  return card({
    title: opts.chosen ? '已选择指标' : '请确认指标',
    template: opts.chosen ? 'green' : opts.cancelled ? 'grey' : 'yellow',
    summary: '请确认指标',
    elements: els,
  });
}
