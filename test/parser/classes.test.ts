import { describe, expect, it } from 'vitest';
import { catalog, figures, parse } from './helpers.js';
import { valueForChoice } from '../../src/parser/parseReport.js';
import type { UnresolvedWhy } from '../../src/parser/types.js';

// The everyday forms of issue 10, one table per class, in sentences written for these tests (not the
// eval corpus). Each row states every figure that must be recorded and, where it matters, why the
// others were not (the `why` codes are the contract the bot words its replies from).

type Exp = { metric: string; value: number; mode?: 'cumulative' | 'increment'; scope?: string; asOf?: string };
interface Row {
  text: string;
  org: string;
  date: string;
  items: Exp[];
  /** The why codes of unresolved figures, in text order (only checked when given). */
  unresolved?: UnresolvedWhy[];
  asks?: boolean;
}

function row(text: string, org: string, date: string, items: Exp[], unresolved?: UnresolvedWhy[], asks?: boolean): Row {
  return { text, org, date, items, ...(unresolved ? { unresolved } : {}), ...(asks !== undefined ? { asks } : {}) };
}

function check(r: Row): void {
  const res = parse(r.text, r.org, r.date);
  const got = figures(res);
  expect(got.map((g) => [g.metric, g.scope])).toEqual(
    r.items.map((e) => [e.metric, e.scope ?? (CITY_UNITS.has(r.org) ? 'city' : r.org)]),
  );
  r.items.forEach((e, k) => {
    const g = got[k]!;
    expect(g.value).toBeCloseTo(e.value, 9);
    expect(g.mode).toBe(e.mode ?? 'cumulative');
    expect(g.asOf).toBe(e.asOf ?? r.date);
  });
  if (r.unresolved) expect(res.unresolved.map((u) => u.why)).toEqual(r.unresolved);
  if (r.asks !== undefined) expect(res.needsClarification).toBe(r.asks);
  else expect(res.needsClarification).toBe(res.unresolved.some((u) => u.action === 'ask'));
  for (const u of res.unresolved) expect(r.text.slice(u.span[0], u.span[1]).length).toBeGreaterThan(0);
}

const CITY_UNITS = new Set([
  '市住房城乡建委',
  '市城市管理局',
  '市体育局',
  '市残联',
  '市卫生健康委',
  '市教委',
  '市民政局',
  '市生态环境局',
  '市交通运输委',
  '市农业农村委',
  '市妇联',
  '市发展改革委',
  '市公安局',
  '市供销合作社',
]);
const J = '市住房城乡建委';
const C = '市城市管理局';
const H = '市卫生健康委';
const CL = '市残联';

