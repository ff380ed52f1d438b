import { parseUnit, type UnitInfo } from '../catalog/units.js';
import { isLetter } from './chars.js';

// The unit written right after a number. Longest spelling first; some spellings are rejected by
// the word they start (个月 is a duration, 个百分点 a change in points, 人口 / 家庭 are nouns).

export interface UnitToken extends UnitInfo {
  text: string;
  end: number;
}

const SPELLINGS = [
  '个/千人',
  '平方公里',
  '平方米',
  '平米',
  '㎡',
  'm²',
  'm2',
  'km',
  '公里',
  '千米',
  '万亩',
  '亩',
  '人次',
  '%',
  '‰',
  '米',
  '个',
  '座',
  '家',
  '所',
  '台',
  '套',
  '户',
  '人',
  '名',
  '条',
  '处',
  '项',
  '方',
  '平',
];

/** Words that, starting right after the unit character, show it is not a unit of the figure. */
const REJECT_AFTER: Record<string, readonly string[]> = {
  个: [
    '月',
    '百分点',
    '工作日',
    '小时',
    '区县',
    '区',
    '县',
    '乡',
    '镇',
    '街道',
    '村',
    '部门',
    '单位',
    '批',
    '季度',
    '星期',
    '年头',
    '点位',
    '方面',
    '环节',
    '问题',
    '专项',
  ],
  人: ['民', '员', '口', '大', '社', '才', '群', '次'],
  家: ['庭', '长', '属', '乡'],
  所: ['有', '以', '属', '在', '得'],
  台: ['账', '阶', '风'],
  条: ['件', '例', '款'],
  处: ['理', '置', '于', '室', '长', '级'],
  名: ['单', '称', '义', '额', '录'],
  户: ['口', '籍'],
  项: ['目'],
  米: ['粮'],
  方: [
    '面',
    '案',
    '式',
    '法',
    '向',
    '便',
    '针',
    '位',
    '言',
    '可',
    '能',
    '才',
    '正',
    '形',
    '块',
    '舱',
    '程',
    '圆',
    '志',
    '略',
    '士',
    '子',
    '剂',
    '格',
    '阵',
    '米',
    '公',
  ],
};

/** 2750万方: 方 is 平方米 in an area written in 万 (a bare 方 is too often a word: 方面, 方案). */
const AREA_FANG = { base: '平方米', factor: 1 };

/** 3900万平: 平 is 平方米 after 万 (a bare 平 is a word: 平台, 平均). */
const AREA_PING = { base: '平方米', factor: 1 };

/**
 * 个 before a noun of people or households counts them (210个孩子 are 210 人, 40个家庭 are 40 户):
 * the figure is not one of the metrics that count 个 things.
 */
const GE_NOUNS: Array<[string, UnitInfo]> = [
  ['残疾人', { base: '人', factor: 1 }],
  ['孩子', { base: '人', factor: 1 }],
  ['小孩', { base: '人', factor: 1 }],
  ['儿童', { base: '人', factor: 1 }],
  ['学生', { base: '人', factor: 1 }],
  ['老人', { base: '人', factor: 1 }],
  ['医生', { base: '人', factor: 1 }],
  ['老师', { base: '人', factor: 1 }],
  ['教师', { base: '人', factor: 1 }],
  ['家庭', { base: '户', factor: 1 }],
];

interface Spelling {
  s: string;
  info: UnitInfo;
  rejects: readonly string[] | undefined;
  letters: boolean;
}

/** Spellings by first character, longest first, with their unit parsed once. */
const BY_FIRST = new Map<string, Spelling[]>();
for (const s of SPELLINGS) {
  const info = s === '方' ? AREA_FANG : s === '平' ? AREA_PING : parseUnit(s);
  if (!info) continue;
  const list = BY_FIRST.get(s.charAt(0)) ?? [];
  list.push({ s, info, rejects: REJECT_AFTER[s], letters: isLetter(s.charAt(0)) });
  BY_FIRST.set(s.charAt(0), list);
}

/**
 * The unit at i. `wordAt(end)` says a catalog word starts at end: a rejecting word is then part of
 * the metric's name (2个区县火化殡仪馆 is 2 of 区县火化殡仪馆, not 2 districts).
 */
export function readUnit(t: string, i: number, wordAt?: (end: number) => boolean): UnitToken | undefined {
  const list = BY_FIRST.get(t.charAt(i));
  if (!list) return undefined;
  for (const { s, info, rejects, letters } of list) {
    if (!t.startsWith(s, i)) continue;
    const end = i + s.length;
    if (letters && isLetter(t.charAt(end))) continue;
    if ((s === '方' || s === '平') && t.charAt(i - 1) !== '万') return undefined;
    if (s === '平' && '方米均台安稳衡'.includes(t.charAt(end)) && t.charAt(end) !== '') return undefined;
    if (s === '个' && !wordAt?.(end)) {
      const noun = GE_NOUNS.find(([w]) => t.startsWith(w, end));
      if (noun) return { base: noun[1].base, factor: 1, text: s, end };
    }
    if (rejects?.some((w) => t.startsWith(w, end)) && !wordAt?.(end)) return undefined;
    return { base: info.base, factor: info.factor, text: s, end };
  }
  return undefined;
}
