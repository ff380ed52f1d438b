import type { Catalog } from '../catalog/Catalog.js';
import type { UnresolvedFigure } from '../parser/types.js';

// The bot's words about figures it did not record, written from the parser's data (why, raw,
// context, candidates), never from the parser's own notes.

/** The question for a figure whose metric (or number) the sender must settle. */
export function questionFor(u: UnresolvedFigure, catalog: Catalog): string {
  const where = u.context && u.context !== u.raw ? `「${u.context}」中的「${u.raw}」` : `「${u.raw}」`;
  const example = u.candidates[0]
    ? `回复「${u.candidates[0]}」或「${u.candidates[0]}：${u.number ?? '数值'}」也可以。`
    : '';
  switch (u.why) {
    case 'unreadable_number':
      return `${where}的数字看不清（可能混入了字母），没有记录。请重新发送这个数，例如「${u.candidates[0] ?? '指标编号'}：数值」。`;
    case 'conflicting_totals':
      return `${where}：同一项指标在这条消息里有两个不同的累计数，请选择它属于哪项指标，或取消后重新发送正确的累计数。${example}`;
    default: {
      const names = u.candidates
        .slice(0, 3)
        .map((id) => catalog.metric(id)?.name)
        .filter(Boolean);
      return `${where}是哪项指标的数？${names.length ? `可能是${names.join('、')}${u.candidates.length > 3 ? '等' : ''}。` : ''}${example}`;
    }
  }
}

/** Why a figure was refused, for the 未记录 part of a reply. */
export function refusalFor(u: UnresolvedFigure, catalog: Catalog, org: string): string {
  switch (u.why) {
    case 'outside_year':
      return `「${u.raw}」：日期${u.asOf ? ` ${u.asOf}` : ''}不在 ${catalog.year} 年内，不是今年的进度，没有记录`;
    case 'scope_not_allowed':
      return `「${u.raw}」：写的是${u.scope && u.scope !== 'city' ? u.scope : '全市'}的数，${org}只报送本区县的数；本区县的数请直接写，不要写「全市」`;
    case 'unit_mismatch':
      return `「${u.raw}」：单位「${u.unit}」与${u.candidates[0] ? `指标 ${u.candidates[0]} 的单位「${catalog.metric(u.candidates[0])?.unit ?? ''}」` : '所写指标'}不符`;
    case 'unknown_unit':
      return `「${u.raw}」：单位「${u.unit}」不属于任何指标`;
    default:
      return `「${u.raw}」：${u.note}`;
  }
}