const notProgress: Row[] = [
  // last year's figures
  row('2023年全年建成口袋公园86个，今年已建成41个', C, '2024-08-02', [{ metric: '3-1', value: 41 }], ['prior_year']),
  row('今年累计整治窨井盖1.5万个，去年同期为1.2万个', C, '2024-08-02', [{ metric: '6-2', value: 1.5 }], ['prior_year']),
  row('上年度全市新增托位8600个', H, '2024-03-02', [], ['prior_year'], false),
  row('去年全年培训心理危机干预骨干医生96人', H, '2024-03-02', [], ['prior_year'], false),
  // changes
  row('山城绿道累计建成86公里，同比增长12.5%', C, '2024-08-02', [{ metric: '2-4', value: 86 }], ['change']),
  row('新增残疾人就业1520人，较上年同期增加210人', CL, '2024-08-02', [{ metric: '13-2', value: 1520 }], ['change']),
  row('普惠托位占比41%，比上月提高2%', H, '2024-08-02', [{ metric: '10-3', value: 41 }], ['change']),
  row('口袋公园本周建成6个，比上周多2个，累计达到73个', C, '2024-08-02', [{ metric: '3-1', value: 73 }]),
  row('每千人口托位数3.5个，环比增加0.2个', H, '2024-08-02', [{ metric: '10-2', value: 3.5 }], ['change']),
  row(
    '农业社会化服务完成152万亩，与去年相比增长6万亩',
    '市农业农村委',
    '2024-08-02',
    [{ metric: '9-1', value: 152 }],
    ['change'],
  ),
  // beneficiaries and money
  row('渝馨家园建成62家，带动就业300余人', CL, '2024-08-02', [{ metric: '13-1', value: 62 }], ['beneficiaries'], false),
  row('老旧小区新开工1320个，总投资12.8亿元', J, '2024-08-02', [{ metric: '1-1', value: 1320 }], [], false),
  row('轨道站点步行便捷性项目开工9个，总投资4.2亿', J, '2024-08-02', [{ metric: '4-1', value: 9 }], undefined, false),
  row(
    '口袋公园建成40个，惠及周边居民12万人',
    C,
    '2024-08-02',
    [{ metric: '3-1', value: 40 }],
    ['beneficiaries'],
    false,
  ),
  // unfinished work
  row('体育公园建成7座，另有3座在施工', '市体育局', '2024-08-02', [{ metric: '3-3', value: 7 }], ['unfinished'], false),
  row(
    '渝好空间建成18个，剩余6个在推进',
    '市妇联',
    '2024-08-02',
    [{ metric: '14-1', value: 18 }],
    ['unfinished'],
    false,
  ),
  row('口袋公园建成80个，其余20个正在建设', C, '2024-08-02', [{ metric: '3-1', value: 80 }], ['unfinished'], false),
  row(
    '火化殡仪馆已启动1个，另有1个在做前期',
    '市民政局',
    '2024-08-02',
    [{ metric: '15-1', value: 1 }],
    ['unfinished'],
    false,
  ),
  // stock totals beside this year's metric
  row(
    '新增残疾人就业1650人，全市历年累计安置残疾人就业9.2万人',
    CL,
    '2024-08-02',
    [{ metric: '13-2', value: 1650 }],
    ['stock'],
    false,
  ),
  row('新增托位9200个，全市托位总数达到6.1万个', H, '2024-08-02', [{ metric: '10-1', value: 0.92 }], ['stock'], false),
  row(
    '全市新增“错时共享”停车泊位4.62万个，累计共享泊位达到13万个',
    C,
    '2024-12-10',
    [{ metric: '5-2', value: 4.62 }],
    ['stock'],
    false,
  ),
  row(
    '全市新增错时共享泊位4.62万个，累计共享泊位达到13万个',
    C,
    '2024-12-10',
    [{ metric: '5-2', value: 4.62 }],
    ['stock'],
    false,
  ),
  row(
    '全市错时共享泊位保有量18万个，今年新增2.1万个',
    C,
    '2024-08-02',
    [{ metric: '5-2', value: 2.1 }],
    ['stock'],
    false,
  ),
  // targets and shares of a target
  row(
    '新增托位1.02万个，完成年度任务的92.7%',
    H,
    '2024-11-05',
    [{ metric: '10-1', value: 1.02 }],
    ['other_rate'],
    false,
  ),
  row(
    '农村公路安防工程完成3,100公里，占全年目标的77.5%',
    '市交通运输委',
    '2024-09-20',
    [{ metric: '7-1', value: 3100 }],
    ['other_rate'],
    false,
  ),
  row('普惠托位占比42%，高于40%的年度目标', H, '2024-08-02', [{ metric: '10-3', value: 42 }], ['plan'], false),
];

const twoTotals: Row[] = [
  row(
    '口袋公园累计建成73个。口袋公园累计建成75个',
    C,
    '2024-08-02',
    [],
    ['conflicting_totals', 'conflicting_totals'],
    true,
  ),
  row(
    '截至9月底体育公园累计建成6座，截至10月底累计建成8座',
    '市体育局',
    '2024-11-02',
    [],
    ['conflicting_totals', 'conflicting_totals'],
    true,
  ),
  row('口袋公园建成73个，累计建成75个', C, '2024-08-02', [{ metric: '3-1', value: 75 }], ['secondary_total'], false),
  // One qualifier shared by a list: 学生 takes the place of 教师 in 课后服务的教师 (two metrics, not two totals).
  row(
    '课后服务的教师20.2万人、学生299.6万人',
    '市教委',
    '2024-10-21',
    [
      { metric: '11-2', value: 20.2 },
      { metric: '11-3', value: 299.6 },
    ],
    [],
    false,
  ),
  row('口袋公园累计建成73个，口袋公园累计建成73个', C, '2024-08-02', [{ metric: '3-1', value: 73 }], [], false),
];

