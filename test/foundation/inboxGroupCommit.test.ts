import { afterEach, describe, expect, it } from 'vitest';
import { insertEvent } from '../../src/db/inboxRepo.js';
import { testDb } from '../helpers/testDb.js';

// The inbox's group commit: events stored in one turn of the event loop share one batch, and each
// caller still learns whether its own event was new.

let close: (() => void) | undefined;
afterEach(() => close?.());

describe('insertEvent (group commit)', () => {
  it('stores a burst in one batch and answers each caller, a duplicate inside the batch included', async () => {
    const t = await testDb();
    close = t.close;
    const batches: number[] = [];
    const batch = t.db.batch.bind(t.db);
    t.db.batch = ((qs: unknown[]) => {
      batches.push(qs.length);
      return batch(qs as never);
    }) as typeof t.db.batch;
    const ev = (id: string) => ({ eventId: id, eventType: 'im.message.receive_v1', payload: `{"id":"${id}"}` });
    const answers = await Promise.all([
      insertEvent(t.db, ev('e1'), 1),
      insertEvent(t.db, ev('e2'), 2),
      insertEvent(t.db, ev('e1'), 3),
      insertEvent(t.db, ev('e3'), 4),
    ]);
    expect(answers).toEqual([true, true, false, true]);
    expect(batches).toEqual([4]);
    // A later turn: a duplicate of a stored event is refused, a new one stored on its own.
    expect(await Promise.all([insertEvent(t.db, ev('e2'), 5)])).toEqual([false]);
    expect(await insertEvent(t.db, ev('e4'), 6)).toBe(true);
    expect(batches).toEqual([4]);
    const rows = await t.db.query.processedEvents.findMany({
      columns: { eventId: true, receivedAt: true },
      orderBy: (p, { asc }) => asc(p.eventId),
    });
    expect(rows).toEqual([
      { eventId: 'e1', receivedAt: 1 },
      { eventId: 'e2', receivedAt: 2 },
      { eventId: 'e3', receivedAt: 4 },
      { eventId: 'e4', receivedAt: 6 },
    ]);
  });

  it('a failed batch fails every caller in it and stores none of it', async () => {
    const t = await testDb();
    close = t.close;
    t.db.batch = (() => Promise.reject(new Error('disk on fire'))) as unknown as typeof t.db.batch;
    const ev = (id: string) => ({ eventId: id, eventType: 'im.message.receive_v1', payload: '{}' });
    const answers = await Promise.allSettled([insertEvent(t.db, ev('f1'), 1), insertEvent(t.db, ev('f2'), 1)]);
    expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected']);
    expect(await t.db.query.processedEvents.findMany()).toEqual([]);
  });
});
