import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger.js';
import { tsWorker } from './tsWorker.js';
import { AckGate } from './AckGate.js';
import type { FromProcessor, ProcessorData, ToProcessor } from './processorThread.js';

/** Events stored within this long reach the processing thread as one signal. */
const SIGNAL_MS = 5;

/**
 * The request thread's side of the processing thread (processorThread.ts). `submit` tells it an
 * event was stored (it reads the events from the inbox).
 * If the thread dies, nothing is lost: the events are pending in the inbox and the next start's
 * sweep (or another instance's) takes them.
 */
export class ProcessorHost {
  private readonly worker: Worker;
  private signalDue = false;
  private sweeps = new Map<number, () => void>();
  private nextSweep = 0;
  private closedWith: ((left: number) => void) | null = null;
  private dead = false;
  /** Resolves when the thread's start-up recovery pass is done. */
  readonly recovered: Promise<void>;
  /** Lark requests in flight: the thread's statements wait for them (see AckGate). */
  readonly acks = new AckGate();
  /** Told when the thread ends other than by close() or abandon() (a fault). */
  onExit: (() => void) | null = null;

  constructor(config: Omit<ProcessorData, 'ackGate'>, log: Logger) {
    const data: ProcessorData = { ...config, ackGate: this.acks.buffer };
    // Compiled (`npm start`): the bundle's sibling processorThread.js. From source (tsx, tests):
    // the .ts file, with tsx's loader in the thread as well.
    const js = new URL('./processorThread.js', import.meta.url);
    const fromSource = !existsSync(fileURLToPath(js));
    this.worker = fromSource
      ? tsWorker(new URL('./processorThread.ts', import.meta.url), { workerData: data })
      : // A small young generation: the thread's live data is small, and the default (16 MB
        // semi-spaces) kept about 10 MB more resident at idle for nothing.
        new Worker(js, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    let recovered!: () => void;
    this.recovered = new Promise((r) => (recovered = r));
    this.worker.on('message', (m: FromProcessor) => {
      if (m.type === 'recovered') recovered();
      else if (m.type === 'swept') {
        this.sweeps.get(m.id)?.();
        this.sweeps.delete(m.id);
      } else if (m.type === 'closed') this.closedWith?.(m.left);
      else if (m.type === 'failed') log.error('processor_failed', { error: m.error });
    });
    this.worker.on('error', (err) => log.error('processor_failed', { error: err.message }));
    this.worker.on('exit', (exitCode) => {
      const expected = this.dead;
      this.dead = true;
      recovered();
      for (const done of this.sweeps.values()) done();
      this.closedWith?.(0);
      if (!expected) {
        log.error('processor_exited', { exitCode, message: 'events stay pending in the inbox until the next start' });
        this.onExit?.();
      }
    });
  }

  /**
   * An event was stored: the thread is told there is work (it takes the events from the inbox),
   * at most once per SIGNAL_MS. A message per event, or per turn of the event loop, cost the
   * request thread more than storing the events did under a burst.
   */
  submit = (_eventId: string): void => {
    if (this.dead || this.signalDue) return;
    this.signalDue = true;
    setTimeout(this.signal, SIGNAL_MS);
  };

  private signal = (): void => {
    this.signalDue = false;
    if (!this.dead) this.post({ type: 'work' });
  };

  private post(m: ToProcessor): void {
    this.worker.postMessage(m);
  }

  /** One sweep pass in the thread now; resolves when it is done. */
  sweep(): Promise<void> {
    if (this.dead) return Promise.resolve();
    const id = this.nextSweep++;
    return new Promise((r) => {
      this.sweeps.set(id, r);
      this.post({ type: 'sweep', id });
    });
  }

  /** Finishes the event in hand and the jobs running, leaves the rest to the inbox; returns how many were left. */
  async close(): Promise<number> {
    if (this.dead) return 0;
    const left = await new Promise<number>((r) => {
      this.closedWith = r;
      this.post({ type: 'close' });
    });
    this.dead = true;
    await this.worker.terminate();
    return left;
  }

  /** Ends the thread as a fault would (tests of what the server does then). */
  async kill(): Promise<void> {
    await this.worker.terminate();
  }

  /** As a crash would: the thread stops where it is. */
  async abandon(): Promise<void> {
    this.dead = true;
    await this.worker.terminate();
  }
}
