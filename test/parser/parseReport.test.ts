import { describe, expect, it } from 'vitest';
import { figures, parse } from './helpers.js';

type Exp = {
  metric: string;
  value: number;
  mode?: string;
  scope?: string;
  asOf?: string;
  approximate?: boolean;
  span?: [number, number];
};
type Row = [text: string, org: string | undefined, date: string, expected: Exp[]];

function check([text, org, date, expected]: Row): void {
  const r = parse(text, org, date);
  const got = figures(r);
  expect(got.map((g) => g.metric)).toEqual(expected.map((e) => e.metric));
  expected.forEach((e, k) => {
    const g = got[k]!;
    expect(g.value).toBeCloseTo(e.value, 9);
    expect(g.mode).toBe(e.mode ?? 'cumulative');
    expect(g.scope).toBe(e.scope ?? 'city');
    expect(g.asOf).toBe(e.asOf ?? date);
    expect(Boolean(g.approximate)).toBe(Boolean(e.approximate));
    if (e.span) expect(g.span).toEqual(e.span);
  });
}

const J = '市住房城乡建委';
const C = '市城市管理局';
const D = '2024-10-31';

const numbers: Row[] = [
  ['老旧小区新开工1203个', J, D, [{ metric: '1-1', value: 1203, span: [7, 12] }]],
  ['老旧小区新开工１２０３个', J, D, [{ metric: '1-1', value: 1203, span: [7, 12] }]],
  ['老旧小区新开工1,203个', J, D, [{ metric: '1-1', value: 1203 }]],
  ['老旧小区改造面积2,790.5万平方米', J, D, [{ metric: '1-2', value: 2790.5 }]],
  ['老旧小区改造面积２７９０．５万平方米', J, D, [{ metric: '1-2', value: 2790.5 }]],
  ['老旧小区新开工一千二百零三个', J, D, [{ metric: '1-1', value: 1203 }]],
  ['老旧小区新开工九百零八个', J, D, [{ metric: '1-1', value: 908 }]],
  ['老旧小区新开工一千〇八个', J, D, [{ metric: '1-1', value: 1008 }]],
  ['老旧小区新开工十五个', J, D, [{ metric: '1-1', value: 15 }]],
  ['老旧小区新开工两百个', J, D, [{ metric: '1-1', value: 200 }]],
  ['窨井盖整治两万三千个', C, D, [{ metric: '6-2', value: 2.3 }]],
  ['窨井盖整治1.1万个', C, D, [{ metric: '6-2', value: 1.1 }]],
  ['窨井盖整治1万2000个', C, D, [{ metric: '6-2', value: 1.2 }]],
  ['老旧小区改造面积4186万平方米', J, D, [{ metric: '1-2', value: 4186 }]],
  ['老旧小区改造面积四十二万平方米', J, D, [{ metric: '1-2', value: 42 }]],
  ['老旧小区改造面积1.92亿平方米', J, D, [{ metric: '1-2', value: 19200 }]],
  ['老旧小区改造面积15800平方米', J, D, [{ metric: '1-2', value: 1.58 }]],
  ['老旧小区改造面积15800㎡', J, D, [{ metric: '1-2', value: 1.58 }]],
  ['老旧小区改造面积15800平米', J, D, [{ metric: '1-2', value: 1.58 }]],
  ['老旧小区改造面积15800m²', J, D, [{ metric: '1-2', value: 1.58 }]],
  ['老旧小区改造面积15800M2', J, D, [{ metric: '1-2', value: 1.58 }]],
  ['本周新增托位三百二十个', '市卫生健康委', D, [{ metric: '10-1', value: 0.032, mode: 'increment' }]],
  ['每千人口托位数三点七五个', '市卫生健康委', D, [{ metric: '10-2', value: 3.75 }]],
  ['错时共享泊位约2.6万个', C, D, [{ metric: '5-2', value: 2.6, approximate: true }]],
  ['错时共享泊位近2.6万个', C, D, [{ metric: '5-2', value: 2.6, approximate: true }]],
  ['错时共享泊位超过2.6万个', C, D, [{ metric: '5-2', value: 2.6, approximate: true }]],
  ['错时共享泊位逾2.6万个', C, D, [{ metric: '5-2', value: 2.6, approximate: true }]],
  ['错时共享泊位2.6万余个', C, D, [{ metric: '5-2', value: 2.6, approximate: true }]],
  ['错时共享泊位2000多个', C, D, [{ metric: '5-2', value: 0.2, approximate: true }]],
  ['错时共享泊位2000个左右', C, D, [{ metric: '5-2', value: 0.2, approximate: true }]],
  ['错时共享泊位2000个以上', C, D, [{ metric: '5-2', value: 0.2, approximate: true }]],
  ['辅助器具适配10,350人次，超额完成', '市残联', D, [{ metric: '13-5', value: 10350 }]],
];

