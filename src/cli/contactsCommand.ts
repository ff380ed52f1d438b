import { readFile } from 'node:fs/promises';
import type { Catalog } from '../catalog/Catalog.js';
import { bindContact, contactUpsert, importContacts, listContacts, unbindContact } from '../db/contactsRepo.js';
import { sqlScript } from '../db/sqlScript.js';
import { openCliDeps, parseArgs } from '../runtime/cliDeps.js';

const USAGE = `usage: npm run cli -- contacts bind <open_id> <org> [--name NAME] [--admin]
       npm run cli -- contacts unbind <open_id>
       npm run cli -- contacts list [org]
       npm run cli -- contacts import FILE.csv   (columns open_id,name,org,role)
       npm run cli -- contacts import FILE.csv --sql > contacts.sql
           (writes nothing; prints the SQL for a Worker's D1:
            npx wrangler d1 execute minsheng --remote --file contacts.sql)
`;

/** Splits CSV text into rows of fields (quotes, doubled quotes, CRLF; no multi-line fields needed). */
export function parseCsv(text: string): string[][] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const out: string[] = [];
      let cur = '';
      let quoted = false;
      for (let i = 0; i < line.length; i++) {
        const ch = line[i]!;
        if (quoted) {
          if (ch === '"' && line[i + 1] === '"') {
            cur += '"';
            i++;
          } else if (ch === '"') quoted = false;
          else cur += ch;
        } else if (ch === '"') quoted = true;
        else if (ch === ',') {
          out.push(cur.trim());
          cur = '';
        } else cur += ch;
      }
      out.push(cur.trim());
      return out;
    });
}

export interface ContactRow {
  openId: string;
  name: string | null;
  org: string | null;
  role: 'admin' | 'contact';
}

/** Validates a whole contacts CSV; any error means nothing is imported. Row numbers are the file's lines. */
export function validateContactsCsv(text: string, catalog: Catalog): { rows: ContactRow[]; errors: string[] } {
  const lines = parseCsv(text);
  const errors: string[] = [];
  const header = (lines[0] ?? []).map((h) => h.toLowerCase());
  const col = (n: string) => header.indexOf(n);
  for (const n of ['open_id', 'org']) if (col(n) < 0) errors.push(`第 1 行：缺少列 ${n}（需要 open_id,name,org,role）`);
  if (errors.length) return { rows: [], errors };
  const rows: ContactRow[] = [];
  const seen = new Map<string, number>();
  lines.slice(1).forEach((f, k) => {
    const line = k + 2;
    const get = (n: string) => (col(n) >= 0 ? (f[col(n)] ?? '') : '');
    const openId = get('open_id');
    const roleText = (get('role') || 'contact').toLowerCase();
    const orgText = get('org');
    const why: string[] = [];
    if (!/^ou_[A-Za-z0-9_]+$/.test(openId)) why.push(`open_id「${openId}」不是 ou_ 开头的 open_id`);
    else if (seen.has(openId)) why.push(`open_id ${openId} 与第 ${seen.get(openId)} 行重复`);
    const role =
      roleText === 'admin' || roleText === '管理员'
        ? 'admin'
        : roleText === 'contact' || roleText === '联系人'
          ? 'contact'
          : undefined;
    if (!role) why.push(`role「${roleText}」应为 contact 或 admin`);
    let org: string | null = null;
    if (orgText) {
      const o = catalog.org(orgText);
      if (!o) {
        const s = catalog.suggestOrgs(orgText);
        why.push(`没有找到单位『${orgText}』${s.length ? `，是不是：${s.join('、')}` : ''}`);
      } else org = o.name;
    } else if (role !== 'admin') why.push('联系人必须填写单位（org）');
    if (why.length) errors.push(`第 ${line} 行：${why.join('；')}`);
    else {
      seen.set(openId, line);
      rows.push({ openId, name: get('name') || null, org, role: role! });
    }
  });
  if (lines.length < 2) errors.push('文件里没有联系人');
  return { rows, errors };
}

export async function contactsCommand(args: string[]): Promise<number> {
  const { positional, flags } = parseArgs(args);
  const [sub, a, b] = positional;
  if (!sub || !['bind', 'unbind', 'list', 'import'].includes(sub)) {
    process.stderr.write(USAGE);
    return 2;
  }
  if ((sub === 'bind' && (!a || !b)) || ((sub === 'unbind' || sub === 'import') && !a)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const { deps, close } = await openCliDeps();
  try {
    const now = deps.clock.now().getTime();
    if (sub === 'bind') {
      const o = deps.catalog.org(b!);
      if (!o) {
        const s = deps.catalog.suggestOrgs(b!);
        process.stderr.write(`没有找到单位『${b}』${s.length ? `，你是不是想找：${s.join('、')}？` : ''}\n`);
        return 1;
      }
      const c = await bindContact(deps.db, {
        openId: a!,
        org: o.name,
        name: typeof flags.name === 'string' ? flags.name : null,
        ...(flags.admin ? { role: 'admin' as const } : {}),
        now,
      });
      process.stdout.write(`bound ${c.openId} to ${c.org}${c.role === 'admin' ? ' (admin)' : ''}\n`);
      return 0;
    }
    if (sub === 'unbind') {
      const ok = await unbindContact(deps.db, a!, now);
      process.stdout.write(ok ? `unbound ${a}\n` : `no contact ${a}\n`);
      return ok ? 0 : 1;
    }
    if (sub === 'list') {
      let org: string | undefined;
      if (a) {
        const o = deps.catalog.org(a);
        if (!o) {
          process.stderr.write(`没有找到单位『${a}』\n`);
          return 1;
        }
        org = o.name;
      }
      const list = await listContacts(deps.db, org);
      for (const c of list)
        process.stdout.write(
          `${(c.org ?? '—').padEnd(14, '　')} ${c.openId}  ${c.name ?? ''}${c.role === 'admin' ? '  [admin]' : ''}${c.leaveUntil ? `  请假至 ${c.leaveUntil}` : ''}\n`,
        );
      process.stdout.write(`${list.length} contact(s)\n`);
      return 0;
    }
    const text = await readFile(a!, 'utf8');
    const { rows, errors } = validateContactsCsv(text, deps.catalog);
    if (errors.length) {
      process.stderr.write(
        `nothing imported: ${errors.length} problem(s) in ${a}\n${errors.map((e) => `  ${e}`).join('\n')}\n`,
      );
      return 1;
    }
    if (flags.sql) {
      // A Worker's D1 is out of the CLI's reach: the same upserts as SQL for `wrangler d1 execute`.
      process.stdout.write(
        `-- minsheng: ${rows.length} contact(s) from ${a}\n${sqlScript(rows.map((c) => contactUpsert(deps.db, c, now)))}`,
      );
      return 0;
    }
    const n = await importContacts(deps.db, rows, now);
    process.stdout.write(`imported ${n} contact(s) from ${a}\n`);
    return 0;
  } finally {
    await close();
  }
}
