import { describe, expect, it } from 'vitest';
import { figures, parse } from './helpers.js';
import type { UnresolvedWhy } from '../../src/parser/types.js';

// Everyday chat as contacts type it (报一下哈, 弄完了, 差不多, 1.2w, full-width digits, a greeting
// line, two reports in one message, clipped metric names), from city units and 区县, labelled
// against ../shared/catalog-2024.md's progress semantics. The same 44 messages are the lead's
// held-out set chat2.jsonl (eval format); the rows after them pin each mechanism's edges.

const DATE = '2024-10-23';
const CITY = new Set([
  '市城市管理局',
  '市住房城乡建委',
  '市卫生健康委',
  '市残联',
  '市民政局',
  '市教委',
  '市妇联',
  '市生态环境局',
  '市交通运输委',
  '市农业农村委',
  '市体育局',
]);

type Exp = { metric: string; value: number; mode?: 'cumulative' | 'increment'; scope?: string; asOf?: string };
interface Row {
  text: string;
  org: string;
  items: Exp[];
  unresolved?: UnresolvedWhy[];
  asks?: boolean;
}

function row(text: string, org: string, items: Exp[], unresolved?: UnresolvedWhy[], asks?: boolean): Row {
  return { text, org, items, ...(unresolved ? { unresolved } : {}), ...(asks !== undefined ? { asks } : {}) };
}

function check(r: Row): void {
  const res = parse(r.text, r.org, DATE);
  const got = figures(res);
  expect(got.map((g) => [g.metric, g.scope])).toEqual(
    r.items.map((e) => [e.metric, e.scope ?? (CITY.has(r.org) ? 'city' : r.org)]),
  );
  r.items.forEach((e, k) => {
    expect(got[k]!.value).toBeCloseTo(e.value, 9);
    expect(got[k]!.mode).toBe(e.mode ?? 'cumulative');
    if (e.asOf) expect(got[k]!.asOf).toBe(e.asOf);
  });
  if (r.unresolved) expect(res.unresolved.map((u) => u.why)).toEqual(r.unresolved);
  if (r.asks !== undefined) expect(res.needsClarification).toBe(r.asks);
}

