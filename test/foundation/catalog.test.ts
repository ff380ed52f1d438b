import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { shippedCatalog } from '../../seeds/catalogs.js';
import catalogJson from '../../seeds/catalog-2024.json' with { type: 'json' };
import { CatalogError, validateCatalog } from '../../src/catalog/validateCatalog.js';
import { loadCatalogFile } from '../../src/cli/loadCatalogFile.js';
import { parseUnit } from '../../src/catalog/units.js';

const catalog = shippedCatalog(2024);
const clone = () =>
  JSON.parse(JSON.stringify(catalogJson)) as typeof catalogJson & { metrics: Array<Record<string, unknown>> };

describe('the 2024 catalog', () => {
  it('has 15 projects and 41 metrics: 30 count, 7 level, 4 milestone', () => {
    expect(catalog.projects).toHaveLength(15);
    expect(catalog.metrics).toHaveLength(41);
    const kinds: Record<string, number> = {};
    for (const m of catalog.metrics) kinds[m.kind] = (kinds[m.kind] ?? 0) + 1;
    expect(kinds).toEqual({ count: 30, level: 7, milestone: 4 });
  });

  it.each([
    ['1-1', 1835, '个', 'count'],
    ['1-2', 4186, '万平方米', 'count'],
    ['2-4', 100, '公里', 'count'],
    ['5-2', 4.5, '万个', 'count'],
    ['6-2', 2, '万个', 'count'],
    ['8-3', 50, '%', 'level'],
    ['9-1', 180, '万亩', 'count'],
    ['10-2', 3.7, '个/千人', 'level'],
    ['11-3', 300, '万人', 'level'],
    ['12-3', 13, '万名', 'count'],
    ['13-5', 10000, '人次', 'count'],
    ['15-3', 30, '个', 'count'],
  ])('metric %s: target %s %s, %s', (id, target, unit, kind) => {
    expect(catalog.metric(id)).toMatchObject({ target, unit, kind, deadline: '2024-12-31' });
  });

  it('has the 41 区县 as organisations, reachable by their short forms', () => {
    expect(catalog.districts()).toHaveLength(41);
    expect(catalog.org('石柱县')?.name).toBe('石柱土家族自治县');
    expect(catalog.org('高新区')?.name).toBe('西部科学城重庆高新区');
    expect(catalog.org('万盛')?.name).toBe('万盛经开区');
    expect(catalog.org('市住建委')?.name).toBe('市住房城乡建委');
  });

  it('knows who answers for what', () => {
    expect(catalog.unitsOf('7-1')).toEqual(['市交通运输委', '市公安局']);
    expect(catalog.unitsOf('10-3')).toEqual(['市卫生健康委', '市发展改革委', '市教委']);
    expect(catalog.metricsOf('市体育局').map((m) => m.id)).toEqual(['3-1', '3-2', '3-3']);
    expect(catalog.metricsOf('渝中区')).toHaveLength(41);
    expect(catalog.suggestOrgs('住建委员会')[0]).toBe('市住房城乡建委');
  });

  it('has aliases people use for the metrics', () => {
    const aliases = catalog.metrics.flatMap((m) => m.aliases);
    for (const a of ['旧改', '老旧小区', '绿道', '托位', '泊位', '窨井盖', '渝馨家园', '渝好空间'])
      expect(aliases).toContain(a);
  });
});

describe('units', () => {
  it.each([
    ['万平方米', '平方米', 1e4],
    ['㎡', '平方米', 1],
    ['万个', '个', 1e4],
    ['km', '公里', 1],
    ['千米', '公里', 1],
    ['万亩', '亩', 1e4],
    ['%', '%', 1],
    ['人次', '人次', 1],
  ])('%s is %s × %d', (u, base, factor) => expect(parseUnit(u)).toEqual({ base, factor }));
  it('does not know made-up units', () => expect(parseUnit('斤两')).toBeUndefined());
});

describe('a bad catalog is refused with the file, the entry and the problem', () => {
  const cases: Array<[string, (c: ReturnType<typeof clone>) => void, RegExp]> = [
    [
      'a duplicate metric id',
      (c) => {
        c.metrics[1]!.id = '1-1';
      },
      /bad\.json: .*metric 1-1: duplicate id/,
    ],
    [
      'an unknown unit',
      (c) => {
        c.metrics[0]!.unit = '斤';
      },
      /metric 1-1: unknown unit 斤/,
    ],
    [
      'an unknown lead unit',
      (c) => {
        c.metrics[2]!.lead = ['市不存在局'];
      },
      /metric 2-1: unknown unit\/org 市不存在局/,
    ],
    [
      'an unknown responsible unit',
      (c) => {
        c.projects[0]!.units = ['市不存在局'];
      },
      /project 1: unknown unit\/org 市不存在局/,
    ],
    [
      'a count metric without a target',
      (c) => {
        delete c.metrics[0]!.target;
      },
      /metric 1-1: missing target on a count metric/,
    ],
    [
      'a wrong type',
      (c) => {
        (c.metrics[3] as Record<string, unknown>).target = 'lots';
      },
      /metric 2-2 target/,
    ],
    [
      'a bad kind',
      (c) => {
        (c.metrics[3] as Record<string, unknown>).kind = 'vibe';
      },
      /metric 2-2 kind/,
    ],
    [
      'a short form naming two organisations',
      (c) => {
        c.organisations[1]!.aliases.push('住建委');
      },
      /short form 住建委 also names/,
    ],
  ];
  it.each(cases)('%s', (_name, mutate, message) => {
    const c = clone();
    mutate(c);
    expect(() => validateCatalog(c, 'seeds/bad.json')).toThrow(CatalogError);
    expect(() => validateCatalog(c, 'seeds/bad.json')).toThrow(message);
  });

  it('a file that is not JSON', async () => {
    const p = `/tmp/minsheng-bad-${process.pid}.json`;
    writeFileSync(p, '{ "year": 2025, ');
    await expect(loadCatalogFile(p)).rejects.toThrow(new RegExp(`${p}: not valid JSON`));
  });

  it('nothing is hard-wired to 2024: a 2025 catalog loads the same way', () => {
    const c = clone();
    Object.assign(c, { year: 2025, start: '2025-01-01', deadline: '2025-12-31', title: '2025' });
    const cat = validateCatalog(c, 'seeds/catalog-2025.json');
    expect(cat.year).toBe(2025);
    expect(cat.metric('1-1')?.deadline).toBe('2025-12-31');
  });
});
