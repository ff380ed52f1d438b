import { closeSync, fstatSync, openSync, readdirSync, readSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/Db.js';
import { insertLoggedEvents } from '../db/inboxRepo.js';
import type { Logger } from '../logger.js';
import { ownerAlive, ownerKey, parseLogFile, type LogOwner } from './acceptLogOwner.js';

/** Lines per INSERT: one bound JSON value each, so only the statement's size limits it. */
const ROWS_PER_STATEMENT = 500;
/**
 * Lines per INSERT while Lark's requests come as a flood (AckGate.pressed): moving is a B-tree
 * insert with two indexes per event, CPU the acks need then. With the gate's cap of 100 ms a
 * statement, that is still about 500 events a second; the rest waits in the log (on disk) and is
 * moved at full size once the flood eases.
 */
const ROWS_PER_STATEMENT_PRESSED = 50;
/** Bytes read from a segment at a time (a line is at most about twice Lark's 1 MB body). */
const READ_BYTES = 512 * 1024;
const NL = 0x0a;

interface Segment {
  name: string;
  owner: LogOwner;
  seq: number;
}

/**
 * Moves accept logs (AcceptLog.ts) into the inbox, on the processing thread: this server's, and
 * any whose writer is gone (a crash, here or in another process on the same file). Two servers may
 * move the same crashed log at once: an event stored twice is stored once (the event_id key). A
 * running server's log is left to it. A segment is deleted once it is
 * moved and nobody can write to it any more: its writer began a later segment, closed the log, or
 * is gone (acceptLogOwner.ts says how that is told). How far each segment is moved is held here,
 * in memory; after a restart a segment is moved again from the start, and its events already in
 * the inbox are left as they are.
 */
export class AcceptLogMover {
  private readonly moved = new Map<string, number>();
  private running: Promise<number> | null = null;
  private again = false;

  constructor(
    private readonly dir: string,
    private readonly db: Db,
    private readonly log: Logger,
    /** The owner key of this server's own log (acceptLogOwner.ownerKey). */
    private readonly own: string | null,
    /** True while acks come as a flood: smaller statements (see ROWS_PER_STATEMENT_PRESSED). */
    private readonly pressed: () => boolean = () => false,
  ) {}

  /** Moves what is in the logs now; returns how many new events reached the inbox. */
  move(): Promise<number> {
    if (this.running) {
      // Lines appended after the running pass read its segment's end: one more pass takes them.
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let n = 0;
      try {
        do {
          this.again = false;
          n += await this.pass();
        } while (this.again);
      } finally {
        this.running = null;
      }
      return n;
    })();
    return this.running;
  }

  private async pass(): Promise<number> {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw err;
    }
    const live = new Map<string, LogOwner>();
    const byOwner = new Map<string, Segment[]>();
    for (const name of names) {
      const f = parseLogFile(name);
      if (!f) continue;
      const key = ownerKey(f.owner);
      if (f.seq === null) live.set(key, f.owner);
      else {
        const segments = byOwner.get(key) ?? [];
        segments.push({ name, owner: f.owner, seq: f.seq });
        byOwner.set(key, segments);
      }
    }
    let stored = 0;
    for (const [key, segments] of byOwner) {
      segments.sort((a, b) => a.seq - b.seq);
      const alive = ownerAlive(segments[0]!.owner, live.has(key));
      // Another running server moves its own log: moving it here too would only find duplicates.
      if (alive && key !== this.own) continue;
      const last = segments[segments.length - 1]!.seq;
      for (const s of segments) {
        const closed = !alive || s.seq < last;
        stored += await this.moveSegment(s.name, closed);
      }
      if (!alive && live.has(key)) rmSync(join(this.dir, `${key}.live`), { force: true });
    }
    // A dead owner's marker whose segments are all gone (or who never wrote).
    for (const [key, owner] of live)
      if (!byOwner.has(key) && !ownerAlive(owner, true)) rmSync(join(this.dir, `${key}.live`), { force: true });
    return stored;
  }

  /** Moves a segment from where the last pass stopped; deletes it when closed and moved. */
  private async moveSegment(name: string, closed: boolean): Promise<number> {
    const path = join(this.dir, name);
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (err) {
      // Deleted by another server's mover since the listing: it moved the rest.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        this.moved.delete(name);
        return 0;
      }
      throw err;
    }
    let stored = 0;
    let offset = this.moved.get(name) ?? 0;
    let torn = false;
    try {
      const size = fstatSync(fd).size;
      let chunk = Buffer.alloc(Math.min(READ_BYTES, Math.max(size - offset, 1)));
      while (offset < size) {
        const got = readSync(fd, chunk, 0, Math.min(chunk.length, size - offset), offset);
        if (got === 0) break;
        const end = chunk.lastIndexOf(NL, got - 1);
        if (end < 0) {
          // No whole line in the chunk: a torn tail (at the end), or a longer line (read more).
          if (offset + got >= size) break;
          chunk = Buffer.alloc(chunk.length * 2);
          continue;
        }
        stored += await this.store(chunk.toString('utf8', 0, end).split('\n'), name, offset);
        offset += end + 1;
        this.moved.set(name, offset);
      }
      torn = closed && offset < size;
    } finally {
      closeSync(fd);
    }
    if (torn)
      // A write that failed half-way (its ack was a 500, so Lark sent the event again), or a
      // crash in the middle of one: no 200 was given for it.
      this.log.warn('accept_log_torn_tail', { segment: name, offset });
    if (closed) {
      rmSync(path, { force: true });
      this.moved.delete(name);
    }
    return stored;
  }

  private async store(lines: string[], segment: string, offset: number): Promise<number> {
    const good: string[] = [];
    const ids: Array<{ eventId: string; eventType: string }> = [];
    for (const line of lines) {
      const ev = readLine(line);
      if (ev) {
        good.push(line);
        ids.push(ev);
      } else this.log.warn('accept_log_line_unreadable', { segment, near: offset });
    }
    let stored = 0;
    for (let i = 0; i < good.length; ) {
      const n = this.pressed() ? ROWS_PER_STATEMENT_PRESSED : ROWS_PER_STATEMENT;
      const isNew = new Set(await insertLoggedEvents(this.db, `[${good.slice(i, i + n).join(',')}]`));
      stored += isNew.size;
      // Each stored id once; a second line with it (Lark's retry in the same batch) is a duplicate too.
      for (const e of ids.slice(i, i + n)) if (!isNew.delete(e.eventId)) this.log.info('lark_event_duplicate', e);
      i += n;
    }
    return stored;
  }
}

function readLine(line: string): { eventId: string; eventType: string } | null {
  try {
    const v = JSON.parse(line) as Record<string, unknown>;
    if (
      typeof v.eventId === 'string' &&
      typeof v.eventType === 'string' &&
      typeof v.event === 'object' &&
      v.event !== null &&
      typeof v.receivedAt === 'number'
    )
      return { eventId: v.eventId, eventType: v.eventType };
  } catch {}
  return null;
}
