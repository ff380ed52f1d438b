import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { corpusLine } from '../../src/cli/corpusCommand.js';
import { corpusCases } from '../../src/db/corpusRepo.js';
import { learnedPhrases } from '../../src/db/schema.js';
import { MAX_REPORT_CHARS } from '../../src/parser/types.js';
import { ADMIN, harness, type Harness } from './harness.js';

// Issue 10 parts 3–5 as a contact meets them: corrections in the counting word, 撤销 of a
// correction, 全市 from a 区县, figures recorded while one waits for a choice, learned phrases,
// too-long messages, suspicion against the district sum, and the corpus export of what stands.

const WJW = 'ou_wjw000000000000000000000000001';
const YZ = 'ou_yz0000000000000000000000000001';
const SPB = 'ou_spb000000000000000000000000001';

let h: Harness;
beforeEach(async () => {
  h = await harness();
  await h.contact(WJW, '市卫生健康委', '王五');
  await h.contact(YZ, '渝中区', '李四');
  await h.contact(SPB, '沙坪坝区', '赵六');
});
afterEach(() => h.close());

const live = async (metric: string) => (await h.items(metric)).filter((i) => i.supersededAt === null);

describe('/修改 reads the counting word and is checked like a report', () => {
  it('/修改 10-1 9900 is 9,900 个 = 0.99 万个, and /进度 10-1 shows it so', async () => {
    await h.send(WJW, '托位新增3150个');
    expect((await live('10-1')).map((i) => i.value)).toEqual([0.315]);
    const [fixed] = await h.send(WJW, '/修改 10-1 9900');
    expect(fixed!.text).toContain('3,150 个（0.315 万个） → 9,900 个（0.99 万个）');
    expect((await live('10-1')).map((i) => i.value)).toEqual([0.99]);
    const [shown] = await h.send(WJW, '/进度 10-1');
    expect(shown!.text).toContain('全市：9,900 个（0.99 万个） / 1.1 万个（90.0%）');
    expect(shown!.text).not.toContain('9,900 万个');
  });

  it('a fraction or a written unit is read in that unit', async () => {
    await h.send(WJW, '/修改 10-1 0.5');
    expect((await live('10-1')).map((i) => i.value)).toEqual([0.5]);
    await h.send(WJW, '/修改 10-1 0.6万个');
    expect((await live('10-1')).map((i) => i.value)).toEqual([0.6]);
  });

  it.each([
    ['/修改 10-1 -5', '不能是负数'],
    ['/修改 10-1 abc', '不是数值'],
    ['/修改 10-1 Infinity', '不是数值'],
    ['/修改 10-1 9e999', '不是数值'],
    ['/修改 10-1 999999999', '看起来不对'],
    ['/修改 10-1 5公里', '单位「公里」与指标 10-1'],
  ])('%s is refused with a clear reply and stores nothing', async (text, said) => {
    const [r] = await h.send(WJW, text);
    expect(r!.text).toContain('没有更正');
    expect(r!.text).toContain(said);
    expect(await h.items('10-1')).toHaveLength(0);
  });

  it('a correction far above the target asks first, and 确认 records it', async () => {
    await h.send(WJW, '托位新增3150个');
    const [card] = await h.send(WJW, '/修改 10-1 1.8万个');
    expect(card!.text).toContain('超过目标');
    expect((await live('10-1')).map((i) => i.value)).toEqual([0.315]);
    const confirm = h.buttons(card!.card).find((b) => b.text === '确认记录')!;
    const r = await h.click(WJW, confirm.value);
    expect(r.toast?.content).toBe('已更正');
    expect((await live('10-1')).map((i) => i.value)).toEqual([1.8]);
  });
});

describe('/撤销 undoes the latest action, a /修改 included', () => {
  it('/修改 then /撤销 restores the figure before the correction and says so', async () => {
    await h.send(WJW, '托位新增3150个');
    await h.send(WJW, '/修改 10-1 9900');
    const [undone] = await h.send(WJW, '/撤销');
    expect(undone!.text).toContain(
      '已撤销更正：10-1 新增托位（全市）累计 9,900 个（0.99 万个），恢复为更正前的 累计 3,150 个（0.315 万个）',
    );
    expect((await live('10-1')).map((i) => i.value)).toEqual([0.315]);
    const [shown] = await h.send(WJW, '/进度 10-1');
    expect(shown!.text).toContain('全市：3,150 个（0.315 万个）');
    // The next 撤销 undoes the report itself.
    const [again] = await h.send(WJW, '/撤销');
    expect(again!.text).toContain('已撤销 1 项数据');
    expect(await live('10-1')).toHaveLength(0);
  });
});

