import { describe, expect, it } from 'vitest';
import { parseUnit } from '../../src/catalog/units.js';
import { catalog, figures, parse } from './helpers.js';

// Every count/level metric, through each of its names and aliases, in the phrasings people use:
// the metric, the value in the metric's unit, mode, scope and as-of must all come out right.

interface Case {
  text: string;
  org: string;
  metric: string;
  value: number;
  mode: string;
  scope: string;
  asOf: string;
}

const cases: Case[] = [];
for (const m of catalog.metrics) {
  if (m.kind === 'milestone' || !m.unit) continue;
  const u = parseUnit(m.unit)!;
  // Write the figure in the base unit (万个 → 个) so conversion is exercised.
  const written = u.base === '%' ? 42 : u.base === '个/千人' ? 3.6 : u.factor === 1e4 ? 12300 : 37;
  const expected = u.base === '%' || u.base === '个/千人' ? written : Number((written / u.factor).toPrecision(12));
  const unitText = u.base === '个/千人' ? '个' : u.base;
  const org = m.lead[0]!;
  const words = [m.name, ...m.aliases].filter((w) => !/\d/.test(w));
  for (const w of words) {
    // Skip words that name several metrics with the same unit (the unit cannot pick one).
    const sameUnit = catalog.metrics.filter(
      (x) => x.id !== m.id && x.unit && [x.name, ...x.aliases].includes(w) && parseUnit(x.unit)?.base === u.base,
    );
    if (sameUnit.length) continue;
    const level = m.kind === 'level';
    cases.push({
      text: `${w}累计完成${written}${unitText}`,
      org,
      metric: m.id,
      value: expected,
      mode: 'cumulative',
      scope: 'city',
      asOf: '2024-10-31',
    });
    cases.push({
      text: `本周${w}${written}${unitText}`,
      org,
      metric: m.id,
      value: expected,
      mode: level ? 'cumulative' : 'increment',
      scope: 'city',
      asOf: '2024-10-31',
    });
    cases.push({
      text: `截至9月底，${w}达到${written}${unitText}。`,
      org,
      metric: m.id,
      value: expected,
      mode: 'cumulative',
      scope: 'city',
      asOf: '2024-09-30',
    });
    cases.push({
      text: `江北区${w}${written}${unitText}`,
      org,
      metric: m.id,
      value: expected,
      mode: 'cumulative',
      scope: '江北区',
      asOf: '2024-10-31',
    });
    cases.push({
      text: `${w}${written}${unitText}`,
      org: '石柱土家族自治县',
      metric: m.id,
      value: expected,
      mode: 'cumulative',
      scope: '石柱土家族自治县',
      asOf: '2024-10-31',
    });
  }
}

describe('every metric and alias', () => {
  it('generates hundreds of cases', () => expect(cases.length).toBeGreaterThan(300));
  it.each(cases)('$org: $text', (c) => {
    const r = parse(c.text, c.org);
    const f = figures(r);
    expect(r.needsClarification).toBe(false);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ metric: c.metric, mode: c.mode, scope: c.scope, asOf: c.asOf });
    expect(f[0]!.value).toBeCloseTo(c.value, 9);
  });
});