const units: Row[] = [
  ['山城绿道建成79.6公里', C, D, [{ metric: '2-4', value: 79.6 }]],
  ['山城绿道建成79.6km', C, D, [{ metric: '2-4', value: 79.6 }]],
  ['山城绿道建成79.6千米', C, D, [{ metric: '2-4', value: 79.6 }]],
  ['山城绿道建成3500米', C, D, [{ metric: '2-4', value: 3.5 }]],
  [
    '山城绿道完成31个项目，建成绿道79.6公里',
    C,
    D,
    [
      { metric: '2-3', value: 31 },
      { metric: '2-4', value: 79.6 },
    ],
  ],
  ['绿道建成5条', C, D, [{ metric: '2-3', value: 5 }]],
  [
    '街头绿地提质项目完成45个，面积42万平方米',
    C,
    D,
    [
      { metric: '2-1', value: 45 },
      { metric: '2-2', value: 42 },
    ],
  ],
  ['黑臭水体治理完成12条', '市生态环境局', D, [{ metric: '8-1', value: 12 }]],
  ['黑臭水体治理完成12处', '市生态环境局', D, [{ metric: '8-1', value: 12 }]],
  [
    '黑臭水体治理完成12个，消除面积3.5万平方米',
    '市生态环境局',
    D,
    [
      { metric: '8-1', value: 12 },
      { metric: '8-2', value: 3.5 },
    ],
  ],
  ['农业社会化服务148万亩', '市农业农村委', D, [{ metric: '9-1', value: 148 }]],
  ['农业社会化服务1480000亩', '市供销合作社', D, [{ metric: '9-1', value: 148 }]],
  ['普惠托位占比38%', '市卫生健康委', D, [{ metric: '10-3', value: 38 }]],
  ['普惠托位占比３８％', '市卫生健康委', D, [{ metric: '10-3', value: 38 }]],
  ['普惠托位占比百分之三十八', '市卫生健康委', D, [{ metric: '10-3', value: 38 }]],
  ['普惠托位占比达八成', '市卫生健康委', D, [{ metric: '10-3', value: 80 }]],
  ['普惠托位占比达4成', '市卫生健康委', D, [{ metric: '10-3', value: 40 }]],
  [
    '建设渝馨家园65家，新增残疾人就业1320人',
    '市残联',
    D,
    [
      { metric: '13-1', value: 65 },
      { metric: '13-2', value: 1320 },
    ],
  ],
  ['建设渝馨家园3所', '市残联', D, [{ metric: '13-1', value: 3 }]],
  ['残疾人就业新增86名', '市残联', D, [{ metric: '13-2', value: 86 }]],
  ['无障碍改造累计完成1,912户（目标2000户）', '市残联', D, [{ metric: '13-3', value: 1912 }]],
  ['无障碍改造完成120家', '市残联', D, [{ metric: '13-3', value: 120 }]],
  ['童心相伴项目已服务困境留守儿童7.4万名', '市民政局', D, [{ metric: '12-3', value: 7.4 }]],
  ['童心相伴服务留守儿童74000人', '市民政局', D, [{ metric: '12-3', value: 7.4 }]],
  [
    '课后服务参与教师19.8万人，参与学生294万人',
    '市教委',
    D,
    [
      { metric: '11-2', value: 19.8 },
      { metric: '11-3', value: 294 },
    ],
  ],
  ['课后服务参与教师19.8万名', '市教委', D, [{ metric: '11-2', value: 19.8 }]],
  [
    '课后服务参与学生达298.5万人，覆盖率100%',
    '市教委',
    D,
    [
      { metric: '11-3', value: 298.5 },
      { metric: '11-4', value: 100 },
    ],
  ],
  [
    '无障碍改造完成1560户，计划12月底前全部完成',
    '市残联',
    '2024-09-27',
    [{ metric: '13-3', value: 1560, asOf: '2024-09-27' }],
  ],
  [
    '无障碍改造完成1560户（截至9月20日）',
    '市残联',
    '2024-09-27',
    [{ metric: '13-3', value: 1560, asOf: '2024-09-20' }],
  ],
  [
    '10月份新增残疾人就业180人',
    '市残联',
    '2024-11-01',
    [{ metric: '13-2', value: 180, mode: 'increment', asOf: '2024-10-31' }],
  ],
  [
    '渝中区、江北区各完成老旧小区改造8个',
    '市住房城乡建委',
    D,
    [
      { metric: '1-1', value: 8, scope: '渝中区' },
      { metric: '1-1', value: 8, scope: '江北区' },
    ],
  ],
  [
    '渝中区和江北区各新建口袋公园2个，南岸区3个',
    '市城市管理局',
    D,
    [
      { metric: '3-1', value: 2, scope: '渝中区' },
      { metric: '3-1', value: 2, scope: '江北区' },
      { metric: '3-1', value: 3, scope: '南岸区' },
    ],
  ],
  [
    '1-10月份新增残疾人就业1800人',
    '市残联',
    '2024-11-01',
    [{ metric: '13-2', value: 1800, mode: 'cumulative', asOf: '2024-10-31' }],
  ],
  [
    '截至10月份，新增残疾人就业1800人',
    '市残联',
    '2024-11-01',
    [{ metric: '13-2', value: 1800, mode: 'cumulative', asOf: '2024-10-31' }],
  ],
  ['精神专科医院新开设儿童青少年心理门诊6家', '市卫生健康委', D, [{ metric: '12-4', value: 6 }]],
  ['10座体育公园全部建成', '市体育局', D, [{ metric: '3-3', value: 10 }]],
  ['体育公园建成8个', '市体育局', D, [{ metric: '3-3', value: 8 }]],
  ['口袋公园建成12处', C, D, [{ metric: '3-1', value: 12 }]],
  ['化粪池安全监测系统安装705套', C, D, [{ metric: '6-1', value: 705 }]],
  ['窨井盖整治15800座', C, D, [{ metric: '6-2', value: 1.58 }]],
  ['每千人口3岁以下婴幼儿托位数达到3.75个', '市卫生健康委', D, [{ metric: '10-2', value: 3.75 }]],
  ['每千人口拥有托位4个', '市卫生健康委', D, [{ metric: '10-2', value: 4 }]],
  [
    '截至10月底新增托位9800个，普惠托位占比38%',
    '市卫生健康委',
    D,
    [
      { metric: '10-1', value: 0.98 },
      { metric: '10-3', value: 38 },
    ],
  ],
  [
    '启动区县火化殡仪馆建设2个，城市公益性安葬设施3处，农村公益性示范安葬设施启动建设19座',
    '市民政局',
    D,
    [
      { metric: '15-1', value: 2 },
      { metric: '15-2', value: 3 },
      { metric: '15-3', value: 19 },
    ],
  ],
  ['妇女儿童综合服务体已建成11家', '市妇联', D, [{ metric: '14-1', value: 11 }]],
  ['轨道站点步行便捷性提升项目已开工11处', J, D, [{ metric: '4-1', value: 11 }]],
  ['清零区县创建成功率达到55%', '市生态环境局', D, [{ metric: '8-3', value: 55 }]],
  ['1-1：1402', J, D, [{ metric: '1-1', value: 1402, span: [0, 8] }]],
  ['1-2 4011', J, D, [{ metric: '1-2', value: 4011 }]],
  [
    '1-1：1402，1-2：4011',
    J,
    D,
    [
      { metric: '1-1', value: 1402 },
      { metric: '1-2', value: 4011 },
    ],
  ],
  ['5-2：2.6', C, D, [{ metric: '5-2', value: 2.6 }]],
  ['5-2：26000个', C, D, [{ metric: '5-2', value: 2.6 }]],
  ['10-1 ９８００个', '市卫生健康委', D, [{ metric: '10-1', value: 0.98 }]],
];