const dates: Row[] = [
  row('截至前天，口袋公园累计建成70个', C, '2024-09-12', [{ metric: '3-1', value: 70, asOf: '2024-09-10' }]),
  row('前天新建口袋公园2个', C, '2024-09-12', [{ metric: '3-1', value: 2, mode: 'increment', asOf: '2024-09-10' }]),
  row('昨天新增托位50个', H, '2024-09-12', [{ metric: '10-1', value: 0.005, mode: 'increment', asOf: '2024-09-11' }]),
  row('截止昨天，体育公园累计建成5座', '市体育局', '2024-09-12', [{ metric: '3-3', value: 5, asOf: '2024-09-11' }]),
  row('上周三又建成口袋公园1个', C, '2024-09-12', [{ metric: '3-1', value: 1, mode: 'increment', asOf: '2024-09-04' }]),
  row('截至上周五，渝馨家园建成70家', CL, '2024-09-23', [{ metric: '13-1', value: 70, asOf: '2024-09-20' }]),
  row('上周新增托位120个', H, '2024-09-12', [{ metric: '10-1', value: 0.012, mode: 'increment', asOf: '2024-09-08' }]),
  row('上个月完成农村公路安防工程96公里', '市交通运输委', '2024-09-03', [
    { metric: '7-1', value: 96, mode: 'increment', asOf: '2024-08-31' },
  ]),
  row('上月新增残疾人就业140人', CL, '2024-03-05', [
    { metric: '13-2', value: 140, mode: 'increment', asOf: '2024-02-29' },
  ]),
  row('截至10.31，口袋公园累计建成88个', C, '2024-11-04', [{ metric: '3-1', value: 88, asOf: '2024-10-31' }]),
  row('截至10/31，口袋公园累计建成88个', C, '2024-11-04', [{ metric: '3-1', value: 88, asOf: '2024-10-31' }]),
  row('截至2024-10-18，口袋公园累计建成86个', C, '2024-10-21', [{ metric: '3-1', value: 86, asOf: '2024-10-18' }]),
  row('2024/10/18 口袋公园累计建成86个', C, '2024-10-21', [{ metric: '3-1', value: 86, asOf: '2024-10-18' }]),
  row('11.18-11.22新建口袋公园3个', C, '2024-11-25', [
    { metric: '3-1', value: 3, mode: 'increment', asOf: '2024-11-22' },
  ]),
  row('10/14-18，新增托位90个', H, '2024-10-21', [
    { metric: '10-1', value: 0.009, mode: 'increment', asOf: '2024-10-18' },
  ]),
  row('9.15统计，体育公园累计建成6座', '市体育局', '2024-09-18', [{ metric: '3-3', value: 6, asOf: '2024-09-15' }]),
  row('山城绿道建成9.15公里', C, '2024-09-18', [{ metric: '2-4', value: 9.15 }]),
  row('10月14日至18日，全市新增托位210个', H, '2024-10-21', [
    { metric: '10-1', value: 0.021, mode: 'increment', asOf: '2024-10-18' },
  ]),
  row('9月2日-6日新开工老旧小区11个', J, '2024-09-09', [
    { metric: '1-1', value: 11, mode: 'increment', asOf: '2024-09-06' },
  ]),
  row('10月9日新增渝馨家园1家', CL, '2024-10-12', [
    { metric: '13-1', value: 1, mode: 'increment', asOf: '2024-10-09' },
  ]),
  row('7月3日又新建口袋公园2个', C, '2024-07-05', [{ metric: '3-1', value: 2, mode: 'increment', asOf: '2024-07-03' }]),
  row('前9个月，全市体育公园累计建成6座', '市体育局', '2024-10-09', [{ metric: '3-3', value: 6, asOf: '2024-09-30' }]),
  row('截至2023年末，全市建成口袋公园300个', C, '2024-02-05', [], ['outside_year'], false),
  row('2023年底口袋公园累计建成300个', C, '2024-02-05', [], ['outside_year'], false),
  row('截至去年底，口袋公园建成300个', C, '2024-01-08', [], ['outside_year'], false),
  row('上年末体育公园累计建成3座', '市体育局', '2024-01-08', [], ['outside_year'], false),
  row('口袋公园建成100个，提前半个月完成全年任务', C, '2024-12-10', [{ metric: '3-1', value: 100 }]),
  row('骨干医生培训123人，比计划提前一个月', H, '2024-10-28', [{ metric: '12-5', value: 123 }]),
];

