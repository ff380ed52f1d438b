/**
 * Query builders as a SQL script with the values written in, for `wrangler d1 execute --file`
 * (bootstrapping a Worker's D1, which the CLI cannot reach). One statement a line, no BEGIN/COMMIT
 * (D1 runs a file's statements itself). Values are literals: numbers, NULL, or strings with quotes
 * doubled; drizzle's statements carry their values only as `?` parameters, so every `?` outside a
 * quoted string is one.
 */
export function sqlScript(queries: Array<{ toSQL(): { sql: string; params: unknown[] } }>): string {
  return queries.map((q) => `${inline(q.toSQL())};\n`).join('');
}

export function sqlLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
    return String(v);
  }
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  throw new Error(`cannot write ${typeof v} as SQL`);
}

function inline({ sql, params }: { sql: string; params: unknown[] }): string {
  let out = '';
  let i = 0;
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      quote = ch;
      out += ch;
      continue;
    }
    if (ch === '?') {
      if (i >= params.length) throw new Error('more placeholders than values');
      out += sqlLiteral(params[i++]);
      continue;
    }
    out += ch;
  }
  if (i !== params.length) throw new Error('more values than placeholders');
  return out;
}
