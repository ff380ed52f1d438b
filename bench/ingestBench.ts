import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { createClient } from '@libsql/client';
import { larkRequest, messageEvent, TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN } from '../test/helpers/larkEvents.js';
import type { Figure } from './figure.js';

const root = resolve(import.meta.dirname, '..');

interface Proc { child: ChildProcess; port: number; exited: Promise<number | null> }

/** Starts a TypeScript entry with node --import tsx (so the pid is the server itself, for RSS). */
function start(entry: string, env: Record<string, string>): Promise<Proc> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, entry)], {
      cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    let buf = '';
    const timer = setTimeout(() => rej(new Error(`${entry} did not start`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) {
        try {
          const o = JSON.parse(l) as { code?: string; port?: number };
          if (o.code === 'listening' && o.port) { clearTimeout(timer); res({ child, port: o.port, exited }); }
        } catch { /* not a log line */ }
      }
    });
    child.stderr!.resume();
  });
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** A fresh, unique, encrypted and signed message event per request (as Lark would send them). */
function eventRequests() {
  return [{
    method: 'POST' as const, path: '/lark/events',
    setupRequest: (req: Record<string, unknown>) => {
      const { body, headers } = larkRequest(messageEvent({ text: '本周新增口袋公园3个' }), { encryptKey: TEST_ENCRYPT_KEY });
      return { ...req, body, headers };
    },
  }];
}

async function load(url: string, o: { connections: number; duration: number; overallRate?: number; requests?: ReturnType<typeof eventRequests>; amount?: number }) {
  const r = await autocannon({
    url, connections: o.connections, ...(o.amount ? { amount: o.amount } : { duration: o.duration }),
    ...(o.overallRate ? { overallRate: o.overallRate } : {}), ...(o.requests ? { requests: o.requests } : {}),
  } as autocannon.Options);
  const non2xx = r.non2xx + r.errors + r.timeouts;
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, total: r.requests.total, non2xx };
}

async function pending(dbUrl: string): Promise<number> {
  const c = createClient({ url: dbUrl });
  try {
    const r = await c.execute("select count(*) n from processed_events where status = 'pending'");
    return Number(r.rows[0]!.n);
  } finally { c.close(); }
}

/**
 * Webhook ingest (ours vs /healthz on the same server vs the SDK's EventDispatcher) and the
 * server's memory idle and after `memoryEvents` ingested events, processing included.
 */
export async function ingestBench(opts: { duration: number; memoryEvents: number }): Promise<{ figures: Figure[]; table: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'minsheng-ingest-'));
  const dbUrl = `file:${join(dir, 'i.db')}`;
  const env = { DATABASE_URL: dbUrl, LARK_ENCRYPT_KEY: TEST_ENCRYPT_KEY, LARK_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN, LOG_LEVEL: 'warn' };
  const ours = await start('src/runtime/node.ts', { ...env, LOG_LEVEL: 'info' });
  const table: string[] = [];
  try {
    const base = `http://127.0.0.1:${ours.port}`;
    await new Promise((r) => setTimeout(r, 1500));
    const idle = rssMb(ours.child.pid!);
    const ceiling = await load(`${base}/healthz`, { connections: 10, duration: opts.duration });
    const ingest = await load(base, { connections: 10, duration: opts.duration, requests: eventRequests() });
    const paced = await load(base, { connections: 10, duration: opts.duration, overallRate: 500, requests: eventRequests() });
    if (ingest.non2xx || paced.non2xx) throw new Error(`ingest answered non-2xx: ${ingest.non2xx + paced.non2xx}`);

    const peer = await start('bench/sdkPeer.ts', env);
    let sdk;
    try {
      sdk = await load(`http://127.0.0.1:${peer.port}`, { connections: 10, duration: opts.duration, requests: eventRequests() });
    } finally {
      peer.child.kill('SIGTERM');
      await peer.exited;
    }

    // Memory: top up to `memoryEvents` acknowledged events at 500/s (what the server acks with a
    // low p99 while it processes), then read RSS. Processing goes on behind (the inbox is the
    // backlog); how much is still pending is reported with the figure.
    const sent = ingest.total + paced.total;
    if (sent < opts.memoryEvents) await load(base, { connections: 10, duration: 0, amount: opts.memoryEvents - sent, overallRate: 500, requests: eventRequests() });
    await new Promise((r) => setTimeout(r, 3000));
    const after = rssMb(ours.child.pid!);
    const backlog = await pending(dbUrl);
    const total = Math.max(sent, opts.memoryEvents);

    table.push(
      `ingest: ${ingest.rps.toFixed(0)} events/s (p50 ${ingest.p50} ms, p99 ${ingest.p99} ms at 10 connections, unpaced)`,
      `ceiling (/healthz, same server): ${ceiling.rps.toFixed(0)} req/s → ingest/ceiling ${(ingest.rps / ceiling.rps).toFixed(2)}`,
      `SDK EventDispatcher on node:http: ${sdk.rps.toFixed(0)} events/s → ours/SDK ${(ingest.rps / sdk.rps).toFixed(2)}`,
      `paced at 500 events/s: p50 ${paced.p50} ms, p99 ${paced.p99} ms`,
      `server RSS: idle ${idle.toFixed(0)} MB, after ${total.toLocaleString('en')} events acknowledged ${after.toFixed(0)} MB (${backlog.toLocaleString('en')} still queued for processing)`,
    );
    return {
      figures: [
        { name: 'ingest.rps', value: Math.round(ingest.rps), unit: 'req/s' },
        { name: 'ingest.vs_ceiling', value: round(ingest.rps / ceiling.rps), unit: 'x' },
        { name: 'ingest.vs_sdk', value: round(ingest.rps / sdk.rps), unit: 'x' },
        { name: 'ingest.p99_ms', value: paced.p99, unit: 'ms' },
        { name: 'memory.rss_idle_mb', value: round(idle), unit: 'MB' },
        { name: 'memory.rss_100k_mb', value: round(after), unit: 'MB' },
      ],
      table,
    };
  } finally {
    ours.child.kill('SIGTERM');
    await ours.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x: number) => Math.round(x * 100) / 100;
