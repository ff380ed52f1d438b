import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { count, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.js';
import { reportItems } from '../../src/db/schema.js';
import { computeDigest, type DigestData } from '../../src/digest/computeDigest.js';
import { seedDemo } from '../../src/jobs/demo/demoData.js';
import { startFakeLark, type FakeLark, type FakeMessage } from '../helpers/fakeLark.js';
import { messageEvent, postLark, TEST_ENCRYPT_KEY } from '../helpers/larkEvents.js';
import { runTs } from '../helpers/spawnNode.js';
import { removeDb, startTestServer, type TestServer } from '../helpers/testServer.js';

// The 通报 workbook read back as Excel would: made by the CLI (`export`) and by /导出 in chat (the
// file uploaded to the fake Lark, then sent as a file message), over the demo year, every figure
// checked against the digest.

const NOW = '2024-10-28T10:00:00+08:00';
const DATE = '2024-10-28';
const CONTACT = 'ou_demo_zj1';

let fake: FakeLark;
let s: TestServer;
let digest: DigestData;
const dir = mkdtempSync(join(tmpdir(), 'minsheng-export-'));

beforeAll(async () => {
  fake = await startFakeLark();
  s = await startTestServer({ fake, clock: manualClock(NOW) });
  await seedDemo(s.deps, { until: DATE });
  digest = await computeDigest(s.deps, { date: DATE });
}, 120_000);

afterAll(async () => {
  await s?.close();
  await fake?.close();
  if (s) removeDb(s.dbUrl);
  rmSync(dir, { recursive: true, force: true });
});

async function say(from: string, text: string, chatType: 'p2p' | 'group' = 'p2p'): Promise<FakeMessage[]> {
  const before = fake.messages.length;
  const ev = messageEvent({ senderOpenId: from, text, chatType }) as { event: { message: { create_time: string } } };
  ev.event.message.create_time = String(Date.parse(NOW));
  expect((await postLark(s.url, ev, { encryptKey: TEST_ENCRYPT_KEY })).status).toBe(200);
  await s.queue.drain();
  return fake.messages.slice(before);
}

const TONGBAO = [
  '项目',
  '指标编号',
  '指标',
  '单位',
  '目标',
  '完成值',
  '完成率',
  '序时进度',
  '状态',
  '截至',
  '牵头单位',
  '较上期变化',
];
const MINGXI = [
  '序号',
  '指标编号',
  '指标',
  '范围',
  '数值',
  '进展',
  '方式',
  '截至',
  '报送人',
  '报送单位',
  '报送时间',
  '原文',
  '状态',
  '更正/撤销人',
  '更正/撤销时间',
];

const headerOf = (ws: ExcelJS.Worksheet) => (ws.getRow(1).values as unknown[]).slice(1);

/** Checks a workbook's sheets, headers, styles and figures against the digest. */
async function checkWorkbook(bytes: Uint8Array): Promise<void> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  expect(wb.worksheets.map((w) => w.name)).toEqual(['通报', '区县', '明细']);

  const tb = wb.getWorksheet('通报')!;
  expect(headerOf(tb)).toEqual(TONGBAO);
  expect(tb.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  expect(tb.getCell('A1').font?.bold).toBe(true);
  expect((tb.getCell('A1').fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FF1F4E79');
  expect(tb.getColumn(3).width).toBeGreaterThanOrEqual(30);
  expect(tb.rowCount).toBe(1 + 41);
  const fills = new Map<string, string>();
  for (const [i, m] of digest.metrics.entries()) {
    const row = tb.getRow(i + 2);
    expect(row.getCell(2).value, `row ${i + 2}`).toBe(m.id);
    expect(row.getCell(3).value).toBe(m.name);
    expect(row.getCell(5).value).toBe(m.target);
    if (m.kind === 'milestone') {
      expect(typeof row.getCell(6).value).toBe('string');
    } else {
      expect(row.getCell(6).value, m.id).toBe(m.value); // a number, not text
      expect(row.getCell(7).value, m.id).toBeCloseTo(m.donePct! / 100, 6);
      expect(row.getCell(7).numFmt).toBe('0.0%');
      expect(row.getCell(8).value).toBeCloseTo(m.expectedPct / 100, 6);
      expect(row.getCell(12).value, m.id).toBe(m.change);
    }
    expect(row.getCell(9).value).toBe(m.statusLabel);
    expect(row.getCell(10).value).toBe(m.asOf ?? '');
    expect(row.getCell(11).value).toBe(m.leadUnits.join('、'));
    const fill = (row.getCell(9).fill as ExcelJS.FillPattern).fgColor!.argb!;
    if (fills.has(m.status)) expect(fill, `${m.id} coloured as its status`).toBe(fills.get(m.status));
    fills.set(m.status, fill);
  }
  // Each status has its own colour.
  expect(new Set(fills.values()).size).toBe(fills.size);

  const qx = wb.getWorksheet('区县')!;
  const qh = headerOf(qx) as string[];
  expect(qh.slice(0, 4)).toEqual(['指标编号', '指标', '单位', '全市']);
  expect(qh).toHaveLength(4 + 41);
  expect(qx.views[0]).toMatchObject({ state: 'frozen', ySplit: 1, xSplit: 4 });
  const figured = digest.metrics.filter((m) => m.kind !== 'milestone');
  expect(qx.rowCount).toBe(1 + figured.length);
  for (const [i, m] of figured.entries()) {
    const row = qx.getRow(i + 2);
    expect(row.getCell(1).value).toBe(m.id);
    expect(row.getCell(4).value).toBe(m.value);
    for (const d of m.districts) {
      const col = qh.indexOf(d.scope) + 1;
      expect(col, d.scope).toBeGreaterThan(0);
      expect(row.getCell(col).value ?? null, `${m.id} ${d.scope}`).toBe(d.value);
    }
  }

  const mx = wb.getWorksheet('明细')!;
  expect(headerOf(mx)).toEqual(MINGXI);
  const [all] = await s.deps.db.select({ n: count() }).from(reportItems);
  const [superseded] = await s.deps.db
    .select({ n: count() })
    .from(reportItems)
    .where(isNotNull(reportItems.supersededAt));
  expect(mx.rowCount).toBe(1 + all!.n);
  const rows = Array.from({ length: mx.rowCount - 1 }, (_, i) => mx.getRow(i + 2));
  const done = rows.filter((r) => r.getCell(13).value !== '有效');
  expect(done).toHaveLength(superseded!.n);
  expect(superseded!.n).toBeGreaterThan(0); // the demo year holds a correction
  expect(done[0]!.getCell(14).value).toContain('张伟');
  expect(done[0]!.getCell(15).value).toBeInstanceOf(Date);
  expect(rows[0]!.getCell(11).value).toBeInstanceOf(Date);
  expect(String(rows[0]!.getCell(12).value)).not.toBe('');
  expect(typeof rows.find((r) => r.getCell(2).value === '1-1')!.getCell(5).value).toBe('number');
}

describe('the 通报 workbook', () => {
  it("export --format xlsx writes sheets 通报, 区县 and 明细 with the digest's figures", async () => {
    const out = join(dir, '通报.xlsx');
    const r = await runTs('src/runtime/cli.ts', ['export', '--date', DATE, '--format', 'xlsx', '--out', out], {
      DATABASE_URL: s.dbUrl,
      LOG_LEVEL: 'error',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('41 metrics');
    await checkWorkbook(new Uint8Array(readFileSync(out)));
  }, 90_000);

  it('export --format csv writes the 通报 table, and bad usage exits 2', async () => {
    const out = join(dir, '通报.csv');
    const r = await runTs('src/runtime/cli.ts', ['export', '--date', DATE, '--format', 'csv', '--out', out], {
      DATABASE_URL: s.dbUrl,
      LOG_LEVEL: 'error',
    });
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe(TONGBAO.join(','));
    expect(lines).toHaveLength(42);
    const m = digest.metrics.find((x) => x.id === '1-1')!;
    expect(lines[1]!.split(',').slice(1, 7)).toEqual([
      '1-1',
      m.name,
      m.unit,
      String(m.target),
      String(m.value),
      String(m.donePct! / 100),
    ]);

    const bad = await runTs('src/runtime/cli.ts', ['export', '--format', 'pdf', '--out', out], {
      DATABASE_URL: s.dbUrl,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('usage');
  }, 90_000);

  it('/导出 uploads the workbook to Lark and replies with it as a file message', async () => {
    const sent = await say(CONTACT, '/导出');
    const file = sent.find((m) => m.msgType === 'file');
    expect(file, 'a file message').toBeDefined();
    expect(file!.kind).toBe('reply');
    const key = (JSON.parse(file!.content) as { file_key: string }).file_key;
    const uploaded = fake.files.get(key)!;
    expect(uploaded).toMatchObject({ fileType: 'xls', fileName: `民生实事通报-${DATE}.xlsx` });
    const upload = fake.requests.find((r) => r.path === '/open-apis/im/v1/files')!;
    expect(upload.authorization).toMatch(/^Bearer t-fake-/);
    await checkWorkbook(new Uint8Array(uploaded.bytes));
    const text = sent.find((m) => m.msgType === 'text')!;
    expect(text.content).toContain('41 项指标');
  });

  it('/导出 in a group sends the file to the asker privately; an unbound user gets none', async () => {
    const sent = await say(CONTACT, '/导出 csv', 'group');
    await s.sweep();
    const file = fake.messages.find((m) => m.msgType === 'file' && m.kind === 'send');
    expect(file).toMatchObject({ receiveIdType: 'open_id', target: CONTACT });
    const key = (JSON.parse(file!.content) as { file_key: string }).file_key;
    expect(fake.files.get(key)).toMatchObject({ fileType: 'stream', fileName: `民生实事通报-${DATE}.csv` });
    expect(fake.files.get(key)!.bytes.toString('utf8')).toContain('1-1,新开工改造城镇老旧小区');
    expect(sent.some((m) => m.kind === 'reply' && m.content.includes('私信'))).toBe(true);

    const uploads = fake.files.size;
    const [refused] = await say('ou_stranger_000000000000000000002', '/导出');
    expect(refused!.content).toContain('只对已绑定的联系人和管理员开放');
    expect(fake.files.size).toBe(uploads);
  });
});