const modes: Row[] = [
  ['本周老旧小区新开工18个', J, '2024-05-10', [{ metric: '1-1', value: 18, mode: 'increment' }]],
  ['本月完成农村公路安防工程210公里', '市公安局', D, [{ metric: '7-1', value: 210, mode: 'increment' }]],
  // 上周 is a period dated its last day (Sunday), as 上月 is (catalog contract, round 2).
  ['上周新增错时共享泊位1800个', C, D, [{ metric: '5-2', value: 0.18, mode: 'increment', asOf: '2024-10-27' }]],
  ['当月口袋公园建成5个', C, D, [{ metric: '3-1', value: 5, mode: 'increment' }]],
  ['口袋公园又建成5个', C, D, [{ metric: '3-1', value: 5, mode: 'increment' }]],
  ['新增错时共享泊位1800个', C, D, [{ metric: '5-2', value: 0.18 }]],
  ['新开工老旧小区18个', J, D, [{ metric: '1-1', value: 18 }]],
  ['新建口袋公园18个', C, D, [{ metric: '3-1', value: 18 }]],
  ['错时共享停车泊位累计新增2.6万个', C, D, [{ metric: '5-2', value: 2.6 }]],
  ['今年以来新开工老旧小区1203个', J, D, [{ metric: '1-1', value: 1203 }]],
  ['共建成口袋公园92个', C, D, [{ metric: '3-1', value: 92 }]],
  ['化粪池监测本周新装28台，累计安装742台', C, D, [{ metric: '6-1', value: 742 }]],
  ['今年以来新增泊位约2.1万个，本周新增1500个', C, D, [{ metric: '5-2', value: 2.1, approximate: true }]],
  [
    '本周新增托位320个，普惠托位占比39%',
    '市卫生健康委',
    D,
    [
      { metric: '10-1', value: 0.032, mode: 'increment' },
      { metric: '10-3', value: 39 },
    ],
  ],
  [
    '本月老旧小区新开工3个，面积5.2万平方米',
    J,
    D,
    [
      { metric: '1-1', value: 3, mode: 'increment' },
      { metric: '1-2', value: 5.2, mode: 'increment' },
    ],
  ],
  ['本月残疾儿童康复救助新增420人', '市残联', D, [{ metric: '13-4', value: 420, mode: 'increment' }]],
];

