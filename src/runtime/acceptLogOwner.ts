import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

/**
 * Who writes an accept log (see AcceptLog.ts): a process, told apart from an earlier process that
 * had the same pid (a restarted container is pid 1 every time) by its start time, and one log of
 * several in a process (tests start servers side by side) by a nonce. Its files are named
 * `<pid>.<start>.<nonce>.<seq>.log` (segments) and `<pid>.<start>.<nonce>.live` (there while the
 * log is open).
 */
export interface LogOwner {
  pid: number;
  start: string;
  nonce: string;
}

export const ownerKey = (o: LogOwner): string => `${o.pid}.${o.start}.${o.nonce}`;
export const segmentName = (o: LogOwner, seq: number): string => `${ownerKey(o)}.${seq}.log`;
export const liveName = (o: LogOwner): string => `${ownerKey(o)}.live`;

/** A file of the log folder read back: a segment (with its sequence number) or a live marker. */
export function parseLogFile(name: string): { owner: LogOwner; seq: number | null } | null {
  const m = /^(\d+)\.(\w+)\.([0-9a-f]+)\.(?:(\d+)\.log|live)$/.exec(name);
  if (!m) return null;
  return { owner: { pid: Number(m[1]), start: m[2]!, nonce: m[3]! }, seq: m[4] === undefined ? null : Number(m[4]) };
}

/**
 * A process's start time in clock ticks since boot (/proc/<pid>/stat, field 22), or null when the
 * process does not exist. Without /proc (macOS), 'p' for any process signal 0 reaches.
 */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const rest = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    return rest[19] ?? null;
  } catch {
    if (existsSync('/proc/self/stat')) return null;
    try {
      process.kill(pid, 0);
      return 'p';
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM' ? 'p' : null;
    }
  }
}

/** A new owner for this process. */
export function newLogOwner(): LogOwner {
  return { pid: process.pid, start: processStart(process.pid) ?? 'p', nonce: randomBytes(4).toString('hex') };
}

/**
 * Whether an owner may still write: its process is running (the same pid with the same start
 * time) and its log is open (the live marker is there). A crashed process leaves its marker, but
 * its pid is gone or belongs to a newer process; a server abandoned inside a running process (a
 * test of a crash) removes its marker.
 */
export function ownerAlive(o: LogOwner, hasLiveMarker: boolean): boolean {
  return hasLiveMarker && processStart(o.pid) === o.start;
}
