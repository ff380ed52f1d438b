import { closeSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { NewEvent } from '../db/inboxRepo.js';
import { liveName, newLogOwner, segmentName, type LogOwner } from './acceptLogOwner.js';
import { localFilePath } from './openNodeDb.js';

/** A segment is closed and a new one begun past this size, so moved segments can be deleted. */
export const SEGMENT_BYTES = 16 * 1024 * 1024;

const finite = (n: number): number => {
  if (!Number.isFinite(n)) throw new Error('accept log: a time that is not a number');
  return n;
};

/** One accepted event, a line of the log: the inbox row it becomes. */
export interface LoggedEvent extends NewEvent {
  receivedAt: number;
}

/** The accept-log folder of a libsql file URL (`file:/x/minsheng.db` → `/x/minsheng.db-acklog`), or null for any other database. */
export function acceptLogDir(databaseUrl: string): string | null {
  const path = localFilePath(databaseUrl);
  return path ? `${path}-acklog` : null;
}

/**
 * Where `npm start`'s request thread keeps an accepted event before it answers Lark: one line
 * appended to a file, on disk (in the OS's cache) when the 200 goes out. The processing thread
 * moves the lines into the inbox (AcceptLogMover), where the event_id key holds dedup, as before.
 *
 * Why not the inbox directly: an ack that wrote its event into processed_events cost about as much
 * as the SDK's whole handling of a request. The B-tree insert with two indexes was a third of it,
 * and whenever processing held SQLite's one write lock an ack slept in SQLite's busy wait. An
 * append is a few µs and shares no lock with anyone.
 *
 * Durability is SQLite's `synchronous = NORMAL`, which the inbox had: the line survives a crash of
 * the process (the write has returned), not of the OS. A failed write answers Lark 500 (it sends
 * the event again) and starts a new segment, so a torn line is never followed by a good one.
 */
export class AcceptLog {
  readonly owner: LogOwner;
  private fd: number | null = null;
  private seq = 0;
  private size = 0;
  private closed = false;

  constructor(
    readonly dir: string,
    private readonly segmentBytes = SEGMENT_BYTES,
  ) {
    this.owner = newLogOwner();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, liveName(this.owner)), '');
  }

  /**
   * Appends the event; resolves once its line is written, rejects when it is not (the caller
   * answers 500). Events appended in the same turn of the event loop are written together, one
   * write for all of them: a write per event was most of an ack's cost after the body's decryption.
   */
  append(e: LoggedEvent): Promise<void> {
    if (this.closed) return Promise.reject(new Error('accept log closed'));
    // The line is built by hand: the payload is already JSON text (from JSON.stringify, so it has
    // no raw line break) and goes in as it is. Stringifying it again as a string escaped every
    // quote in it.
    const line = `{"eventId":${JSON.stringify(e.eventId)},"eventType":${JSON.stringify(e.eventType)},"receivedAt":${finite(e.receivedAt)},"chatId":${e.chatId == null ? 'null' : JSON.stringify(e.chatId)},"sentAt":${e.sentAt == null ? 'null' : finite(e.sentAt)},"event":${e.payload}}\n`;
    return new Promise<void>((done, fail) => {
      if (this.waiting.length === 0) setImmediate(this.flush);
      this.waiting.push({ line, done, fail });
    });
  }

  private readonly waiting: Array<{ line: string; done: () => void; fail: (err: unknown) => void }> = [];

  private flush = (): void => {
    const group = this.waiting.splice(0);
    try {
      if (this.closed) throw new Error('accept log closed');
      let text = '';
      for (const w of group) text += w.line;
      const bytes = Buffer.from(text);
      if (this.fd === null || this.size >= this.segmentBytes) this.rotate();
      try {
        for (let off = 0; off < bytes.length; ) off += writeSync(this.fd as number, bytes, off);
        this.size += bytes.length;
      } catch (err) {
        // Part of the lines may be in the file: the next ones go to a new segment, never after them.
        this.size = this.segmentBytes;
        throw err;
      }
    } catch (err) {
      for (const w of group) w.fail(err);
      return;
    }
    for (const w of group) w.done();
  };

  private rotate(): void {
    const old = this.fd;
    this.fd = null;
    if (old !== null) {
      try {
        closeSync(old);
      } catch {
        // After a failed write the old segment may be unusable; the new one is what matters.
      }
    }
    this.seq += 1;
    this.size = 0;
    // 'ax': a new file (the name is this owner's alone), every write at its end.
    this.fd = openSync(join(this.dir, segmentName(this.owner, this.seq)), 'ax');
  }

  /** No more appends: what was written stays for the processing thread, which deletes it once moved. */
  close(): void {
    if (this.closed) return;
    // Appends of this turn are written first: their callers are waiting to answer 200.
    if (this.waiting.length > 0) this.flush();
    this.closed = true;
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    rmSync(join(this.dir, liveName(this.owner)), { force: true });
  }
}
