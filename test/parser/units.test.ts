import { describe, expect, it } from 'vitest';
import { parseNumeral } from '../../src/parser/numerals.js';
import { scanDates } from '../../src/parser/dates.js';
import { normalize } from '../../src/parser/normalize.js';

describe('numerals', () => {
  it.each([
    ['1203', 1203],
    ['1,912', 1912],
    ['10,350', 10350],
    ['79.6', 79.6],
    ['１２３', 123],
    ['1.1万', 11000],
    ['4186万', 41860000],
    ['1.92亿', 192000000],
    ['两万三千', 23000],
    ['一百二十五', 125],
    ['九百零八', 908],
    ['十五', 15],
    ['二十', 20],
    ['三百二十', 320],
    ['四十二万', 420000],
    ['三点七五', 3.75],
    ['一千〇八', 1008],
    ['1万2000', 12000],
    ['十万', 100000],
    ['1亿2000万', 120000000],
    ['零', 0],
    ['两', 2],
    ['二〇二四', 2024],
  ])('%s → %d', (s, v) => expect(parseNumeral(normalize(s))).toBeCloseTo(v, 9));
  it.each(['千', '万', '百分', 'abc', '', '1，200'])('%s is not one number', (s) =>
    expect(parseNumeral(s)).toBeUndefined(),
  );
});

describe('dates', () => {
  it.each([
    ['截至10月底', '2024-11-02', '2024-10-31', true],
    ['截至7月10日', '2024-07-12', '2024-07-10', true],
    ['1-8月', '2024-09-05', '2024-08-31', true],
    ['1至8月', '2024-09-05', '2024-08-31', true],
    ['1月-8月', '2024-09-05', '2024-08-31', true],
    ['上半年', '2024-07-05', '2024-06-30', true],
    ['前11个月', '2024-12-05', '2024-11-30', true],
    ['前三季度', '2024-10-05', '2024-09-30', true],
    ['截至十月底', '2024-11-02', '2024-10-31', true],
    ['截至12月底', '2025-01-03', '2024-12-31', true],
    ['2024年2月底', '2024-03-03', '2024-02-29', false],
    ['7月10日', '2024-07-12', '2024-07-10', false],
    ['截至6月', '2024-07-02', '2024-06-30', true],
  ])('%s on %s → %s', (text, date, asOf, cumulative) => {
    const [d] = scanDates(text, date);
    expect(d).toMatchObject({ asOf, cumulative });
  });
  it.each(['7月', '2月30日', '13月底', '3个月'])('%s names no as-of date', (text) =>
    expect(scanDates(text, '2024-10-31')).toEqual([]),
  );
});

describe('normalize', () => {
  it('keeps length and the Chinese comma', () => {
    const s = '１２，３４５．６％　ＫＭ';
    expect(normalize(s)).toBe('12，345.6% km');
    expect(normalize(s)).toHaveLength(s.length);
  });
});
