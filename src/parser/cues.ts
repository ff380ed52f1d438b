// The words around a figure that decide what it is: period (increment) or running total
// (cumulative), plan or future (not a figure), a rate that is not a catalog metric, people served,
// and the status of a milestone. Lists, not per-sentence rules.

/** A period figure: adds to the running total. 新增/新开工/新建 are parts of metric names, not cues. */
export const INCREMENT_CUES = [
  '本周',
  '本月',
  '当月',
  '当周',
  '本旬',
  '这周',
  '这个月',
  '这一周',
  '本季度',
  '当季',
  '本次',
  '近一周',
  '一周来',
  '单月',
  '周内',
  '又',
];
// 上周, 上月, 昨天, 今天… are dates (dates.ts): periods of an increment with their own as-of date.

/** A running total. */
export const CUMULATIVE_CUES = [
  '今年以来',
  '年初以来',
  '开年以来',
  '累计',
  '截至',
  '截止',
  '共计',
  '总计',
  '合计',
  '总数',
  '总量',
  '迄今',
  '至今',
  // 现在/到现在 are not here: 本月到现在新增 is this month's increment.
  '目前',
  '全年累计',
  '共',
  '一共',
  '总共',
];

/** Plans, targets, forecasts: figures after them in a clause are not progress. */
export const PLAN_CUES = ['计划', '预计', '目标', '任务', '拟', '力争', '争取', '将', '年底前', '要求'];

/** Work not yet done, before the figure (另有3个…, 剩余4个…): not progress of finished or started items. */
export const UNFINISHED_CUES = [
  '在建',
  '剩余',
  '还剩',
  '尚需',
  '还需',
  '还差',
  '尚有',
  '待建',
  '未完成',
  '未开工',
  '另有',
  '其余',
  '剩下',
  '尚余',
  // 还有1座年底完工; 还有适老化公园60个 is "also" (a metric named after it: notProgress checks).
  '还有',
  '尚差',
];

/** The same right after the figure (12公里在建, 3座在施工). */
export const UNFINISHED_AFTER = [
  '在建',
  '待建',
  '未完成',
  '未开工',
  '剩余',
  '在施工',
  '施工中',
  '正在建设',
  '正在施工',
  '在推进',
  '正在推进',
  '年底完工',
  '月底完工',
  '年底前',
  '未完工',
  '待完工',
  '在收尾',
  '收尾中',
  '还没',
  '在设计',
  '设计中',
  '做前期',
  '在前期',
];

/** Last year's figures. */
export const PRIOR_CUES = ['去年', '上年', '上一年', '前年', '往年'];

/** A comparison: with a change verb after it in the clause, the figure is a change, not a state. */
export const CHANGE_LEADS = ['同比', '环比', '较', '比', '相比', '对比'];
export const CHANGE_VERBS = [
  '增加',
  '增长',
  '提高',
  '提升',
  '多出',
  '多',
  '减少',
  '下降',
  '降低',
  '上升',
  '增幅',
  '增速',
  '少',
  '回落',
];

/** Beneficiaries, jobs created and money: never a figure (带动就业300人, 总投资12.8亿). */
export const BENEFIT_CUES = ['带动', '惠及', '受益', '吸纳', '投资', '拉动', '撬动', '解决就业', '提供就业'];

/** Stock totals, never this year's progress (历年累计, 保有量). */
export const STOCK_CUES = ['历年', '保有量', '存量', '在业', '在岗', '累计安置', '总保有'];
/** Totals that are a stock only beside a 新增 metric (全市托位总数 is not 新增托位). */
export const STOCK_WEAK_CUES = ['总数', '总量', '总规模', '共有', '现有'];

/** Nouns of people served or reached (惠及群众…): not a catalog figure unless a metric is named. */
export const PEOPLE_CUES = ['惠及', '受益', '群众', '居民', '服务', '覆盖'];

/** A rate word that is not the metric's own (完成率, 开工率, 投资进度…). */
export const RATE_CUES = ['率', '进度', '比例'];

export const STATUS_WORDS: Array<[string, 'done' | 'in_progress' | 'not_started']> = [
  ['尚未', 'not_started'],
  ['未启动', 'not_started'],
  ['还未', 'not_started'],
  ['暂未', 'not_started'],
  ['未开展', 'not_started'],
  ['未出台', 'not_started'],
  ['未印发', 'not_started'],
  ['没有开展', 'not_started'],
  ['未开始', 'not_started'],
  ['正在', 'in_progress'],
  ['推进中', 'in_progress'],
  ['进行中', 'in_progress'],
  ['稳步推进', 'in_progress'],
  ['有序推进', 'in_progress'],
  ['加快推进', 'in_progress'],
  ['积极推进', 'in_progress'],
  ['扎实推进', 'in_progress'],
  ['抓紧', 'in_progress'],
  ['起草', 'in_progress'],
  ['征求意见', 'in_progress'],
  ['制定中', 'in_progress'],
  ['编制中', 'in_progress'],
  ['审议中', 'in_progress'],
  ['开展中', 'in_progress'],
  ['实施中', 'in_progress'],
  ['已实现', 'done'],
  ['全覆盖', 'done'],
  ['已印发', 'done'],
  ['印发实施', 'done'],
  ['开展完毕', 'done'],
  ['已完成', 'done'],
  ['全面完成', 'done'],
  ['已出台', 'done'],
  ['已建立', 'done'],
  ['已制定', 'done'],
  ['已落实', 'done'],
  ['完毕', 'done'],
  ['已全部', 'done'],
  ['全部完成', 'done'],
  ['已覆盖', 'done'],
  ['出台实施', 'done'],
  ['实现', 'done'],
  ['已开展', 'done'],
  ['已发布', 'done'],
  ['正式实施', 'done'],
];

