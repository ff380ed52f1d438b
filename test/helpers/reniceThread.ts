import { readlinkSync } from 'node:fs';
import { getPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { lowerThreadPriority } from '../../src/runtime/lowerThreadPriority.js';

// A worker thread for test/foundation/lowerThreadPriority.test.ts: lowers its own priority and
// says what it sees.
const ok = lowerThreadPriority(10);
const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
parentPort?.postMessage({ ok, tid, nice: getPriority(tid) });
