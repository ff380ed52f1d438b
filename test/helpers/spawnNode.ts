import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const tsx = resolve(root, 'node_modules/.bin/tsx');

let built: Promise<string[]> | undefined;
/**
 * `npm start`'s command (node, its flags, the compiled entry), over a build of this test process's
 * own (scripts/build.mjs, as prestart runs it), so test files running in parallel never see a
 * bundle being rebuilt. Built once per test process, removed when it exits.
 */
export function compiledStart(): Promise<string[]> {
  built ??= new Promise((res, rej) => {
    const out = join('node_modules', '.cache', `minsheng-build-${process.pid}-${randomBytes(4).toString('hex')}`);
    process.on('exit', () => rmSync(resolve(root, out), { recursive: true, force: true }));
    execFile(
      process.execPath,
      [resolve(root, 'scripts/build.mjs'), `--outdir=${out}`],
      { cwd: root },
      (err, _o, stderr) => {
        if (err) return rej(new Error(`build failed: ${stderr}`));
        const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
          scripts: Record<string, string>;
        };
        const [cmd, ...args] = pkg.scripts.start!.trim().split(/\s+/);
        if (cmd !== 'node') return rej(new Error(`npm start runs ${cmd}, expected node`));
        res(args.map((a) => (a.startsWith('-') ? a : resolve(root, a.replace(/^dist\//, `${out}/`)))));
      },
    );
  });
  return built;
}

type Exit = { code: number | null; stdout: string; stderr: string };

/** Runs a command in the project to its exit, with only PATH, HOME and `env`, collecting its output. */
function runToExit(cmd: string, args: string[], env: Record<string, string>, input?: string): Promise<Exit> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    });
    let stdout = '',
      stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', rej);
    child.on('close', (code) => res({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** Runs the compiled server as `npm start` does, to its exit (start-up failures). */
export async function runCompiled(env: Record<string, string>): Promise<Exit> {
  return runToExit(process.execPath, await compiledStart(), env);
}

/** Runs a TypeScript entry of the project as its own process (as `npm start` / `npm run cli` would). */
export function runTs(entry: string, args: string[], env: Record<string, string>, input?: string): Promise<Exit> {
  return runToExit(tsx, [resolve(root, entry), ...args], env, input);
}

/**
 * Starts the Node server as `npm start` runs it (compiled), or as `npm run dev` does (`source`: tsx
 * over the TypeScript), on a free port; resolves once it logs `listening`.
 */
export async function startServer(
  env: Record<string, string>,
  how: 'compiled' | 'source' = 'compiled',
): Promise<{ child: ChildProcess; port: number; lines: string[]; exited: Promise<number | null> }> {
  const [cmd, args] =
    how === 'compiled' ? [process.execPath, await compiledStart()] : [tsx, [resolve(root, 'src/runtime/node.ts')]];
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', ...env },
    });
    const lines: string[] = [];
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    let buf = '';
    const timer = setTimeout(() => rej(new Error(`server did not start:\n${lines.join('\n')}`)), 20_000);
    const onData = (d: Buffer) => {
      buf += d.toString();
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        try {
          const o = JSON.parse(line) as { code?: string; port?: number };
          if (o.code === 'listening' && o.port) {
            clearTimeout(timer);
            res({ child, port: o.port, lines, exited });
          }
        } catch {
          /* not a log line */
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => lines.push(d.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      rej(new Error(`server exited ${code}:\n${lines.join('\n')}`));
    });
  });
}