const numbers: Row[] = [
  row('老旧小区新开工1\u200b203个', J, '2024-08-02', [{ metric: '1-1', value: 1203 }]),
  row('老旧小区新开工1\u2060203个', J, '2024-08-02', [{ metric: '1-1', value: 1203 }]),
  row('老旧小区新开工12\u00ad03个', J, '2024-08-02', [{ metric: '1-1', value: 1203 }]),
  row('老旧小区新开工1\u00a0203个', J, '2024-08-02', [{ metric: '1-1', value: 1203 }]),
  row('老旧小区新开工1\u2009203个', J, '2024-08-02', [{ metric: '1-1', value: 1203 }]),
  row('窨井盖整治累计完成1.\u200b36万个', C, '2024-08-02', [{ metric: '6-2', value: 1.36 }]),
  row('\ufeff口袋公园\u00a0建成\u200b92个', C, '2024-08-02', [{ metric: '3-1', value: 92 }]),
  row('普惠托位占比四成二', H, '2024-08-02', [{ metric: '10-3', value: 42 }]),
  row('心理健康核心知识知晓率七成六', '市教委', '2024-08-02', [{ metric: '12-2', value: 76 }]),
  row('普惠托位占比达8成', H, '2024-08-02', [{ metric: '10-3', value: 80 }]),
  row('参与课后服务学生一百九十三万人', '市教委', '2024-08-02', [{ metric: '11-3', value: 193 }]),
  row('参与课后服务学生一百九十三万', '市教委', '2024-08-02', [{ metric: '11-3', value: 193 }]),
  row('口袋公园建成-5个', C, '2024-08-02', [], ['negative_number'], false),
  row('1-1：-12', J, '2024-08-02', [], ['negative_number'], false),
  row('窨井盖整治累计完成1,7O0个', C, '2024-08-02', [], ['unreadable_number'], true),
  row('口袋公园建成1O5个', C, '2024-08-02', [], ['unreadable_number'], true),
  row('山城绿道建成2l.5公里', C, '2024-08-02', [], ['unreadable_number'], true),
];

