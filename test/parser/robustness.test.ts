import { describe, expect, it } from 'vitest';
import { runParserBench } from '../../bench/parser.js';
import { MAX_REPORT_CHARS, parseReport } from '../../src/parser/parseReport.js';
import { type catalog, parse } from './helpers.js';

// Hostile and random input never throws, and the work per message is bounded.

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ALPHABET =
  '0123456789１２３，。、；：（）()%％万亿千百十零〇一二两三四五六七八九个座家所台户人名条处平方米公里亩截至本周累计新增共约余多左右以上第号线月日年元渝中区江北全市口袋公园老旧小区泊位托位-：: \n\t😀\u0000\u0007\u202e';

describe('robustness', () => {
  const hostile = [
    '',
    ' ',
    '\n\n\n',
    '😀🎉👍',
    '\u0000\u0001\u0002\u001f',
    '1'.repeat(100),
    '一'.repeat(200),
    '万'.repeat(500),
    '((((((((((1))))))))))',
    '（（（（（目标（1个）））））',
    '1-1：',
    '1-1：1-2：1-3：',
    '99-99：5',
    '百分之',
    '百分之百分之',
    '约约约约1个',
    '1,,,,,2个',
    '1.2.3.4个',
    '截至截至截至月底',
    '13月32日',
    '0个',
    '-5个',
    '1e308个',
    `${'9'.repeat(400)}个`,
    '\ud800\udc00\ud800',
    '老旧小区'.repeat(100),
    `口袋公园${'、渝中区12个'.repeat(300)}`,
    '1-'.repeat(1000),
    `${'第'.repeat(1000)}1个`,
  ];
  it.each(hostile.map((h) => [h.slice(0, 40), h]))('does not throw on %j', (_label, text) => {
    expect(() => parse(text)).not.toThrow();
    const r = parse(text);
    for (const i of r.items) if ('value' in i) expect(Number.isFinite(i.value)).toBe(true);
  });

  it('random strings never throw', () => {
    const r = rng(42);
    for (let k = 0; k < 2000; k++) {
      const n = Math.floor(r() * 80);
      let s = '';
      for (let i = 0; i < n; i++) s += ALPHABET.charAt(Math.floor(r() * ALPHABET.length));
      expect(() => parse(s, r() < 0.5 ? '渝中区' : '市城市管理局')).not.toThrow();
    }
  });

  it('unknown sender and bad date do not throw', () => {
    expect(() => parse('口袋公园92个', '不存在的单位', 'not-a-date')).not.toThrow();
  });

  // Bounded work: every scan is one pass over the text, and the text is at most MAX_REPORT_CHARS long.
  // Speed itself is measured in the benchmark (parser.msgs_per_s, longMessageMs), not here.
  it('reads a message of the maximum length in full', () => {
    const base = '截至10月底，渝中区新开工改造城镇老旧小区1203个，改造面积2790万平方米；本周新增托位320个。';
    const long = base.repeat(Math.ceil(MAX_REPORT_CHARS / base.length)).slice(0, MAX_REPORT_CHARS);
    const r = parse(long);
    expect(r.tooLong).toBeUndefined();
    expect(r.items.length).toBeGreaterThanOrEqual(3); // repeated figures collapse to one each
  });

  it('a maximum-length message with no punctuation is read', () => {
    const long = '口袋公园12个渝中区'.repeat(600).slice(0, MAX_REPORT_CHARS);
    const r = parse(long);
    expect(r.tooLong).toBeUndefined();
    expect(r.items.some((i) => i.metric === '3-1')).toBe(true);
  });

  it('refuses a 200,000-character message without reading it', () => {
    const huge = '口袋公园12个渝中区'.repeat(20000);
    expect(huge.length).toBe(200000);
    // A catalog that throws when touched: refusing must not compile the catalog or scan the text.
    const untouchable = new Proxy(
      {},
      {
        get: () => {
          throw new Error('the catalog was read');
        },
      },
    ) as unknown as typeof catalog;
    const r = parseReport(huge, { catalog: untouchable, senderOrg: '市城市管理局', date: '2024-10-31' });
    expect(r).toEqual({
      items: [],
      needsClarification: false,
      unresolved: [],
      tooLong: { length: 200000, max: MAX_REPORT_CHARS },
    });
    expect(parse('口'.repeat(MAX_REPORT_CHARS + 1)).tooLong).toEqual({
      length: MAX_REPORT_CHARS + 1,
      max: MAX_REPORT_CHARS,
    });
  });

  it('the benchmark runs tiny', () => {
    const r = runParserBench({ size: 'tiny' });
    expect(r.figures.map((f) => f.name)).toEqual(['parser.msgs_per_s', 'parser.vs_recognizers']);
    for (const f of r.figures) expect(f.value).toBeGreaterThan(0);
  }, 60_000);
});
