import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running a TypeScript entry, for runs from source (`npm run dev`, tests): tsx's
 * loader is registered inside the thread before the entry is imported. `execArgv: ['--import',
 * 'tsx']` does not do it on Node 20: the thread failed with "Unknown file extension .ts", and the
 * processing thread of `npm run dev` never started (events stayed pending).
 */
export function tsWorker(entry: URL, opts: WorkerOptions = {}): Worker {
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(code, { ...opts, eval: true });
}
