import { env } from 'cloudflare:workers';
import { drizzle } from 'drizzle-orm/d1';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/Db.js';
import { importContacts } from '../../src/db/contactsRepo.js';
import { insertEvent, ROWS_PER_INSERT } from '../../src/db/inboxRepo.js';
import { insertReport, itemsOfReport, recordCorrection, recordItems, undoReport } from '../../src/db/reportsRepo.js';
import * as schema from '../../src/db/schema.js';

// The batched write paths straight on D1 (drizzle's D1 session): each takes effect once when
// repeated, as on libsql. Before, recordItems and recordCorrection put raw db.run(sql…) into
// db.batch and every report failed on D1 with "Cannot read properties of undefined (reading 'bind')".

const db = drizzle((env as unknown as { DB: D1Database }).DB, { schema }) as unknown as Db;
const now = Date.parse('2024-10-28T02:00:00Z');
const item = (value: number) => ({
  metricId: '1-1',
  value,
  mode: 'cumulative' as const,
  scope: 'city',
  asOf: '2024-10-25',
});

describe('D1 write paths', () => {
  it('recordItems, recordCorrection and undoReport take effect once when run again', async () => {
    const { report } = await insertReport(db, {
      messageId: 'om_w_1',
      senderOpenId: 'ou_w',
      org: '市住房城乡建委',
      text: 't',
      now,
    });
    const rec = {
      reportId: report.id,
      from: ['received' as const],
      to: 'recorded' as const,
      items: [item(1400), { ...item(3600), metricId: '1-2', approximate: true }],
      year: 2024,
      reporter: 'ou_w',
      org: '市住房城乡建委',
      now,
    };
    expect(await recordItems(db, rec)).toBe(true);
    expect(await recordItems(db, rec)).toBe(false);
    const items = await itemsOfReport(db, report.id);
    expect(items.map((i) => [i.metricId, i.value, i.approximate, i.supersededAt])).toEqual([
      ['1-1', 1400, false, null],
      ['1-2', 3600, true, null],
    ]);

    const { report: fix } = await insertReport(db, {
      messageId: 'om_w_2',
      senderOpenId: 'ou_w',
      org: '市住房城乡建委',
      text: '/修改 1-1 1450',
      now: now + 1,
    });
    const corr = {
      reportId: fix.id,
      item: item(1450),
      previousId: items[0]!.id,
      year: 2024,
      reporter: 'ou_w',
      org: '市住房城乡建委',
      now: now + 1,
      detail: '修改 1-1',
    };
    expect(await recordCorrection(db, corr)).toBe(true);
    expect(await recordCorrection(db, corr)).toBe(false);
    const [fixed] = await itemsOfReport(db, fix.id);
    expect(fixed?.value).toBe(1450);
    expect((await itemsOfReport(db, report.id))[0]).toMatchObject({ supersededBy: fixed!.id, supersedeReason: 'fix' });

    expect(await undoReport(db, report.id, 'ou_w', now + 2)).toBe(true);
    expect(await undoReport(db, report.id, 'ou_w', now + 2)).toBe(false);
    expect((await itemsOfReport(db, report.id)).map((i) => i.supersedeReason)).toEqual(['fix', 'undo']);
  });

  it('importContacts writes 250 contacts in one batch (each statement far below 100 bound values)', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => ({
      openId: `ou_bulk_${i}`,
      name: `联系人${i}`,
      org: '渝中区',
      role: 'contact' as const,
    }));
    expect(await importContacts(db, rows, now)).toBe(250);
    expect(await importContacts(db, rows, now)).toBe(250);
    const n = await (env as unknown as { DB: D1Database }).DB.prepare(
      "select count(*) as n from contacts where open_id like 'ou_bulk_%' and status = 'active'",
    ).first<{ n: number }>();
    expect(n?.n).toBe(250);
  });
});

describe('the inbox on D1', () => {
  it('a group of events fills a whole INSERT within D1’s bound values, and a larger one is batched', async () => {
    const ev = (id: string) => ({ eventId: id, eventType: 'im.message.receive_v1', payload: `{"id":"${id}"}` });
    // One turn of the event loop: the whole burst is one group.
    const ids = Array.from({ length: ROWS_PER_INSERT * 2 + 1 }, (_, i) => `d1_inbox_${i}`);
    const answers = await Promise.all(ids.map((id, i) => insertEvent(db, ev(id), now + i)));
    expect(answers.every((a) => a)).toBe(true);
    // Exactly one statement's worth, then a duplicate of a stored one.
    const full = Array.from({ length: ROWS_PER_INSERT }, (_, i) => `d1_full_${i}`);
    expect(await Promise.all(full.map((id) => insertEvent(db, ev(id), now)))).toEqual(full.map(() => true));
    expect(await insertEvent(db, ev('d1_inbox_0'), now)).toBe(false);
    const rows = await db.query.processedEvents.findMany({ columns: { eventId: true, status: true } });
    const mine = rows.filter((r) => r.eventId.startsWith('d1_'));
    expect(mine).toHaveLength(ids.length + full.length);
    expect(mine.every((r) => r.status === 'pending')).toBe(true);
  });
});
