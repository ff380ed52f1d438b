import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const tsx = resolve(root, 'node_modules/.bin/tsx');

/** Runs a TypeScript entry of the project as its own process (as `npm start` / `npm run cli` would). */
export function runTs(entry: string, args: string[], env: Record<string, string>, input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    const child = spawn(tsx, [resolve(root, entry), ...args], { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env } });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', rej);
    child.on('close', (code) => res({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** Starts the Node server on a free port; resolves once it logs `listening`. */
export function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; port: number; lines: string[]; exited: Promise<number | null> }> {
  return new Promise((res, rej) => {
    const child = spawn(tsx, [resolve(root, 'src/runtime/node.ts')], { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', ...env } });
    const lines: string[] = [];
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    let buf = '';
    const timer = setTimeout(() => rej(new Error(`server did not start:\n${lines.join('\n')}`)), 20_000);
    const onData = (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        try {
          const o = JSON.parse(line) as { code?: string; port?: number };
          if (o.code === 'listening' && o.port) { clearTimeout(timer); res({ child, port: o.port, lines, exited }); }
        } catch { /* not a log line */ }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => lines.push(d.toString()));
    void exited.then((code) => { clearTimeout(timer); rej(new Error(`server exited ${code}:\n${lines.join('\n')}`)); });
  });
}
