import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers the calling thread's scheduling priority (Linux nice, per thread). The processing thread
 * calls it so that, when the cores are busy, the request thread's acks run first: Lark gives up on
 * an ack after 3 s, while an event waiting in the inbox loses nothing. On an idle core a niced
 * thread runs at full speed. Returns false where threads have no id of their own to renice
 * (anything but Linux): the thread then runs at normal priority.
 */
export function lowerThreadPriority(nice = 19): boolean {
  try {
    // /proc/thread-self → "<pid>/task/<tid>"; setpriority on a tid affects that thread only.
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}