export interface CueHit {
  start: number;
  end: number;
  word: string;
}

/** Occurrences of the words in t outside the masked ranges (catalog words). */
export function findWords(t: string, words: readonly string[], masked: Uint8Array): CueHit[] {
  const out: CueHit[] = [];
  for (const w of words) {
    let f = 0;
    for (;;) {
      const k = t.indexOf(w, f);
      if (k < 0) break;
      f = k + 1;
      if (masked[k]) continue;
      if (!cueFits(t, w, k)) continue;
      out.push({ start: k, end: k + w.length, word: w });
    }
  }
  return out.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** Single-character cues are weak: 共享/公共 are not 共, 将近 is not 将, 又 in 又称 is not again. */
function cueFits(t: string, w: string, k: number): boolean {
  const prev = t.charAt(k - 1);
  const next = t.charAt(k + w.length);
  switch (w) {
    case '共':
      return !'享同性识建青产赢用治'.includes(next) && next !== '' && prev !== '公' && prev !== '总' && prev !== '一';
    case '将':
      return !'近军来'.includes(next);
    case '拟':
      return true;
    case '又':
      return next !== '称' && next !== '名';
    case '目前':
      return true;
    case '任务':
      return (prev !== '额' && next !== '的') || prev === '';
    case '服务':
      return true;
    // 占比, 比例, 比率 are not comparisons; 较多, 较好 are not 较 + a change.
    case '比':
      return (!'占对相无评排类'.includes(prev) && !'例率重赛较'.includes(next)) || prev === '';
    case '较':
      return !'多少大小好高低快慢为'.includes(next);
    case '多':
      return !'个余'.includes(next);
    case '少':
      return !'数量'.includes(next);
    default:
      return true;
  }
}

export type CueKind =
  | 'inc'
  | 'cum'
  | 'plan'
  | 'people'
  | 'rate'
  | 'part'
  | 'status'
  | 'unfinished'
  | 'unfinishedAfter'
  | 'prior'
  | 'changeLead'
  | 'changeVerb'
  | 'benefit'
  | 'stock'
  | 'stockWeak'
  | 'zero';
export type CueSets = Record<CueKind, CueHit[]>;

const TABLE = new Map<string, Array<{ word: string; kind: CueKind }>>();
function addWords(words: readonly string[], kind: CueKind): void {
  for (const word of words) {
    const list = TABLE.get(word.charAt(0)) ?? [];
    list.push({ word, kind });
    TABLE.set(word.charAt(0), list);
  }
}
addWords(INCREMENT_CUES, 'inc');
addWords(CUMULATIVE_CUES, 'cum');
addWords(PLAN_CUES, 'plan');
addWords(PEOPLE_CUES, 'people');
addWords(RATE_CUES, 'rate');
addWords(['其中'], 'part');
addWords(
  STATUS_WORDS.map(([w]) => w),
  'status',
);
addWords(UNFINISHED_CUES, 'unfinished');
addWords(UNFINISHED_AFTER, 'unfinishedAfter');
addWords(PRIOR_CUES, 'prior');
addWords(CHANGE_LEADS, 'changeLead');
addWords(CHANGE_VERBS, 'changeVerb');
addWords(BENEFIT_CUES, 'benefit');
addWords(STOCK_CUES, 'stock');
addWords(STOCK_WEAK_CUES, 'stockWeak');
/** "Nothing new" (本周无新增): a zero increment of the metric named beside it. */
addWords(['无新增', '没有新增', '暂无新增', '未新增', '零新增', '均无新增'], 'zero');
const STATUS_OF = new Map(STATUS_WORDS);

/** Every cue word of every kind outside the masked ranges, in one pass; each list in text order. */
export function scanCues(t: string, masked: Uint8Array): CueSets {
  const out: CueSets = {
    inc: [],
    cum: [],
    plan: [],
    people: [],
    rate: [],
    part: [],
    status: [],
    unfinished: [],
    unfinishedAfter: [],
    prior: [],
    changeLead: [],
    changeVerb: [],
    benefit: [],
    stock: [],
    stockWeak: [],
    zero: [],
  };
  for (let i = 0; i < t.length; i++) {
    if (masked[i]) continue;
    const list = TABLE.get(t.charAt(i));
    if (!list) continue;
    for (const { word, kind } of list) {
      if (!t.startsWith(word, i) || !cueFits(t, word, i)) continue;
      out[kind].push({ start: i, end: i + word.length, word });
    }
  }
  return out;
}

export function statusOf(word: string): 'done' | 'in_progress' | 'not_started' | undefined {
  return STATUS_OF.get(word);
}