const unitsAndLabels: Row[] = [
  row('老旧小区改造面积2750万方', J, '2024-08-02', [{ metric: '1-2', value: 2750 }]),
  row('老旧小区新开工改造1380个、2980万方', J, '2024-08-02', [
    { metric: '1-1', value: 1380 },
    { metric: '1-2', value: 2980 },
  ]),
  row('完成治理的421个、96万平方米黑臭水体', '市生态环境局', '2024-08-02', [
    { metric: '8-1', value: 421 },
    { metric: '8-2', value: 96 },
  ]),
  row('提质完成的38个、41.5万平方米街头绿地', C, '2024-08-02', [
    { metric: '2-1', value: 38 },
    { metric: '2-2', value: 41.5 },
  ]),
  row('新增就业残疾人：1650', CL, '2024-08-02', [{ metric: '13-2', value: 1650 }]),
  row('无障碍改造：1802', CL, '2024-08-02', [{ metric: '13-3', value: 1802 }]),
  row('每千人口托位数：3.41', H, '2024-08-02', [{ metric: '10-2', value: 3.41 }]),
  row('窨井盖整治1.3万', C, '2024-08-02', [{ metric: '6-2', value: 1.3 }]),
  row('错时共享泊位新增2.95万', C, '2024-08-02', [{ metric: '5-2', value: 2.95 }]),
  row('参与课后服务学生298万', '市教委', '2024-08-02', [{ metric: '11-3', value: 298 }]),
  row('课后服务参与教师20.3万，参与学生301万', '市教委', '2024-08-02', [
    { metric: '11-2', value: 20.3 },
    { metric: '11-3', value: 301 },
  ]),
  row('区县火化殡仪馆：启动1个；农村示范安葬设施：启动24个', '市民政局', '2024-08-02', [
    { metric: '15-1', value: 1 },
    { metric: '15-3', value: 24 },
  ]),
  row(
    '我市启动2个区县火化殡仪馆建设，3个城市公益性安葬设施和29个农村公益性示范安葬设施已开工',
    '市民政局',
    '2024-11-20',
    [
      { metric: '15-1', value: 2 },
      { metric: '15-2', value: 3 },
      { metric: '15-3', value: 29 },
    ],
  ),
  row('全市参与课后服务的学生达到302.6万人，参与教师20.4万人', '市教委', '2024-10-10', [
    { metric: '11-3', value: 302.6 },
    { metric: '11-2', value: 20.4 },
  ]),
  row('城市公益性安葬设施：启动3个', '市民政局', '2024-08-02', [{ metric: '15-2', value: 3 }]),
  // A thing named that is no catalog word: the sender's only metric with the unit is not assumed.
  row('目前，全市托育机构达到2800余家', H, '2024-12-20', [], ['no_metric'], true),
  row('消除黑臭面积63.5万平方米', '市生态环境局', '2024-07-15', [{ metric: '8-2', value: 63.5 }]),
  // 编号 数值: in the metric's unit, unless that is absurd (over 100× the target) and the counting noun is not.
  row('10-1 9900', H, '2024-10-31', [{ metric: '10-1', value: 0.99 }]),
  row('10-1：0.98', H, '2024-10-31', [{ metric: '10-1', value: 0.98 }]),
  row('5-2：26000', C, '2024-10-31', [{ metric: '5-2', value: 2.6 }]),
  row('1-2 4011', J, '2024-10-31', [{ metric: '1-2', value: 4011 }]),
  row('9-1：1480000', '市农业农村委', '2024-10-31', [{ metric: '9-1', value: 148 }]),
  row('口袋公园2024年第3批', C, '2024-08-02', []),
  row('老旧小区改造座谈会定于10日召开', J, '2024-08-02', []),
];

const zero: Row[] = [
  row('本周口袋公园无新增', C, '2024-06-14', [{ metric: '3-1', value: 0, mode: 'increment' }]),
  row('本周无新增体育公园', '市体育局', '2024-06-14', [{ metric: '3-3', value: 0, mode: 'increment' }]),
  row('渝馨家园本月没有新增', CL, '2024-06-28', [{ metric: '13-1', value: 0, mode: 'increment' }]),
  row('本周新增托位0个', H, '2024-06-14', [{ metric: '10-1', value: 0, mode: 'increment' }]),
  row('本周错时共享泊位无新增', '渝北区', '2024-06-14', [
    { metric: '5-2', value: 0, mode: 'increment', scope: '渝北区' },
  ]),
];

const scope: Row[] = [
  row('全市口袋公园建成95个', '渝中区', '2024-08-02', [], ['scope_not_allowed'], false),
  row(
    '我区口袋公园建成6个，全市累计建成95个',
    '江北区',
    '2024-08-02',
    [{ metric: '3-1', value: 6, scope: '江北区' }],
    ['scope_not_allowed'],
    false,
  ),
  // Another district's figure is an item with that scope: the bot's authorisation refuses it.
  row('江北区口袋公园建成6个', '渝中区', '2024-08-02', [{ metric: '3-1', value: 6, scope: '江北区' }], [], false),
  row('渝中区口袋公园建成6个', '渝中区', '2024-08-02', [{ metric: '3-1', value: 6, scope: '渝中区' }], [], false),
  row('全市口袋公园建成95个', C, '2024-08-02', [{ metric: '3-1', value: 95, scope: 'city' }], [], false),
  row(
    '全市口袋公园已经建了80多个了，我们区9个',
    '南岸区',
    '2024-08-02',
    [{ metric: '3-1', value: 9, scope: '南岸区' }],
    ['scope_not_allowed'],
    false,
  ),
  row('全市 3-1：95', '渝中区', '2024-08-02', [], ['scope_not_allowed'], false),
  row('3-1：7', '渝中区', '2024-08-02', [{ metric: '3-1', value: 7, scope: '渝中区' }], [], false),
  row('全市本周口袋公园无新增', '渝中区', '2024-06-14', [], ['scope_not_allowed'], false),
  row('截至2023年底，3-1：300', C, '2024-02-05', [], ['outside_year'], false),
];

