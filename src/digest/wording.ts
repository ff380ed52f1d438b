import { STATUS_LABEL } from '../progress/types.js';
import type { DigestData, DigestMetric, DigestProject } from './computeDigest.js';
import { fmt, md } from './format.js';

// Wording the digest's card and text share: as-of dates and stale marks, what a status is judged
// against, the unit ranking, who did not report, and the legend that states the rules.

/** "截至10月24日", with "〔已 9 周未更新〕" when stale; "" with no data. */
export function asOfMark(m: Pick<DigestMetric, 'asOf' | 'stale' | 'ageDays'>): string {
  if (!m.asOf) return '';
  return `截至${md(m.asOf)}${m.stale ? `〔已 ${Math.floor((m.ageDays ?? 0) / 7)} 周未更新〕` : ''}`;
}

/** "58.1%（序时 82.5%）" for a count, "达目标值 58.1%" for a level. */
export function progressPct(m: Pick<DigestMetric, 'rule' | 'donePct' | 'expectedPct'>): string {
  if (m.rule === 'milestone') return '';
  if (m.donePct === null) return '';
  if (m.rule === 'target') return `达目标值 ${fmt(m.donePct)}%`;
  return `${fmt(m.donePct)}%（序时 ${fmt(m.expectedPct)}%）`;
}

export function projectFigure(p: DigestProject): string {
  if (p.noData) return '未报送';
  if (p.donePct === null) return '';
  const part = p.reported < p.quantified ? `，${p.quantified - p.reported} 项未报送不计` : '';
  return `完成 ${fmt(p.donePct)}%，应达 ${fmt(p.expectedPct)}%${part}`;
}

export function rankingLines(d: DigestData, limit: number): string[] {
  const lines = d.ranking.slice(0, limit).map((u) => {
    const behind = u.behind.length ? `：${u.behind.slice(0, 6).join('、')}${u.behind.length > 6 ? ' 等' : ''}` : '';
    return `${u.rank}. ${u.org} ${fmt(u.scorePct)}%（${STATUS_LABEL[u.worst]}${behind}）`;
  });
  if (d.ranking.length > limit) lines.push(`……另有 ${d.ranking.length - limit} 个单位`);
  return lines;
}

export function missingLine(d: DigestData): string {
  const span = `${md(d.reportingWeek.from)}—${md(d.reportingWeek.to)}`;
  if (!d.reportingWeek.reminded) return `上周（${span}）无工作日发报送提醒（节假日），不计未报送。`;
  if (d.missingUnits.length === 0) return `上周（${span}）应报送的单位均已报送。`;
  return `上周未报送单位（${span}）：${d.missingUnits.map((u) => `${u.org}（${u.metrics.join('、')}）`).join('；')}`;
}

export function unboundLine(d: DigestData): string | null {
  if (d.unitsWithoutContact.length === 0) return null;
  return `未绑定联系人、无法提醒的单位（已告知管理员，不计未报送）：${d.unitsWithoutContact.map((u) => `${u.org}（${u.metrics.join('、')}）`).join('；')}`;
}

/** The rules behind every status and mark on the digest, stated once. */
export function legend(d: DigestData): string[] {
  return [
    `计数类指标按序时进度判断（目标 × 截止日前已过天数占比）；比率、占比、规模等水平类指标不随时间累计，按当前值占目标值的比例判断；里程碑按已完成 / 推进中 / 未启动。`,
    `正常 ≥ 应达的 ${fmt(d.thresholds.onTrack * 100)}%，滞后 ≥ ${fmt(d.thresholds.lagging * 100)}%，以下为严重滞后；达到目标为已完成；无数据为未报送。`,
    `单位排名：所牵头指标“完成 / 应达”的平均（每项最多 100%，未报送计 0，里程碑推进中计 100%、未启动计 50%），由差到好。`,
    `“截至”为数据的截至日期；早于 ${d.staleWeeks} 周标〔已 N 周未更新〕。较上周：与上期周报（${md(d.previousDate)}）相比。`,
  ];
}
