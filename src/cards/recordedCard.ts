import { MILESTONE_LABEL, amount, metricLabel, modeWord, progressLine, scopeLabel } from './format.js';
import { button, buttonRow, card, colored, esc, hr, md, type Card, type Element } from './kit.js';
import type { ShownItem } from './types.js';

export function figureLine(it: ShownItem): string {
  const m = it.metric;
  const said =
    m.kind === 'milestone'
      ? (MILESTONE_LABEL[(it.milestone ?? 'in_progress') as keyof typeof MILESTONE_LABEL] ?? esc(String(it.milestone)))
      : `${it.approximate ? '约 ' : ''}${amount(m, it.value)}`;
  return `**${esc(metricLabel(m))}**\n${modeWord(m, it.mode)}**${said}** · ${scopeLabel(it.scope)} · 截至 ${it.asOf}`;
}

/**
 * 已记录: each figure with its metric, value and unit, mode, scope and as-of date, and where the
 * metric stands now; 撤销 and 修改 buttons while the report stands.
 */
export function recordedCard(opts: {
  reportId: number;
  items: ShownItem[];
  refused?: string[];
  undone?: { by: string; at: string };
  pendingQuestion?: boolean;
}): Card {
  const els: Element[] = [];
  opts.items.forEach((it, k) => {
    if (k > 0) els.push(hr());
    const lines = [figureLine(it)];
    if (it.progress) lines.push(`当前进度（全市）：${progressLine(it.metric, it.progress)}`);
    els.push(md(opts.undone ? `~~${lines[0]}~~` : lines.join('\n')));
  });
  if (opts.refused?.length)
    els.push(hr(), md(`${colored('未记录', 'orange')}\n${opts.refused.map((r) => `- ${esc(r)}`).join('\n')}`));
  if (opts.pendingQuestion)
    els.push(
      hr(),
      md(colored('另有一个数不能确定属于哪项指标，见下一条消息；它没有记录，也不影响上面已记录的数据。', 'orange')),
    );
  if (opts.undone) {
    els.push(md(colored(`已撤销（${esc(opts.undone.by)}，${opts.undone.at}）。数据没有删除，历史中可查。`, 'grey')));
  } else {
    els.push(
      md(
        colored(
          '如有错误：点「撤销」作废本次报送；或发送「/修改 指标编号 新数值」更正，例如「/修改 ' +
            (opts.items[0]?.metric.id ?? '1-1') +
            ' 100」。',
          'grey',
        ),
      ),
    );
    els.push(
      buttonRow([
        button('撤销', { a: 'undo', r: opts.reportId }, 'danger'),
        button('修改', { a: 'fix', r: opts.reportId }),
      ]),
    );
  }
  const n = opts.items.length;
  return card({
    title: opts.undone ? `已撤销 ${n} 项数据` : `已记录 ${n} 项数据`,
    template: opts.undone ? 'grey' : 'green',
    summary: opts.undone ? '已撤销' : `已记录：${opts.items.map((i) => i.metric.id).join('、')}`,
    elements: els,
  });
}