const dates: Row[] = [
  [
    '截至7月底，全市新开工改造城镇老旧小区1203个，改造面积2790万平方米。',
    J,
    '2024-07-31',
    [
      { metric: '1-1', value: 1203, asOf: '2024-07-31' },
      { metric: '1-2', value: 2790, asOf: '2024-07-31' },
    ],
  ],
  ['截至7月10日，旧改新开工908个', J, '2024-07-12', [{ metric: '1-1', value: 908, asOf: '2024-07-10' }]],
  ['截至6月30日，旧改新开工九百零八个', J, '2024-06-30', [{ metric: '1-1', value: 908, asOf: '2024-06-30' }]],
  ['1-8月，建成口袋公园80个', C, '2024-09-05', [{ metric: '3-1', value: 80, asOf: '2024-08-31' }]],
  ['1—8月建成口袋公园80个', C, '2024-09-05', [{ metric: '3-1', value: 80, asOf: '2024-08-31' }]],
  ['1至8月建成口袋公园80个', C, '2024-09-05', [{ metric: '3-1', value: 80, asOf: '2024-08-31' }]],
  ['上半年完成化粪池监测系统安装520台', C, '2024-07-03', [{ metric: '6-1', value: 520, asOf: '2024-06-30' }]],
  ['前11个月窨井盖整治累计完成19800座', C, '2024-12-02', [{ metric: '6-2', value: 1.98, asOf: '2024-11-30' }]],
  ['前三季度体育公园建成8座', '市体育局', '2024-10-08', [{ metric: '3-3', value: 8, asOf: '2024-09-30' }]],
  ['截至十月底，体育公园建成八座', '市体育局', '2024-11-01', [{ metric: '3-3', value: 8, asOf: '2024-10-31' }]],
  ['截至2024年12月31日，口袋公园建成103个', C, '2025-01-03', [{ metric: '3-1', value: 103, asOf: '2024-12-31' }]],
  ['截至12月底，口袋公园建成103个', C, '2025-01-03', [{ metric: '3-1', value: 103, asOf: '2024-12-31' }]],
  [
    '截至5月底，山城绿道建成约38公里，另有12公里在建',
    C,
    '2024-05-31',
    [{ metric: '2-4', value: 38, asOf: '2024-05-31', approximate: true }],
  ],
  ['口袋公园建成92个（截至9月底）', C, '2024-10-08', [{ metric: '3-1', value: 92, asOf: '2024-09-30' }]],
];

