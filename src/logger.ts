/** Structured log lines: one JSON object per line, with a code a person can grep for. */
export interface Logger {
  debug(code: string, fields?: Record<string, unknown>): void;
  info(code: string, fields?: Record<string, unknown>): void;
  warn(code: string, fields?: Record<string, unknown>): void;
  error(code: string, fields?: Record<string, unknown>): void;
}

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];

/**
 * Secrets never reach a log: any value equal to one of `secrets` is masked wherever it appears,
 * and fields named like a secret are dropped.
 */
export function createLogger(
  opts: { level?: Level; secrets?: Array<string | undefined>; write?: (line: string) => void } = {},
): Logger {
  const min = LEVELS.indexOf(opts.level ?? 'info');
  const secrets = (opts.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 4);
  const write = opts.write ?? ((line: string) => console.log(line));
  const scrub = (s: string) => secrets.reduce((acc, sec) => acc.split(sec).join('***'), s);
  const emit = (level: Level, code: string, fields?: Record<string, unknown>) => {
    if (LEVELS.indexOf(level) < min) return;
    const safe: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(fields ?? {})) {
      if (/secret|token|encrypt_?key|password|authorization/i.test(k)) continue;
      safe[k] = v instanceof Error ? v.message : v;
    }
    // t, level and code last: a field of the same name never replaces the line's own.
    write(scrub(JSON.stringify({ ...safe, t: new Date().toISOString(), level, code })));
  };
  return {
    debug: (c, f) => emit('debug', c, f),
    info: (c, f) => emit('info', c, f),
    warn: (c, f) => emit('warn', c, f),
    error: (c, f) => emit('error', c, f),
  };
}

/** For tests and benchmarks: keeps lines in memory. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(createLogger({ level: 'debug', write: (l) => lines.push(l) }), { lines });
}