describe('scope', () => {
  it('a 区县 writing 全市… is refused for that figure, never credited to the district', async () => {
    const [r] = await h.send(YZ, '全市新增托位500个');
    expect(r!.text).toContain('写的是全市的数，渝中区只报送本区县的数');
    expect(r!.text).not.toContain('/绑定');
    expect(await h.items('10-1')).toHaveLength(0);
  });

  it("a district contact's /进度 shows the district's own figure beside the city's", async () => {
    await h.send(YZ, '托位新增300个');
    await h.send(SPB, '托位新增500个');
    const [r] = await h.send(YZ, '/进度 10-1');
    expect(r!.text).toContain('渝中区：300 个（0.03 万个）');
    expect(r!.text).toContain('全市：800 个（0.08 万个） / 1.1 万个（7.3%）（区县合计）');
  });

  it('a city total below the district sum it replaces is asked about', async () => {
    await h.send(YZ, '托位累计500个');
    await h.send(SPB, '托位累计280个');
    const [card] = await h.send(WJW, '全市托位累计500个');
    expect(card!.text).toContain('请确认数据');
    expect(card!.text).toContain('全市累计 500 个（0.05 万个） 比各区县合计 780 个（0.078 万个） 还少');
    expect(await live('10-1')).toHaveLength(2);
  });

  it('a 补报 is compared with the state on its own date, not today', async () => {
    await h.send(WJW, '截至10月25日，托位累计5000个');
    const [r] = await h.send(WJW, '截至9月30日，托位累计4000个');
    expect(r!.text).toContain('已记录');
    expect(await live('10-1')).toHaveLength(2);
  });
});

describe('one unclear figure among clear ones', () => {
  const TEXT = '新开工改造老旧小区15个。本周新增公园5个';

  it('records the clear figure at once and asks only about the unclear one; 都不是，取消 drops only it', async () => {
    const out = await h.send(YZ, TEXT);
    expect(out.map((o) => o.text.split('\n')[0])).toEqual(['【已记录 1 项数据】', '【请确认指标】']);
    expect(out[1]!.text).toContain('「5个」是哪项指标的数');
    expect((await live('1-1')).map((i) => i.value)).toEqual([15]);
    const cancel = h.buttons(out[1]!.card).find((b) => b.text === '都不是，取消')!;
    const r = await h.click(YZ, cancel.value);
    expect(r.toast?.content).toContain('其余已记录的数据不变');
    expect((await live('1-1')).map((i) => i.value)).toEqual([15]);
    expect((await h.reportByMessage('om_test_1'))?.status).toBe('recorded');
  });

  it('a text answer 「3-1」 keeps the figure an increment, and the phrase is learned for the organisation', async () => {
    await h.send(YZ, TEXT);
    const [r] = await h.send(YZ, '3-1');
    expect(r!.text).toContain('已记录 2 项数据');
    const got = await live('3-1');
    expect(got.map((i) => [i.value, i.mode, i.scope])).toEqual([[5, 'increment', '渝中区']]);
    const learned = await h.deps.db.select().from(learnedPhrases).where(eq(learnedPhrases.org, '渝中区'));
    expect(learned.map((l) => [l.phrase, l.metricId])).toEqual([['公园', '3-1']]);
    // The same words no longer ask, for this organisation only.
    const [again] = await h.send(YZ, '本周新增公园3个');
    expect(again!.text).toContain('已记录 1 项数据');
    expect((await live('3-1')).map((i) => i.value)).toEqual([5, 3]);
    const [other] = await h.send(SPB, '本周新增公园3个');
    expect(other!.text).toContain('请确认指标');
    // Listed by /我的, removable by /忘记, visible to admins.
    expect((await h.send(YZ, '/我的'))[0]!.text).toContain('「公园」→ 3-1 建设口袋公园');
    await h.contact(ADMIN, '市卫生健康委', '管理员');
    expect((await h.send(ADMIN, '/说法 全部'))[0]!.text).toContain('「公园」→ 3-1 建设口袋公园（渝中区）');
    expect((await h.send(YZ, '/忘记 公园'))[0]!.text).toContain('已忘记「公园」');
    expect((await h.send(YZ, '本周新增公园4个'))[0]!.text).toContain('请确认指标');
  });

  it("/撤销 while the question is open undoes this message's recorded figures, not an older report", async () => {
    await h.send(YZ, '托位累计300个');
    const out = await h.send(YZ, TEXT);
    const [undone] = await h.send(YZ, '/撤销');
    expect(undone!.text).toContain('已撤销 1 项数据');
    expect(await live('1-1')).toHaveLength(0);
    expect((await live('10-1')).map((i) => i.value)).toEqual([0.03]);
    const choose = h.buttons(out[1]!.card).find((b) => b.value.m === '3-1')!;
    const r = await h.click(YZ, choose.value);
    expect(r.toast?.content).toContain('撤销');
    expect(await live('3-1')).toHaveLength(0);
  });

  it('「3-1：6」 answers with a new number and still keeps the mode', async () => {
    await h.send(YZ, TEXT);
    await h.send(YZ, '3-1：6');
    expect((await live('3-1')).map((i) => [i.value, i.mode])).toEqual([[6, 'increment']]);
  });
});