const chat: Row[] = [
  row('报一下哈，口袋公园目前建成93个', '市城市管理局', [{ metric: '3-1', value: 93 }]),
  row('王处好！\n泊位这边已经弄完4.2万个了', '市城市管理局', [{ metric: '5-2', value: 4.2 }]),
  row('井盖整治差不多1.9万个了', '市城市管理局', [{ metric: '6-2', value: 1.9 }]),
  row('化粪池监测这个月装了36台', '市城市管理局', [{ metric: '6-1', value: 36, mode: 'increment' }]),
  row('绿道本月到现在新增2.4公里', '市城市管理局', [{ metric: '2-4', value: 2.4, mode: 'increment' }]),
  row('旧改开工到现在一共1,702个', '市住房城乡建委', [{ metric: '1-1', value: 1702 }]),
  row('老旧小区这个月新开工36个，面积82万平方米', '市住房城乡建委', [
    { metric: '1-1', value: 36, mode: 'increment' },
    { metric: '1-2', value: 82, mode: 'increment' },
  ]),
  row('轨道站点步行便捷性项目开工了13个', '市住房城乡建委', [{ metric: '4-1', value: 13 }]),
  row('托位共计新增1.05w个', '市卫生健康委', [{ metric: '10-1', value: 1.05 }]),
  row('普惠托位占比目前38%左右', '市卫生健康委', [{ metric: '10-3', value: 38 }]),
  row('骨干医生培训完了，一共126人', '市卫生健康委', [{ metric: '12-5', value: 126 }]),
  row('辅具这周适配了320人次', '市残联', [{ metric: '13-5', value: 320, mode: 'increment' }]),
  row('渝馨家园建成９８家', '市残联', [{ metric: '13-1', value: 98 }]),
  row('就业本月新增160人', '市残联', [{ metric: '13-2', value: 160, mode: 'increment' }]),
  row('无障碍改造基本弄完了，1980户', '市残联', [{ metric: '13-3', value: 1980 }]),
  row('渝好空间已经挂牌21个哈', '市妇联', [{ metric: '14-1', value: 21 }]),
  row('城市公墓启动3个，农村公墓启动28个', '市民政局', [
    { metric: '15-2', value: 3 },
    { metric: '15-3', value: 28 },
  ]),
  row('童心相伴到现在服务了12.6万名孩子', '市民政局', [{ metric: '12-3', value: 12.6 }]),
  row('黑臭水体治了460个左右，面积约90万平方米', '市生态环境局', [
    { metric: '8-1', value: 460 },
    { metric: '8-2', value: 90 },
  ]),
  row('安防工程完成近3800公里', '市交通运输委', [{ metric: '7-1', value: 3800 }]),
  row('社会化服务面积超170万亩啦', '市农业农村委', [{ metric: '9-1', value: 170 }]),
  row('课后服务学生302万、老师20.8万', '市教委', [
    { metric: '11-3', value: 302 },
    { metric: '11-2', value: 20.8 },
  ]),
  row('知晓率目前是81%', '市教委', [{ metric: '12-2', value: 81 }]),
  row('体育公园建了9座，还有1座在收尾', '市体育局', [{ metric: '3-3', value: 9 }]),
  row('体育公园建成8座 尚有2座年底完工', '市体育局', [{ metric: '3-3', value: 8 }]),
  row('口袋公园建成95个，还差5个', '市城市管理局', [{ metric: '3-1', value: 95 }]),
  row('渝北区口袋公园本周新建2个', '渝北区', [{ metric: '3-1', value: 2, mode: 'increment' }]),
  row('我们这边老旧小区开工了28个', '江北区', [{ metric: '1-1', value: 28 }]),
  row('您好，万州区报一下：托位新增了420个', '万州区', [{ metric: '10-1', value: 0.042 }]),
  row('南岸区绿道建成3.5公里，街头绿地2个', '南岸区', [
    { metric: '2-4', value: 3.5 },
    { metric: '2-1', value: 2 },
  ]),
  row('井盖整治这个月搞了300个', '涪陵区', [{ metric: '6-2', value: 0.03, mode: 'increment' }]),
  row('黑臭水体目前治理完成12个', '巴南区', [{ metric: '8-1', value: 12 }]),
  row('康复救助4,900人\n辅具适配9,800人次', '市残联', [
    { metric: '13-4', value: 4900 },
    { metric: '13-5', value: 9800 },
  ]),
  row('口袋公园本周新增3个\n适老化公园改造累计62个', '市城市管理局', [
    { metric: '3-1', value: 3, mode: 'increment' },
    { metric: '3-2', value: 62 },
  ]),
  row('每千人口托位数3.6个了', '市卫生健康委', [{ metric: '10-2', value: 3.6 }]),
  row('殡仪馆2个都启动了', '市民政局', [{ metric: '15-1', value: 2 }]),
  row('窨井盖 1.95万个 整治完成', '市城市管理局', [{ metric: '6-2', value: 1.95 }]),
  row('辅具适配累计1.02w人次', '市残联', [{ metric: '13-5', value: 10200 }]),
  row('旧改面积到目前3,820万平方米', '市住房城乡建委', [{ metric: '1-2', value: 3820 }]),
  row('大足区体育公园1座建成了', '大足区', [{ metric: '3-3', value: 1 }]),
  row('生命安全防护工程这周干了86公里，累计3,902公里', '市交通运输委', [{ metric: '7-1', value: 3902 }]),
  row('绿道项目建成39个', '市城市管理局', [{ metric: '2-3', value: 39 }]),
  row('清零区县创建成功率52%', '市生态环境局', [{ metric: '8-3', value: 52 }]),
  row('早上好\n街头绿地提质完成86个，面积约92万平方米', '市城市管理局', [
    { metric: '2-1', value: 86 },
    { metric: '2-2', value: 92 },
  ]),
];