const scopes: Row[] = [
  [
    '沙坪坝区累计新开工改造老旧小区47个、面积108万平方米',
    '沙坪坝区',
    D,
    [
      { metric: '1-1', value: 47, scope: '沙坪坝区' },
      { metric: '1-2', value: 108, scope: '沙坪坝区' },
    ],
  ],
  ['新开工改造老旧小区47个', '沙坪坝区', D, [{ metric: '1-1', value: 47, scope: '沙坪坝区' }]],
  ['渝北区新增口袋公园6个', C, D, [{ metric: '3-1', value: 6, scope: '渝北区' }]],
  [
    '口袋公园：渝中区12个、江北区8个',
    C,
    D,
    [
      { metric: '3-1', value: 12, scope: '渝中区' },
      { metric: '3-1', value: 8, scope: '江北区' },
    ],
  ],
  [
    '渝中区12个、江北区8个口袋公园',
    C,
    D,
    [
      { metric: '3-1', value: 12, scope: '渝中区' },
      { metric: '3-1', value: 8, scope: '江北区' },
    ],
  ],
  [
    '全市累计建成口袋公园92个，其中渝中区12个、九龙坡区8个',
    C,
    D,
    [
      { metric: '3-1', value: 92 },
      { metric: '3-1', value: 12, scope: '渝中区' },
      { metric: '3-1', value: 8, scope: '九龙坡区' },
    ],
  ],
  [
    '渝北区：口袋公园6个；体育公园1座。江北区：口袋公园4个',
    C,
    D,
    [
      { metric: '3-1', value: 6, scope: '渝北区' },
      { metric: '3-3', value: 1, scope: '渝北区' },
      { metric: '3-1', value: 4, scope: '江北区' },
    ],
  ],
  ['石柱县黑臭水体治理完成12条', '市生态环境局', D, [{ metric: '8-1', value: 12, scope: '石柱土家族自治县' }]],
  ['万州区窨井盖整治2000个', C, D, [{ metric: '6-2', value: 0.2, scope: '万州区' }]],
  ['两江新区口袋公园建成3个', C, D, [{ metric: '3-1', value: 3, scope: '两江新区' }]],
  ['高新区口袋公园建成3个', C, D, [{ metric: '3-1', value: 3, scope: '西部科学城重庆高新区' }]],
  ['万盛口袋公园建成3个', C, D, [{ metric: '3-1', value: 3, scope: '万盛经开区' }]],
  ['全区口袋公园建成3个', '江津区', D, [{ metric: '3-1', value: 3, scope: '江津区' }]],
  [
    '渝中区新开工老旧小区12个，江北区新开工老旧小区8个；全市合计1203个',
    J,
    D,
    [
      { metric: '1-1', value: 12, scope: '渝中区' },
      { metric: '1-1', value: 8, scope: '江北区' },
      { metric: '1-1', value: 1203 },
    ],
  ],
];

const notFigures: Row[] = [
  ['收到，我们汇总后报送', '市民政局', D, []],
  ['这周数据还在统计中', C, D, []],
  ['口袋公园投资1.2亿元，建成35个', C, D, [{ metric: '3-1', value: 35 }]],
  ['口袋公园完成投资3500万元', C, D, []],
  ['第二批口袋公园建成5个', C, D, [{ metric: '3-1', value: 5 }]],
  ['轨道2号线站点步行便捷性提升项目开工3个', J, D, [{ metric: '4-1', value: 3 }]],
  ['农村公路安防工程完成率80%，已完成3200公里', '市交通运输委', D, [{ metric: '7-1', value: 3200 }]],
  ['老旧小区开工率95%', J, D, []],
  ['残疾人就业率达到60%', '市残联', D, []],
  ['口袋公园投资进度达到80%', C, D, []],
  ['普惠托位占比38%，完成率95%', '市卫生健康委', D, [{ metric: '10-3', value: 38 }]],
  ['普惠托位占比提高2个百分点', '市卫生健康委', D, []],
  ['惠及群众2万余人', '市残联', D, []],
  ['老旧小区改造惠及居民3.2万户', J, D, []],
  ['口袋公园计划建设100个，已建成70个', C, D, [{ metric: '3-1', value: 70 }]],
  ['预计年底前口袋公园建成105个', C, D, []],
  ['口袋公园目标100个', C, D, []],
  ['下一步将新建口袋公园20个', C, D, []],
  ['剩余口袋公园8个', C, D, []],
  ['山城绿道在建12公里', C, D, []],
  ['街头绿地提质项目已完成45个（目标100个）', C, D, [{ metric: '2-1', value: 45 }]],
  ['错时共享泊位新增1.2万个，其中第二批3000个', C, D, [{ metric: '5-2', value: 1.2 }]],
  ['前3个月没有数据', C, D, []],
  ['3岁以下婴幼儿照护', '市卫生健康委', D, []],
  ['7月10日召开推进会', C, D, []],
  ['2024年口袋公园工作推进会', C, D, []],
  ['一个区县还没报', C, D, []],
];

