import { describe, expect, it } from 'vitest';
import { shippedCatalog } from '../../seeds/catalogs.js';
import { bindRequestCard } from '../../src/cards/bindRequestCard.js';
import { cardToText } from '../../src/cards/cardText.js';
import { chooseMetricCard } from '../../src/cards/chooseMetricCard.js';
import { confirmCard } from '../../src/cards/confirmCard.js';
import { contactsCard } from '../../src/cards/contactsCard.js';
import { helpCard } from '../../src/cards/helpCard.js';
import { historyCard } from '../../src/cards/historyCard.js';
import { mineCard } from '../../src/cards/mineCard.js';
import { progressCard } from '../../src/cards/progressCard.js';
import { recordedCard } from '../../src/cards/recordedCard.js';
import { targetsCard } from '../../src/cards/targetsCard.js';
import type { ShownItem } from '../../src/cards/types.js';
import type { Contact } from '../../src/db/contactsRepo.js';
import type { ReportItemRow } from '../../src/db/reportsRepo.js';
import { metricProgress } from '../../src/progress/metricProgress.js';
import type { ProgressItem } from '../../src/progress/types.js';
import { assertValidCard } from '../helpers/cardSchema.js';

const catalog = shippedCatalog(2024);
const date = '2024-10-28';
const districts = catalog.districts().map((d) => d.name);

// Worst case for size: every metric reported by every 区县 and the city, long names everywhere.
const items: ProgressItem[] = catalog.metrics.flatMap((m, k) =>
  ['city', ...districts].map((scope, j) => ({
    id: k * 100 + j,
    metricId: m.id,
    scope,
    mode: 'cumulative' as const,
    value: m.kind === 'milestone' ? null : ((m.target ?? 10) * 0.7) / (scope === 'city' ? 1 : 40),
    milestone: m.kind === 'milestone' ? ('in_progress' as const) : null,
    asOf: '2024-10-25',
    createdAt: 1,
    reporterOpenId: `ou_reporter_${j}`,
    org: scope === 'city' ? catalog.unitsOf(m.id)[0]! : scope,
  })),
);
const progress = catalog.metrics.map((m) => metricProgress(m, items, { start: catalog.start, date }));
const names = new Map(
  Array.from({ length: 50 }, (_, j) => [
    `ou_reporter_${j}`,
    `联系人${j}号（${catalog.organisations[j % catalog.organisations.length]!.name}）`,
  ]),
);
const shown = (n: number): ShownItem[] =>
  catalog.metrics.slice(0, n).map((m, k) => ({
    metric: m,
    value: m.kind === 'milestone' ? null : 123.45,
    milestone: m.kind === 'milestone' ? 'done' : null,
    mode: 'cumulative',
    scope: 'city',
    asOf: date,
    progress: progress[k]!,
  }));
const row = (k: number): ReportItemRow => ({
  id: k,
  reportId: k,
  year: 2024,
  metricId: '1-1',
  value: 1000 + k,
  milestone: null,
  mode: 'cumulative',
  scope: k % 2 ? '秀山土家族苗族自治县' : 'city',
  asOf: date,
  approximate: false,
  reporterOpenId: 'ou_reporter_1',
  org: '市住房城乡建委',
  createdAt: 1_730_000_000_000 + k,
  supersededAt: k % 3 ? null : 1_730_000_100_000,
  supersededBy: k % 3 ? null : k + 1,
  supersededByOpenId: 'ou_reporter_2',
  supersedeReason: k % 3 ? null : 'fix',
});
const contact = (k: number): Contact => ({
  openId: `ou_${String(k).padStart(30, '0')}`,
  name: `联系人${k}`,
  org: catalog.organisations[k % catalog.organisations.length]!.name,
  role: k % 7 ? 'contact' : 'admin',
  status: 'active',
  requestedOrg: null,
  leaveUntil: k % 5 ? null : '2024-11-05',
  createdAt: 1,
  updatedAt: 1,
});

