import type { Cell, Table } from './exportData.js';

// One table as CSV (RFC 4180, CRLF), with a UTF-8 byte order mark so Excel opens the Chinese
// correctly. Percentages stay fractions (as in the workbook) and times are local wall clock.

function cell(v: Cell, format: string | undefined): string {
  if (v === null) return '';
  let s: string;
  if (v instanceof Date)
    s = v
      .toISOString()
      .slice(0, format === 'date' ? 10 : 16)
      .replace('T', ' ');
  else s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function buildCsv(t: Table): string {
  const lines = [t.columns.map((c) => cell(c.header, 'text')).join(',')];
  for (const r of t.rows) lines.push(r.map((v, i) => cell(v, t.columns[i]?.format)).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