describe('not progress', () => it.each(notProgress)('$text', check));
describe('two running totals', () => it.each(twoTotals)('$text', check));
describe('dates', () => it.each(dates)('$text', check));
describe('numbers', () => it.each(numbers)('$text', check));
describe('units and labels', () => it.each(unitsAndLabels)('$text', check));
describe('zero reports', () => it.each(zero)('$text', check));
describe('scope', () => it.each(scope)('$text', check));

describe('unresolved figures are data', () => {
  it('an ambiguous figure carries its number, unit, candidates and placement', () => {
    const t = '本周完成了15个';
    const r = parse(t, C, '2024-06-14');
    expect(r.needsClarification).toBe(true);
    expect(r.unresolved).toHaveLength(1);
    const u = r.unresolved[0]!;
    expect(u).toMatchObject({
      raw: '15个',
      number: 15,
      unit: '个',
      base: '个',
      amount: 15,
      why: 'no_metric',
      action: 'ask',
      mode: 'increment',
      scope: 'city',
      asOf: '2024-06-14',
    });
    expect(t.slice(u.span[0], u.span[1])).toBe('15个');
    expect(u.candidates.slice(0, 3)).toEqual(['2-1', '2-3', '3-1']);
    expect(r.candidates).toEqual(u.candidates);
  });
  it("the question's example answer is in the metric's unit", () => {
    const r = parse('学生299.6万人', '市教委', '2024-08-02');
    expect(r.question).toMatch(/例如「11-2：299\.6」/); // 万人, not 2996000
  });
  it("a chosen metric turns the figure into that metric's unit", () => {
    const u = parse('本周完成了3150个', H, '2024-06-14').unresolved[0]!;
    expect(u.why).toBe('no_metric');
    expect(valueForChoice(catalog, '10-1', u)).toBeCloseTo(0.315, 9);
    expect(valueForChoice(catalog, '2-4', u)).toBeUndefined(); // 个 is not 公里
    expect(valueForChoice(catalog, '5-1', u)).toBeUndefined(); // a milestone has no value
    expect(u.mode).toBe('increment');
  });
  it('a refused figure says why and asks nothing', () => {
    const r = parse('全市口袋公园建成95个', '渝中区', '2024-08-02');
    expect(r.items).toEqual([]);
    expect(r.needsClarification).toBe(false);
    expect(r.unresolved[0]).toMatchObject({
      why: 'scope_not_allowed',
      action: 'refuse',
      candidates: ['3-1'],
      number: 95,
      scope: 'city',
    });
  });
  it('spans point into the original text when format characters were removed', () => {
    const t = '老旧小区新开工1\u200b203个，改造面积2\u2060790万平方米';
    const fs = figures(parse(t, J, '2024-08-02'));
    expect(fs.map((f) => t.slice(f.span[0], f.span[1]))).toEqual(['1\u200b203个', '2\u2060790万平方米']);
  });
  it('an unreadable number is never guessed', () => {
    const r = parse('窨井盖整治累计完成1,7O0个', C, '2024-08-02');
    expect(r.items).toEqual([]);
    expect(r.unresolved[0]).toMatchObject({ why: 'unreadable_number', action: 'ask', raw: '1,7O0个' });
    expect(r.unresolved[0]!.number).toBeUndefined();
    expect(r.question).toMatch(/看不清/);
  });
});
