import { describe, expect, it } from 'vitest';
import { BUSY_TIMEOUT_MS, isBusyError, openNodeDb, retryBusy } from '../../src/runtime/openNodeDb.js';
import { removeDb, tempDbUrl } from '../helpers/testServer.js';

describe('openNodeDb on a file', () => {
  it('every statement, however many run at once, sees busy_timeout 250 and synchronous NORMAL', async () => {
    const url = tempDbUrl();
    const { client } = await openNodeDb(url);
    try {
      const timeouts = await Promise.all(Array.from({ length: 25 }, () => client.execute('PRAGMA busy_timeout')));
      expect(timeouts.map((r) => Number(Object.values(r.rows[0] ?? {})[0]))).toEqual(Array(25).fill(BUSY_TIMEOUT_MS));
      const sync = await Promise.all(Array.from({ length: 25 }, () => client.execute('PRAGMA synchronous')));
      expect(sync.map((r) => Number(Object.values(r.rows[0] ?? {})[0]))).toEqual(Array(25).fill(1));
      const mode = await client.execute('PRAGMA journal_mode');
      expect(String(Object.values(mode.rows[0] ?? {})[0])).toBe('wal');
    } finally {
      client.close();
      removeDb(url);
    }
  });

  it("a write that meets another process's lock waits and succeeds; a constraint error is not retried", async () => {
    const url = tempDbUrl();
    const a = await openNodeDb(url);
    const b = await openNodeDb(url);
    try {
      await a.client.execute('create table t (k integer primary key, v text)');
      // `a` holds the write lock in an open transaction (as another process's batch would).
      const tx = await a.client.transaction('write');
      await tx.execute("insert into t values (1, 'a')");
      const write = b.client.execute("insert into t values (2, 'b')");
      // Released shortly after: `b` waited (busy_timeout, then the retries) instead of failing.
      setTimeout(() => void tx.commit(), 300);
      await write;
      const rows = await b.client.execute('select k from t order by k');
      expect(rows.rows.map((r) => Number(r.k))).toEqual([1, 2]);
      await expect(b.client.execute("insert into t values (2, 'again')")).rejects.toThrow(/UNIQUE/);
    } finally {
      a.client.close();
      b.client.close();
      removeDb(url);
    }
  });

  it('retryBusy repeats only lock errors, with the common backoff, and gives up after its retries', async () => {
    const busy = Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' });
    expect(isBusyError(busy)).toBe(true);
    expect(
      isBusyError(
        Object.assign(new Error('cannot commit transaction - SQL statements in progress'), { code: 'SQLITE_BUSY' }),
      ),
    ).toBe(true);
    expect(isBusyError(Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT' }))).toBe(
      false,
    );
    const slept: number[] = [];
    let calls = 0;
    const ok = await retryBusy(
      async () => {
        if (++calls < 4) throw busy;
        return 'done';
      },
      6,
      async (ms) => {
        slept.push(ms);
      },
    );
    expect(ok).toBe('done');
    expect(slept).toHaveLength(3);
    expect(slept[2]!).toBeGreaterThan(slept[0]!);
    calls = 0;
    await expect(
      retryBusy(
        async () => {
          calls++;
          throw busy;
        },
        2,
        async () => {},
      ),
    ).rejects.toBe(busy);
    expect(calls).toBe(3);
  });
});
