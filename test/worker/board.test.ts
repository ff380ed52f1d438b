import { createExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { signBoardToken } from '../../src/board/boardToken.js';
import { buildWorkbook } from '../../src/export/buildWorkbook.js';
import { exportData } from '../../src/export/exportData.js';
import { depsFor } from '../../src/runtime/worker.js';

// The board and the workbook in workerd over D1: the same Hono routes and the same exceljs code
// as on Node (the README's Workers decision rests on this test).

const worker = () => (exports as unknown as { default: Fetcher }).default;
const e = env as unknown as { DB: D1Database; BOARD_SECRET: string };

async function seedOneFigure(): Promise<void> {
  // The catalog is seeded by the Worker's first request.
  expect((await worker().fetch('http://worker/healthz')).status).toBe(200);
  await e.DB.prepare(
    "insert or ignore into reports (message_id, sender_open_id, org, text, status, received_at, updated_at) values ('om_wb_1', 'ou_wb', '市住房城乡建委', '截至10月20日新开工改造城镇老旧小区1500个', 'recorded', 1729400000000, 1729400000000)",
  ).run();
  await e.DB.prepare(
    "insert into report_items (report_id, year, metric_id, value, mode, scope, as_of, reporter_open_id, org, created_at) select id, 2024, '1-1', 1500, 'cumulative', 'city', '2024-10-20', 'ou_wb', '市住房城乡建委', 1729400000000 from reports where message_id = 'om_wb_1' and not exists (select 1 from report_items where metric_id = '1-1' and reporter_open_id = 'ou_wb')",
  ).run();
}

describe('the board and the workbook on the Worker', () => {
  it('serves the board to a signed link and refuses a forged one', async () => {
    await seedOneFigure();
    const token = await signBoardToken(e.BOARD_SECRET, {
      sub: 'wall:workerd',
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    const res = await worker().fetch(`http://worker/board?t=${token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html.match(/class="metric"/g)).toHaveLength(41);
    expect(html).toMatch(/data-metric="1-1" data-status="\w+" data-value="1500"/);
    const metric = await worker().fetch(`http://worker/board/m/1-1?t=${token}`);
    expect(metric.status).toBe(200);
    expect(await metric.text()).toContain('<svg');
    const forged = await worker().fetch(
      `http://worker/board?t=${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`,
    );
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('/看板');
    expect((await worker().fetch('http://worker/board')).status).toBe(401);
  });

  it('builds the 通报 workbook with exceljs from D1', async () => {
    await seedOneFigure();
    const deps = await depsFor(env as never, createExecutionContext());
    const data = await exportData(deps, '2024-10-28');
    const bytes = await buildWorkbook(data, { title: 'workerd' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['通报', '区县', '明细']);
    const row = wb.getWorksheet('通报')!.getRow(2);
    expect(row.getCell(2).value).toBe('1-1');
    expect(row.getCell(6).value).toBe(1500);
    expect(wb.getWorksheet('明细')!.getRow(2).getCell(12).value).toBe('截至10月20日新开工改造城镇老旧小区1500个');
  });
});