describe('numbers', () => it.each(numbers)('%s', (...row) => check(row as Row)));
describe('units and conversions', () => it.each(units)('%s', (...row) => check(row as Row)));
describe('mode', () => it.each(modes)('%s', (...row) => check(row as Row)));
describe('as-of dates', () => it.each(dates)('%s', (...row) => check(row as Row)));
describe('scope', () => it.each(scopes)('%s', (...row) => check(row as Row)));
describe('not figures', () => it.each(notFigures)('%s', (...row) => check(row as Row)));

describe('milestones', () => {
  it.each([
    ['心理健康测评已面向全市中小学和中职学生开展完毕', '市教委', '12-1', 'done'],
    ['课后服务"5+2"已实现全覆盖', '市教委', '11-1', 'done'],
    ['小微停车场管理机制和技术标准已印发实施', C, '5-1', 'done'],
    ['小微停车场管理机制正在起草', C, '5-1', 'in_progress'],
    ['停车场管理机制和技术标准推进中', C, '5-1', 'in_progress'],
    ['幼儿园招收2-3岁幼儿工作稳步推进', '市教委', '10-4', 'in_progress'],
    ['心理健康测评尚未开展', '市教委', '12-1', 'not_started'],
    ['12-1：已完成', '市教委', '12-1', 'done'],
  ])('%s', (text, org, metric, status) => {
    const r = parse(text, org);
    expect(r.items).toEqual([expect.objectContaining({ metric, status })]);
  });
  it('a milestone word without a status is nothing', () => expect(parse('小微停车场管理机制', C).items).toEqual([]));
});

describe('clarification', () => {
  it.each([
    ['完成了15个', C, ['2-1', '2-3', '3-1']],
    ['完成了300个', J, ['1-1', '4-1']],
    ['本周完成300人', '市残联', ['13-2', '13-4', '13-5']],
    ['建成8座', '市体育局', ['3-3']],
  ])('%s from %s', (text, org, first) => {
    const r = parse(text, org);
    expect(r.items).toEqual([]);
    expect(r.needsClarification).toBe(true);
    expect(r.question).toMatch(/哪项指标/);
    expect(r.candidates!.slice(0, first.length)).toEqual(first);
  });
  it("names the sender's metrics first", () => {
    const r = parse('完成了15个', '市卫生健康委');
    expect(r.candidates![0]).toBe('10-1');
  });
  it('keeps the figures it can decide', () => {
    const r = parse('口袋公园建成92个。另外完成了15个', C);
    expect(figures(r)).toEqual([expect.objectContaining({ metric: '3-1', value: 92 })]);
    expect(r.needsClarification).toBe(true);
  });
  it('a sender with a single metric for the unit needs no question', () => {
    const r = parse('已建成11个', '市妇联');
    expect(figures(r)).toEqual([expect.objectContaining({ metric: '14-1', value: 11 })]);
    expect(r.needsClarification).toBe(false);
  });
  it('chatter asks nothing', () => {
    const r = parse('收到，我们汇总后报送', '市民政局');
    expect(r).toMatchObject({ items: [], needsClarification: false });
  });
});

describe('contract', () => {
  it('is deterministic', () => {
    const t = '截至10月底新增托位9800个，普惠托位占比38%';
    expect(parse(t, '市卫生健康委')).toEqual(parse(t, '市卫生健康委'));
  });
  it('works without a sender', () => {
    expect(figures(parse('口袋公园建成92个', undefined))).toEqual([
      expect.objectContaining({ metric: '3-1', scope: 'city' }),
    ]);
  });
  it('spans point into the original text', () => {
    const t = '截至10月底，窨井盖专项整治：累计完成１９６００个。';
    const [f] = figures(parse(t, C));
    expect(t.slice(f!.span[0], f!.span[1])).toBe('１９６００个');
  });
});
