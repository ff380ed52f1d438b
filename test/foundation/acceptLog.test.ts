import { spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/logger.js';
import { AcceptLog, acceptLogDir, type LoggedEvent } from '../../src/runtime/AcceptLog.js';
import { AcceptLogMover } from '../../src/runtime/AcceptLogMover.js';
import { ownerKey, processStart } from '../../src/runtime/acceptLogOwner.js';
import { testDb } from '../helpers/testDb.js';

// npm start's request thread appends accepted events to a log; the processing thread moves them
// into the inbox (processed_events). What reaches the inbox must be what the ack would have
// stored, once, whoever moves it, whatever crashed.

const cleanup: Array<() => void> = [];
afterEach(() => {
  while (cleanup.length) cleanup.pop()!();
});

async function setup() {
  const t = await testDb();
  cleanup.push(t.close);
  const dir = acceptLogDir(t.url)!;
  const log = memoryLogger();
  return { ...t, dir, log };
}

const event = (n: number, chat = true): LoggedEvent => ({
  eventId: `ev_${n}`,
  eventType: 'im.message.receive_v1',
  payload: JSON.stringify({
    schema: '2.0',
    eventId: `ev_${n}`,
    event: { message: { content: `{"text":"第${n}条 \\"引号\\"\\n"}` } },
  }),
  receivedAt: 1_700_000_000_000 + n,
  ...(chat ? { chatId: `oc_${n % 3}`, sentAt: 1_699_999_999_000 + n } : {}),
});

type Row = {
  event_id: string;
  event_type: string;
  payload: string;
  status: string;
  attempts: number;
  received_at: number;
  chat_id: string | null;
  sent_at: number | null;
};
const rows = (db: Awaited<ReturnType<typeof setup>>['db']) =>
  db.all<Row>(sql`select event_id, event_type, payload, status, attempts, received_at, chat_id, sent_at
    from processed_events order by event_id`);
const segments = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.log'));

describe('accept log', () => {
  it('the folder sits beside a file database; any other database has none', () => {
    expect(acceptLogDir('file:/var/lib/minsheng/minsheng.db')).toBe('/var/lib/minsheng/minsheng.db-acklog');
    expect(acceptLogDir('file:/x/m.db?mode=rwc')).toBe('/x/m.db-acklog');
    expect(acceptLogDir('file::memory:')).toBeNull();
    expect(acceptLogDir('libsql://minsheng.turso.io')).toBeNull();
  });

  it('an event moved into the inbox is the row the ack would have stored', async () => {
    const { db, dir, log } = await setup();
    const acceptLog = new AcceptLog(dir);
    cleanup.push(() => acceptLog.close());
    const evs = [event(1), event(2, false), event(3)];
    await Promise.all(evs.map((e) => acceptLog.append(e)));
    // Written before append resolves: one segment with three lines.
    expect(segments(dir)).toHaveLength(1);
    expect(readFileSync(join(dir, segments(dir)[0]!), 'utf8').split('\n')).toHaveLength(4);

    const mover = new AcceptLogMover(dir, db, log, ownerKey(acceptLog.owner));
    expect(await mover.move()).toBe(3);
    const got = await rows(db);
    expect(got.map((r) => ({ ...r, payload: JSON.parse(r.payload) }))).toEqual(
      evs.map((e) => ({
        event_id: e.eventId,
        event_type: e.eventType,
        payload: JSON.parse(e.payload),
        status: 'pending',
        attempts: 0,
        received_at: e.receivedAt,
        chat_id: e.chatId ?? null,
        sent_at: e.sentAt ?? null,
      })),
    );
    // Nothing new: nothing moved again. The open segment stays (its writer may append).
    expect(await mover.move()).toBe(0);
    expect(segments(dir)).toHaveLength(1);
    await acceptLog.append(event(4));
    expect(await mover.move()).toBe(1);
    expect((await rows(db)).map((r) => r.event_id)).toEqual(['ev_1', 'ev_2', 'ev_3', 'ev_4']);
  });

  it('a duplicate (Lark retrying) is stored once and logged; a line moved twice after a restart is stored once', async () => {
    const { db, dir, log } = await setup();
    const acceptLog = new AcceptLog(dir);
    cleanup.push(() => acceptLog.close());
    await Promise.all([acceptLog.append(event(1)), acceptLog.append(event(1)), acceptLog.append(event(2))]);
    expect(await new AcceptLogMover(dir, db, log, ownerKey(acceptLog.owner)).move()).toBe(2);
    expect(log.lines.filter((l) => l.includes('lark_event_duplicate'))).toHaveLength(1);
    // A new mover (the processing thread restarted) reads the segment from its start.
    expect(await new AcceptLogMover(dir, db, log, ownerKey(acceptLog.owner)).move()).toBe(0);
    expect((await rows(db)).map((r) => r.event_id)).toEqual(['ev_1', 'ev_2']);
  });

  it('segments rotate; a closed segment is deleted once moved, and all of them after close()', async () => {
    const { db, dir, log } = await setup();
    // A segment holds one turn's lines at this size.
    const acceptLog = new AcceptLog(dir, 1);
    for (let i = 1; i <= 3; i++) await acceptLog.append(event(i));
    expect(segments(dir)).toHaveLength(3);
    const mover = new AcceptLogMover(dir, db, log, ownerKey(acceptLog.owner));
    expect(await mover.move()).toBe(3);
    // The two earlier segments are complete (their writer began the next one): gone.
    expect(segments(dir)).toEqual([`${ownerKey(acceptLog.owner)}.3.log`]);
    acceptLog.close();
    await expect(acceptLog.append(event(9))).rejects.toThrow(/closed/);
    expect(await mover.move()).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
    expect((await rows(db)).map((r) => r.event_id)).toEqual(['ev_1', 'ev_2', 'ev_3']);
  });

  it("a crashed process's log is moved by another server and deleted; a torn last line is left out", async () => {
    const { db, dir, log } = await setup();
    const acceptLog = new AcceptLog(dir);
    await Promise.all([acceptLog.append(event(1)), acceptLog.append(event(2))]);
    // Make it another process's log, one that has exited: a pid that ran and is gone.
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    expect(processStart(dead)).toBeNull();
    const key = ownerKey(acceptLog.owner);
    const deadKey = `${dead}.123.abcd1234`;
    renameSync(join(dir, `${key}.1.log`), join(dir, `${deadKey}.1.log`));
    renameSync(join(dir, `${key}.live`), join(dir, `${deadKey}.live`));
    // The crash came in the middle of a write: that event was never acknowledged.
    appendFileSync(join(dir, `${deadKey}.1.log`), '{"eventId":"ev_3","eventType":"im.mess');

    const mover = new AcceptLogMover(dir, db, log, null);
    expect(await mover.move()).toBe(2);
    expect((await rows(db)).map((r) => r.event_id)).toEqual(['ev_1', 'ev_2']);
    expect(readdirSync(dir)).toEqual([]);
    expect(log.lines.filter((l) => l.includes('accept_log_torn_tail'))).toHaveLength(1);
  });

  it("a running server's log is left to it; once it closes, anyone may move and delete it", async () => {
    const { db, dir, log } = await setup();
    const other = new AcceptLog(dir);
    await other.append(event(1));
    const mover = new AcceptLogMover(dir, db, log, 'not-this-one');
    expect(await mover.move()).toBe(0);
    expect(segments(dir)).toHaveLength(1);
    other.close();
    expect(await mover.move()).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a server abandoned in this process (a crash in a test) counts as gone once its marker is', async () => {
    const { db, dir, log } = await setup();
    const a = new AcceptLog(dir);
    await a.append(event(1));
    const b = new AcceptLog(dir);
    cleanup.push(() => b.close());
    const mover = new AcceptLogMover(dir, db, log, ownerKey(b.owner));
    expect(await mover.move()).toBe(0);
    a.close();
    expect(await mover.move()).toBe(1);
    expect(existsSync(join(dir, `${ownerKey(a.owner)}.live`))).toBe(false);
  });

  it('a line that is not an event is skipped with a warning; the lines around it are stored', async () => {
    const { db, dir, log } = await setup();
    const acceptLog = new AcceptLog(dir);
    await acceptLog.append(event(1));
    const seg = join(dir, segments(dir)[0]!);
    appendFileSync(seg, '{"eventId":"ev_x"}\nnot json\n');
    await acceptLog.append(event(2));
    acceptLog.close();
    expect(await new AcceptLogMover(dir, db, log, null).move()).toBe(2);
    expect((await rows(db)).map((r) => r.event_id)).toEqual(['ev_1', 'ev_2']);
    expect(log.lines.filter((l) => l.includes('accept_log_line_unreadable'))).toHaveLength(2);
  });

  it('a write that fails rejects (the ack is a 500); the next event goes to a new segment, and a torn line is never followed', async () => {
    const { db, dir, log } = await setup();
    const acceptLog = new AcceptLog(dir);
    cleanup.push(() => acceptLog.close());
    await acceptLog.append(event(1));
    const first = join(dir, segments(dir)[0]!);
    // The disk fails in the middle of a write: half a line is in the file, and the descriptor is gone.
    appendFileSync(first, '{"eventId":"ev_2","eventType":"im.mess');
    closeSync((acceptLog as unknown as { fd: number }).fd);
    await expect(acceptLog.append(event(2))).rejects.toThrow();
    // Lark sends event 2 again; it and event 3 are written, in a new segment.
    await acceptLog.append(event(2));
    await acceptLog.append(event(3));
    expect(segments(dir)).toHaveLength(2);
    expect(await new AcceptLogMover(dir, db, log, ownerKey(acceptLog.owner)).move()).toBe(3);
    expect((await rows(db)).map((r) => r.event_id)).toEqual(['ev_1', 'ev_2', 'ev_3']);
    expect(log.lines.filter((l) => l.includes('accept_log_torn_tail'))).toHaveLength(1);
    expect(existsSync(first)).toBe(false);
  });

  it('under a flood (pressed) the mover stores in small statements, and still stores everything', async () => {
    const { db, dir, log } = await setup();
    const acceptLog = new AcceptLog(dir);
    cleanup.push(() => acceptLog.close());
    await Promise.all(Array.from({ length: 120 }, (_, i) => acceptLog.append(event(i + 1))));
    let asked = 0;
    const mover = new AcceptLogMover(dir, db, log, ownerKey(acceptLog.owner), () => {
      asked++;
      return true;
    });
    expect(await mover.move()).toBe(120);
    // 50 lines a statement: three statements, each asking first.
    expect(asked).toBe(3);
    expect(await db.all(sql`select event_id from processed_events`)).toHaveLength(120);
  });
});