describe('bounded work', () => {
  it(`a message over ${MAX_REPORT_CHARS} characters is answered "请分条发送" and kept, unread`, async () => {
    const text = '新开工改造老旧小区15个。'.repeat(Math.ceil((MAX_REPORT_CHARS + 1) / 13));
    const [r] = await h.send(WJW, text);
    expect(r!.text).toContain('请分条发送');
    const row = await h.reportByMessage('om_test_1');
    expect(row?.status).toBe('too_long');
    expect(row?.text).toBe(text);
    expect(await h.items()).toHaveLength(0);
  });
});

describe('corpus export', () => {
  it('gives each message the figures that finally stand: after a choice, a correction and an undo', async () => {
    await h.send(YZ, '新开工改造老旧小区15个。本周新增公园5个');
    await h.send(YZ, '3-1');
    await h.send(WJW, '托位新增3150个');
    await h.send(WJW, '/修改 10-1 9900');
    await h.send(SPB, '托位新增200个');
    await h.send(SPB, '/撤销');
    const cases = await corpusCases(h.deps.db, 0);
    const byText = new Map(cases.map((c) => [c.report.text, c]));
    expect([...byText.keys()].sort()).toEqual(
      ['托位新增200个', '托位新增3150个', '新开工改造老旧小区15个。本周新增公园5个'].sort(),
    );
    expect(
      byText.get('新开工改造老旧小区15个。本周新增公园5个')!.items.map((i) => [i.metricId, i.value, i.mode]),
    ).toEqual([
      ['1-1', 15, 'cumulative'],
      ['3-1', 5, 'increment'],
    ]);
    expect(byText.get('托位新增3150个')!.items.map((i) => [i.metricId, i.value])).toEqual([['10-1', 0.99]]);
    expect(byText.get('托位新增200个')!.items).toEqual([]);
    expect(byText.get('托位新增200个')!.report.status).toBe('undone');
    // As JSON lines in the dev corpus format; an undone /修改 is a command, not a line.
    await h.send(WJW, '/撤销');
    const lines = (await corpusCases(h.deps.db, 0)).flatMap((c) => corpusLine(c, 'Asia/Shanghai') ?? []);
    expect(lines.map((l) => l.text)).not.toContain('/修改 10-1 9900');
    expect(lines.find((l) => l.text === '托位新增3150个')).toEqual({
      id: expect.stringMatching(/^r\d+$/),
      org: '市卫生健康委',
      date: '2024-10-28',
      text: '托位新增3150个',
      outcome: 'recorded',
      expect: [{ metric: '10-1', value: 0.315, mode: expect.any(String), scope: 'city', asOf: '2024-10-28' }],
    });
  });
});

describe('the 「编号 数值」 shortcut', () => {
  it('reads a bare number in the counting word and refuses what /修改 refuses', async () => {
    const [r] = await h.send(WJW, '10-1 9900');
    expect(r!.text).toContain('累计 9,900 个（0.99 万个）');
    expect((await live('10-1')).map((i) => i.value)).toEqual([0.99]);
    const [bad] = await h.send(WJW, '10-1：-5');
    expect(bad!.text).toContain('不能是负数');
    const [absurd] = await h.send(WJW, '10-1 999999999');
    expect(absurd!.text).toContain('看起来不对');
    expect((await live('10-1')).map((i) => i.value)).toEqual([0.99]);
  });
});
