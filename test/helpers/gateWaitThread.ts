import { parentPort, workerData } from 'node:worker_threads';
import { AckGate } from '../../src/runtime/AckGate.js';

// A thread whose only pending work is one wait at the gate (ackGate.test.ts).
const gate = new AckGate(workerData.buffer as SharedArrayBuffer);
await gate.whenClear(Number(workerData.maxWaitMs));
parentPort?.postMessage('waited');