// Each mechanism, with the neighbours it must leave alone.
const edges: Row[] = [
  // A list sharing one qualifier and verb: the clause's own noun replaces the earlier metric word's.
  row(
    '全市参与课后服务的学生达301万人、教师20.6万人',
    '市教委',
    [
      { metric: '11-3', value: 301 },
      { metric: '11-2', value: 20.6 },
    ],
    [],
    false,
  ),
  row(
    '课后服务的老师20.9万人，学生303万人',
    '市教委',
    [
      { metric: '11-2', value: 20.9 },
      { metric: '11-3', value: 303 },
    ],
    [],
    false,
  ),
  row(
    '农村示范安葬设施启动30个，城市的3个',
    '市民政局',
    [
      { metric: '15-3', value: 30 },
      { metric: '15-2', value: 3 },
    ],
    [],
    false,
  ),
  // …but a noun that names no sibling metric still borrows nothing new (家长 is not a metric).
  row('课后服务学生302万人、家长150万人', '市教委', [{ metric: '11-3', value: 302 }], ['conflicting_totals'], true),
  // Clipped names are a unit's own words: 就业 from 市残联 is 新增残疾人就业, from 市住建委 it is asked about.
  row('康复救助累计4800人，辅具适配9600人次，就业1900人', '市残联', [
    { metric: '13-4', value: 4800 },
    { metric: '13-5', value: 9600 },
    { metric: '13-2', value: 1900 },
  ]),
  row('就业1960人', '市住房城乡建委', [], ['no_metric'], true),
  row('渝馨家园建成62家，带动就业3k人', '市残联', [{ metric: '13-1', value: 62 }], ['beneficiaries'], false),
  row('渝馨95家，无障碍改造1990户', '市残联', [
    { metric: '13-1', value: 95 },
    { metric: '13-3', value: 1990 },
  ]),
  row('渝好22个', '市妇联', [{ metric: '14-1', value: 22 }]),
  row('安防3950公里', '市交通运输委', [{ metric: '7-1', value: 3950 }]),
  row('城市公墓启动3个，农村公墓启动28个', '市民政局', [
    { metric: '15-2', value: 3 },
    { metric: '15-3', value: 28 },
  ]),
  row('公墓启动了31个', '市民政局', [], ['ambiguous_metric'], true),
  // Unfinished work after 还有/还差/尚有/剩下 is never a figure.
  row('体育公园建成9座，还有1座年底完工', '市体育局', [{ metric: '3-3', value: 9 }], ['unfinished'], false),
  row('体育公园目前9座，剩下1座12月底完工', '市体育局', [{ metric: '3-3', value: 9 }], ['unfinished'], false),
  row('无障碍改造完成1,995户，尚有5户月底完工', '市残联', [{ metric: '13-3', value: 1995 }], ['unfinished'], false),
  row(
    '口袋公园建成93个，还有适老化公园60个',
    '市城市管理局',
    [
      { metric: '3-1', value: 93 },
      { metric: '3-2', value: 60 },
    ],
    [],
    false,
  ),
  row('口袋公园98个了，还有2个在收尾', '市城市管理局', [{ metric: '3-1', value: 98 }], ['unfinished'], false),
  row('化粪池监测装了950台，还差50台', '市城市管理局', [{ metric: '6-1', value: 950 }], ['unfinished'], false),
  // 1.2w / 3k are 万 / 千 right after digits; 3km stays kilometres.
  row('泊位差不多4.3w个了哈', '市城市管理局', [{ metric: '5-2', value: 4.3 }]),
  row('绿道干了3km', '市城市管理局', [{ metric: '2-4', value: 3 }]),
  row('童心相伴12.8w人次', '市民政局', [{ metric: '12-3', value: 12.8 }]),
  // 万平 is 万平方米; 个 before people or households counts them.
  row('旧改1720个，面积3900万平', '市住房城乡建委', [
    { metric: '1-1', value: 1720 },
    { metric: '1-2', value: 3900 },
  ]),
  row('康复救助这个月又救助了210个孩子', '市残联', [{ metric: '13-4', value: 210, mode: 'increment' }]),
  row('无障碍改造这周改了40个家庭', '市残联', [{ metric: '13-3', value: 40, mode: 'increment' }]),
  // 分别: metric words listed before it take the figures after it in order.
  row(
    '老师好，口袋公园、体育公园分别是95个、9座',
    '市城市管理局',
    [
      { metric: '3-1', value: 95 },
      { metric: '3-3', value: 9 },
    ],
    [],
    false,
  ),
  row(
    '渝馨家园和无障碍改造分别完成96家、2010户',
    '市残联',
    [
      { metric: '13-1', value: 96 },
      { metric: '13-3', value: 2010 },
    ],
    [],
    false,
  ),
  // A bare total right after a figure with a unit is in that written unit (万 included).
  row(
    '绿道这周贯通2.1公里 累计97.5',
    '市城市管理局',
    [{ metric: '2-4', value: 97.5 }],
    ['superseded_increment'],
    false,
  ),
  row(
    '旧改面积这周82万平方米，累计3900',
    '市住房城乡建委',
    [{ metric: '1-2', value: 3900 }],
    ['superseded_increment'],
    false,
  ),
  row(
    '泊位本周新增1200个，累计4.3万',
    '市城市管理局',
    [{ metric: '5-2', value: 4.3 }],
    ['superseded_increment'],
    false,
  ),
  // …but not a bare number after other words (a code, a phone number).
  row(
    '绿道这周贯通2.1公里，联系电话6688',
    '市城市管理局',
    [{ metric: '2-4', value: 2.1, mode: 'increment' }],
    [],
    false,
  ),
  // A figure listed right after one set aside (only 、 between) is set aside for the same reason.
  row(
    '全市城镇老旧小区改造新开工1780个、3990万平方米，分别完成年度目标的97%、95%',
    '市住房城乡建委',
    [
      { metric: '1-1', value: 1780 },
      { metric: '1-2', value: 3990 },
    ],
    ['other_rate', 'other_rate'],
    false,
  ),
  row(
    '口袋公园建成95个，另有3个在建、2个在设计',
    '市城市管理局',
    [{ metric: '3-1', value: 95 }],
    ['unfinished', 'unfinished'],
    false,
  ),
  // 这周3个 is three this week, not Wednesday; 上周三 still is a Wednesday.
  row('口袋公园这周3个', '市城市管理局', [{ metric: '3-1', value: 3, mode: 'increment' }]),
  row('上周三口袋公园新建2个', '市城市管理局', [{ metric: '3-1', value: 2, mode: 'increment' }]),
  // 30来户 is about 30; a percentage right after 完成 is a share of the target, not asked about.
  row('无障碍改造这周弄了30来户', '市残联', [{ metric: '13-3', value: 30, mode: 'increment' }]),
  row('托位新增10236个，完成93%', '市卫生健康委', [{ metric: '10-1', value: 1.0236 }], ['other_rate'], false),
  // Bare numbers after period or total words, in clauses after one metric label, are its values.
  row('口袋公园：本周+3，累计98', '市城市管理局', [{ metric: '3-1', value: 98 }], ['superseded_increment'], false),
  row('泊位：本月 1200，累计 4.3万', '市城市管理局', [{ metric: '5-2', value: 4.3 }], ['superseded_increment'], false),
  row('口袋公园：本周+3', '市城市管理局', [{ metric: '3-1', value: 3, mode: 'increment' }]),
  // …not after another word (a room number is no figure).
  row('口袋公园98个，会议室1203', '市城市管理局', [{ metric: '3-1', value: 98 }], [], false),
  // An earlier metric word whose unit does not fit names its project (绿道项目…、长度…公里).
  row(
    '全市累计建成山城绿道项目38个、长度达95.6公里，惠及市民超200万人次',
    '市城市管理局',
    [
      { metric: '2-3', value: 38 },
      { metric: '2-4', value: 95.6 },
    ],
    ['beneficiaries'],
    false,
  ),
  // 10个…中，已有9个: the set counted from is not progress.
  row('我市今年新建的10个体育公园中，已有9个建成开放', '市体育局', [{ metric: '3-3', value: 9 }], ['plan'], false),
  // Spacing slips: a space inside Chinese is dropped, 1 790 is one number (never 790).
  row('口袋 公园建成95个', '市城市管理局', [{ metric: '3-1', value: 95 }]),
  row(
    '口袋公园96个 适老化公园64个',
    '市城市管理局',
    [
      { metric: '3-1', value: 96 },
      { metric: '3-2', value: 64 },
    ],
    [],
    false,
  ),
  row(
    '渝中区 口袋公园5个 江北区 3个',
    '市城市管理局',
    [
      { metric: '3-1', value: 5, scope: '渝中区' },
      { metric: '3-1', value: 3, scope: '江北区' },
    ],
    [],
    false,
  ),
  row('老旧 小区 开工 1 790 个', '市住房城乡建委', [{ metric: '1-1', value: 1790 }]),
  row('绿道 2.5 公里，口袋公园 3 个', '市城市管理局', [
    { metric: '2-4', value: 2.5, asOf: DATE },
    { metric: '3-1', value: 3, asOf: DATE },
  ]),
  row('截至10.20 口袋公园95个', '市城市管理局', [{ metric: '3-1', value: 95, asOf: '2024-10-20' }]),
  // Label glue people type (的数：, 户数, a bracket after the number), 目标 before 已完成, 一共 as a total.
  row('口袋公园的数：95', '市城市管理局', [{ metric: '3-1', value: 95 }]),
  row('无障碍改造户数2010', '市残联', [{ metric: '13-3', value: 2010 }]),
  row('报：口袋公园95（累计）', '市城市管理局', [{ metric: '3-1', value: 95 }]),
  row('托位：目标1.1万，已完成1.05万', '市卫生健康委', [{ metric: '10-1', value: 1.05 }], [], false),
  row(
    '口袋公园这个月新建了5个，现在一共96个',
    '市城市管理局',
    [{ metric: '3-1', value: 96 }],
    ['superseded_increment'],
    false,
  ),
  row(
    '区县火化殡仪馆2个已启动，城市公益性安葬设施3个已启动，农村的启动了30个',
    '市民政局',
    [
      { metric: '15-1', value: 2 },
      { metric: '15-2', value: 3 },
      { metric: '15-3', value: 30 },
    ],
    [],
    false,
  ),
  // A period in brackets right after the figure is its period.
  row('绿道新增里程2.3公里（本周）', '市城市管理局', [{ metric: '2-4', value: 2.3, mode: 'increment' }]),
  row('口袋公园95个（累计）', '市城市管理局', [{ metric: '3-1', value: 95 }]),
  // An ambiguous label made definite by each clause's own qualifier.
  row(
    '公墓：城市3个，农村30个',
    '市民政局',
    [
      { metric: '15-2', value: 3 },
      { metric: '15-3', value: 30 },
    ],
    [],
    false,
  ),
  // 完成95% of a count metric is a share of its target, not a unit mismatch.
  row('口袋公园已完成95%', '市城市管理局', [], ['other_rate'], false),
  row('知晓率已完成81%', '市教委', [{ metric: '12-2', value: 81 }], [], false),
  // A bare number after a chat verb is the label's value.
  row('口袋公园建成了99', '市城市管理局', [{ metric: '3-1', value: 99 }]),
  row('就业这块目前1950人左右', '市残联', [{ metric: '13-2', value: 1950 }]),
];

describe('everyday chat (chat2)', () => {
  for (const r of chat) it(JSON.stringify(r.text), () => check(r));
});

describe('everyday chat: mechanisms and their edges', () => {
  for (const r of edges) it(JSON.stringify(r.text), () => check(r));
});
