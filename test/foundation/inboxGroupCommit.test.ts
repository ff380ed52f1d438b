import type { Client, InStatement } from '@libsql/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/Db.js';
import { insertEvent, ROWS_PER_INSERT } from '../../src/db/inboxRepo.js';
import { testDb } from '../helpers/testDb.js';

// The inbox's group commit: events stored in one turn of the event loop share one INSERT (several
// when there are more than a statement may bind on D1, then in one batch), and each caller still
// learns whether its own event was new.

let close: (() => void) | undefined;
afterEach(() => close?.());

const ev = (id: string) => ({ eventId: id, eventType: 'im.message.receive_v1', payload: `{"id":"${id}"}` });

/** Every statement the driver runs that writes the inbox, and every batch, as they happen. */
function watch(db: Db) {
  const client = (db as unknown as { $client: Client }).$client;
  const log = { inserts: [] as string[], batches: [] as number[] };
  const execute = client.execute.bind(client);
  const batch = client.batch.bind(client);
  const text = (s: InStatement | string) => (typeof s === 'string' ? s : s.sql);
  client.execute = ((s: InStatement) => {
    if (/^insert into "processed_events"/i.test(text(s))) log.inserts.push(text(s));
    return execute(s);
  }) as typeof client.execute;
  client.batch = ((ss: InStatement[], mode?: 'write') => {
    log.batches.push(ss.length);
    return batch(ss, mode);
  }) as typeof client.batch;
  return { client, log };
}

describe('insertEvent (group commit)', () => {
  it('stores a burst in one statement and answers each caller, a duplicate inside the burst included', async () => {
    const t = await testDb();
    close = t.close;
    const { log } = watch(t.db);
    const answers = await Promise.all([
      insertEvent(t.db, ev('e1'), 1),
      insertEvent(t.db, ev('e2'), 2),
      insertEvent(t.db, ev('e1'), 3),
      insertEvent(t.db, ev('e3'), 4),
    ]);
    expect(answers).toEqual([true, true, false, true]);
    expect(log.inserts).toHaveLength(1);
    expect(log.batches).toEqual([]);
    // A later turn: a duplicate of a stored event is refused, a new one stored on its own.
    expect(await Promise.all([insertEvent(t.db, ev('e2'), 5)])).toEqual([false]);
    expect(await insertEvent(t.db, ev('e4'), 6)).toBe(true);
    expect(log.inserts).toHaveLength(3);
    const rows = await t.db.query.processedEvents.findMany({
      columns: { eventId: true, receivedAt: true, status: true },
      orderBy: (p, { asc }) => asc(p.eventId),
    });
    expect(rows).toEqual([
      { eventId: 'e1', receivedAt: 1, status: 'pending' },
      { eventId: 'e2', receivedAt: 2, status: 'pending' },
      { eventId: 'e3', receivedAt: 4, status: 'pending' },
      { eventId: 'e4', receivedAt: 6, status: 'pending' },
    ]);
  });

  it('a burst larger than one statement binds goes in one batch of several statements', async () => {
    const t = await testDb();
    close = t.close;
    await insertEvent(t.db, ev('old'), 0);
    const { log } = watch(t.db);
    const n = ROWS_PER_INSERT * 2 + 5;
    const ids = Array.from({ length: n }, (_, i) => `b${i}`);
    ids.splice(7, 0, 'old'); // a duplicate of a stored event in the middle
    const answers = await Promise.all(ids.map((id, i) => insertEvent(t.db, ev(id), 10 + i)));
    expect(answers).toEqual(ids.map((id) => id !== 'old'));
    expect(log.batches).toEqual([3]);
    const stored = await t.db.query.processedEvents.findMany({ columns: { eventId: true } });
    expect(stored).toHaveLength(n + 1);
  });

  it('a failed write fails every caller in the group and stores none of it', async () => {
    const t = await testDb();
    close = t.close;
    const { client } = watch(t.db);
    const execute = client.execute;
    client.execute = ((s: InStatement) =>
      /processed_events/i.test(typeof s === 'string' ? s : s.sql)
        ? Promise.reject(new Error('disk on fire'))
        : execute(s)) as typeof client.execute;
    client.batch = (() => Promise.reject(new Error('disk on fire'))) as unknown as typeof client.batch;
    const small = await Promise.allSettled([insertEvent(t.db, ev('f1'), 1), insertEvent(t.db, ev('f2'), 1)]);
    expect(small.map((a) => a.status)).toEqual(['rejected', 'rejected']);
    const big = await Promise.allSettled(
      Array.from({ length: ROWS_PER_INSERT + 1 }, (_, i) => insertEvent(t.db, ev(`g${i}`), 1)),
    );
    expect(big.every((a) => a.status === 'rejected')).toBe(true);
    client.execute = execute;
    expect(await t.db.query.processedEvents.findMany()).toEqual([]);
  });
});