const cards: Array<[string, unknown]> = [
  ['progress, all 15 projects', progressCard({ catalog, progress, date, names })],
  ...catalog.projects.map((p): [string, unknown] => [
    `progress, project ${p.no}`,
    progressCard({ catalog, progress, date, names, projectNo: p.no }),
  ]),
  ...catalog.metrics.map((m): [string, unknown] => [
    `progress, metric ${m.id}`,
    progressCard({ catalog, progress, date, names, metricId: m.id }),
  ]),
  ['targets, whole catalog', targetsCard({ catalog })],
  ['targets, project 12', targetsCard({ catalog, projectNo: 12 })],
  ['help', helpCard()],
  [
    'help, unknown command',
    helpCard({
      unknown: '<foo>',
      examples: ['本周新增托位0.022万个', '截至10月28日，新开工改造城镇老旧小区面积累计2500万平方米'],
    }),
  ],
  [
    'recorded, all metrics',
    recordedCard({
      reportId: 1,
      items: shown(catalog.metrics.length),
      refused: Array.from({ length: 10 }, (_, k) => `拒绝理由 ${k}`),
    }),
  ],
  [
    'recorded, undone',
    recordedCard({ reportId: 1, items: shown(3), undone: { by: '张三（市住房城乡建委）', at: '10/28 10:00' } }),
  ],
  [
    'choose metric',
    chooseMetricCard({
      reportId: 1,
      question: '「累计完成1530个」是哪项指标的数？请回复指标编号和数值，例如「1-1：1530」。可能是：…',
      candidates: catalog.metrics.slice(0, 20),
    }),
  ],
  ['choose metric, chosen', chooseMetricCard({ reportId: 1, question: '？', candidates: [], chosen: '1-1' })],
  [
    'confirm',
    confirmCard({
      reportId: 1,
      items: shown(20).map((s) => ({ ...s, reasons: ['累计数比已有的少', '超过目标的 150%'] })),
      refused: ['x'],
    }),
  ],
  [
    'confirm, cancelled',
    confirmCard({ reportId: 1, items: shown(1).map((s) => ({ ...s, reasons: [] })), cancelled: true }),
  ],
  [
    'mine, city unit',
    mineCard({
      org: '市卫生健康委',
      isDistrict: false,
      metrics: catalog.metricsOf('市卫生健康委'),
      progress: new Map(progress.map((p) => [p.metricId, p])),
      reportedThisWeek: new Set(['10-1']),
      leaveUntil: '2024-11-05',
    }),
  ],
  [
    'mine, district',
    mineCard({
      org: '渝中区',
      isDistrict: true,
      metrics: catalog.metricsOf('渝中区'),
      progress: new Map(),
      reportedThisWeek: new Set(),
    }),
  ],
  [
    'history',
    historyCard({
      metric: catalog.metric('1-1')!,
      rows: Array.from({ length: 20 }, (_, k) => row(k)),
      names,
      time: (ms) => new Date(ms).toISOString().slice(5, 16),
    }),
  ],
  ['history, empty', historyCard({ metric: catalog.metric('5-1')!, rows: [], names, time: String })],
  ['contacts, many', contactsCard({ contacts: Array.from({ length: 300 }, (_, k) => contact(k)), today: date })],
  ['contacts, none', contactsCard({ org: '市残联', contacts: [], today: date })],
  ['bind request', bindRequestCard({ openId: 'ou_x', name: '赵六', org: '市住房城乡建委', reportId: 3 })],
  [
    'bind request, decided',
    bindRequestCard({ openId: 'ou_x', org: '市住房城乡建委', reportId: 3, decided: { approved: true, by: '管理员' } }),
  ],
];

describe("every card builder gives valid card JSON 2.0 within Lark's limits", () => {
  it.each(cards)('%s', (_name, card) => {
    assertValidCard(card);
    expect(cardToText(card).length).toBeGreaterThan(0);
  });

  it('the whole-catalog progress card shows every metric', () => {
    const text = cardToText(cards[0]![1]);
    for (const m of catalog.metrics) expect(text).toContain(`${m.id} `);
  });

  it('renders cards as text with titles and buttons', () => {
    const text = cardToText(recordedCard({ reportId: 1, items: shown(1) }));
    expect(text.split('\n')[0]).toBe('【已记录 1 项数据】');
    expect(text).toContain('[撤销] [修改]');
    expect(text).not.toContain('<font');
  });
});
