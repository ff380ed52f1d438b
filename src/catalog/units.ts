// Measurement units as people write them, reduced to a base noun and a factor, so that a figure
// written in one unit can be stated in a metric's unit ("2350个" → 0.235 万个).
// The catalog is validated against this table: a metric whose unit is not here is a bad catalog.

export interface UnitInfo {
  /** The noun that decides what is being counted or measured ("个", "平方米", "公里", "%"). */
  base: string;
  /** How many base units one of this unit is. */
  factor: number;
}

/** Spellings of the same base (ASCII, symbols, colloquial forms). */
const BASE_SYNONYMS: Record<string, UnitInfo> = {
  平方米: { base: '平方米', factor: 1 },
  平米: { base: '平方米', factor: 1 },
  '㎡': { base: '平方米', factor: 1 },
  'm²': { base: '平方米', factor: 1 },
  m2: { base: '平方米', factor: 1 },
  公里: { base: '公里', factor: 1 },
  千米: { base: '公里', factor: 1 },
  km: { base: '公里', factor: 1 },
  米: { base: '公里', factor: 0.001 },
  平方公里: { base: '平方米', factor: 1e6 },
  'km²': { base: '平方米', factor: 1e6 },
  亩: { base: '亩', factor: 1 },
  '%': { base: '%', factor: 1 },
  '％': { base: '%', factor: 1 },
  '‰': { base: '%', factor: 0.1 },
  '个/千人': { base: '个/千人', factor: 1 },
};

/** Counting nouns (量词): each is its own base; a metric may accept others through `acceptUnits`. */
export const COUNT_NOUNS = [
  '个',
  '座',
  '家',
  '所',
  '台',
  '套',
  '户',
  '人次',
  '人',
  '名',
  '条',
  '处',
  '项',
  '张',
  '辆',
] as const;

const PREFIX: Record<string, number> = { 万: 1e4, 亿: 1e8, 千: 1e3, 百: 1e2 };

/** Reads a unit string; returns undefined for a unit this bot does not know. */
export function parseUnit(unit: string): UnitInfo | undefined {
  const u = unit.trim();
  const direct = BASE_SYNONYMS[u] ?? BASE_SYNONYMS[u.toLowerCase()];
  if (direct) return direct;
  if ((COUNT_NOUNS as readonly string[]).includes(u)) return { base: u, factor: 1 };
  const head = u.charAt(0);
  const scale = PREFIX[head];
  if (scale !== undefined && u.length > 1) {
    const rest = parseUnit(u.slice(1));
    if (rest) return { base: rest.base, factor: rest.factor * scale };
  }
  return undefined;
}
