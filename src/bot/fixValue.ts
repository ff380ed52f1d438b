import type { Metric } from '../catalog/Catalog.js';
import { COUNT_NOUNS, parseUnit } from '../catalog/units.js';
import { amount } from '../cards/format.js';

/** Far beyond this share of the target a typed figure is a slip of the keyboard, not progress: refused. */
export const ABSURD_OVER_TARGET = 10;

export type FixValue = { ok: true; value: number; reading?: string } | { ok: false; reason: string };

/**
 * The number of a /修改 (or a text answer) in the metric's stored unit. People type the count in
 * the word they count in: for a metric kept in 万个, 「9900」 is 9,900 个 = 0.99 万个 (a whole
 * number is read in the counting word; 「0.99」 with a fraction, or 「0.99万个」, in the stored unit).
 * Non-numbers, negatives, infinities and figures wildly beyond the target are refused.
 */
export function readFixValue(metric: Metric, raw: string): FixValue {
  const t = raw.replace(/[,，\s]/g, '');
  const m = /^([+-]?)(\d+(?:\.\d+)?)(.*)$/.exec(t);
  if (!m) return { ok: false, reason: `「${raw}」不是数值，请写阿拉伯数字，例如「${example(metric)}」` };
  if (m[1] === '-') return { ok: false, reason: '数值不能是负数（进度只增不减；写错了请写正确的累计数）' };
  const n = Number(m[2]);
  if (!Number.isFinite(n)) return { ok: false, reason: `「${raw}」不是有效的数值` };
  const mu = parseUnit(metric.unit ?? '');
  const unitText = m[3] ?? '';
  let value = n;
  let reading: string | undefined;
  if (unitText) {
    const u = parseUnit(unitText);
    // 9e999, 12.5.3, 100abc: not a number followed by a unit, but a malformed number.
    if (!u && /^[\w.+-]+$/.test(unitText) && !/^(km|m2|m²)$/i.test(unitText))
      return { ok: false, reason: `「${raw}」不是数值，请写阿拉伯数字，例如「${example(metric)}」` };
    if (!u || !mu || u.base !== mu.base)
      return { ok: false, reason: `单位「${unitText}」与指标 ${metric.id} 的单位「${metric.unit ?? '无'}」不符` };
    value = Number(((n * u.factor) / mu.factor).toPrecision(12));
  } else if (mu && mu.factor > 1 && (COUNT_NOUNS as readonly string[]).includes(mu.base) && Number.isInteger(n)) {
    value = Number((n / mu.factor).toPrecision(12));
    reading = `「${m[2]}」按「${mu.base}」读`;
  }
  if (!Number.isFinite(value)) return { ok: false, reason: `「${raw}」不是有效的数值` };
  if (mu?.base === '%' && value > 100) return { ok: false, reason: `${amount(metric, value)} 超过 100%，请核对` };
  if (metric.target !== undefined && metric.target > 0 && value > metric.target * ABSURD_OVER_TARGET) {
    return {
      ok: false,
      reason: `${amount(metric, value)} 是目标 ${amount(metric, metric.target)} 的 ${Math.round(value / metric.target)} 倍，看起来不对，请核对数值和单位`,
    };
  }
  return reading ? { ok: true, value, reading } : { ok: true, value };
}

function example(metric: Metric): string {
  return `/修改 ${metric.id} ${metric.target !== undefined ? Math.round((metric.target * (parseUnit(metric.unit ?? '')?.factor ?? 1)) / 2) : 100}`;
}
