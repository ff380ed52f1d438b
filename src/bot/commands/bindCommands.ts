import type { Catalog } from '../../catalog/Catalog.js';
import { bindRequestCard } from '../../cards/bindRequestCard.js';
import { contactsCard } from '../../cards/contactsCard.js';
import {
  adminOpenIds,
  bindContact,
  getContact,
  listContacts,
  requestBindingOnce,
  setRole,
  unbindContact,
} from '../../db/contactsRepo.js';
import type { CommandContext, CommandRun } from '../commandTable.js';
import { sendToUser } from '../reply.js';

/** An organisation from what a person typed, or the sentence telling them it was not found. */
export function resolveOrg(catalog: Catalog, typed: string): { org: string } | { error: string } {
  const o = catalog.org(typed);
  if (o) return { org: o.name };
  // The catalog ranks by share of characters; keep only names nearly as close as the best, so a
  // clear near-miss gets one answer (住建委员会 → 市住房城乡建委, not also 市教委).
  const chars = new Set(typed.replace(/^市/, ''));
  const overlap = (name: string) => {
    const o = catalog.org(name);
    return Math.max(...[name, ...(o?.aliases ?? [])].map((n) => [...new Set(n)].filter((ch) => chars.has(ch)).length));
  };
  const ranked = catalog.suggestOrgs(typed, 5);
  const best = Math.max(0, ...ranked.map(overlap));
  const sug = ranked.filter((n) => overlap(n) >= Math.max(2, best - 1)).slice(0, 3);
  return {
    error: `没有找到单位『${typed}』${sug.length ? `，你是不是想找：${sug.join('、')}？` : '。请写单位全称或常用简称，例如「市住房城乡建委」「渝中区」。'}`,
  };
}

function target(c: CommandContext): { openId: string; name: string } | undefined {
  return c.msg.mentions[0];
}

/** /绑定 单位 (asks an admin) · admin: /绑定 @某人 单位 (binds at once). */
export const bind: CommandRun = async (c) => {
  const typed = c.args.join('');
  const mention = target(c);
  if (!typed) return '请写上单位名称，例如「/绑定 市住房城乡建委」或「/绑定 渝中区」。';
  const r = resolveOrg(c.deps.catalog, typed);
  if ('error' in r) return r.error;
  if (mention) {
    if (!c.person.isAdmin) return '只有管理员可以为他人绑定单位。你可以发送「/绑定 单位名称」为自己申请。';
    await bindContact(c.deps.db, { openId: mention.openId, org: r.org, name: mention.name, now: c.now });
    await sendToUser(
      c.deps,
      mention.openId,
      `管理员已将你绑定为 ${r.org} 的联系人，现在可以直接发送进展报送了。发送「/帮助」查看用法。`,
      `bind-${c.report.id}`,
    );
    return `已将 ${mention.name} 绑定为 ${r.org} 的联系人。`;
  }
  if (c.person.isAdmin) {
    await bindContact(c.deps.db, {
      openId: c.msg.senderOpenId,
      org: r.org,
      name: c.msg.senderName ?? null,
      now: c.now,
    });
    return `已绑定：你现在是 ${r.org} 的联系人（管理员直接生效）。`;
  }
  if (c.person.org === r.org) return `你已经是 ${r.org} 的联系人了。`;
  const me = await requestBindingOnce(c.deps.db, {
    openId: c.msg.senderOpenId,
    org: r.org,
    name: c.msg.senderName ?? null,
    now: c.now,
  });
  // One pending request per person: a repeat sends the admins nothing new.
  if (!me)
    return `已提交，等待管理员批准（申请单位：${(await getContact(c.deps.db, c.msg.senderOpenId))?.requestedOrg ?? r.org}）。`;
  const admins = await adminOpenIds(c.deps.db, c.deps.config.ADMIN_OPEN_IDS);
  for (const admin of admins) {
    await sendToUser(
      c.deps,
      admin,
      bindRequestCard({ openId: me.openId, name: me.name, org: r.org, reportId: c.report.id }),
      `bindreq-${c.report.id}`,
    );
  }
  if (admins.length === 0) c.deps.log.warn('bind_request_no_admin', { reportId: c.report.id });
  return `已提交绑定申请：${r.org}。管理员批准后会通知你${c.person.org ? `；在此之前你仍是 ${c.person.org} 的联系人` : ''}。`;
};

/** /解绑 (myself) · admin: /解绑 @某人. */
export const unbind: CommandRun = async (c) => {
  const mention = target(c);
  if (mention) {
    if (!c.person.isAdmin) return '只有管理员可以解绑他人。';
    const had = await getContact(c.deps.db, mention.openId);
    if (had?.status !== 'active') return `${mention.name} 目前没有绑定单位。`;
    await unbindContact(c.deps.db, mention.openId, c.now);
    await sendToUser(c.deps, mention.openId, `管理员已解除你与 ${had.org ?? ''} 的绑定。`, `unbind-${c.report.id}`);
    return `已解除 ${mention.name} 与 ${had.org ?? ''} 的绑定。`;
  }
  if (!c.person.org) return '你目前没有绑定单位。';
  await unbindContact(c.deps.db, c.msg.senderOpenId, c.now);
  return `已解除你与 ${c.person.org} 的绑定。已报送的数据保留不变。`;
};

/** Admin: /联系人 [单位]. */
export const contacts: CommandRun = async (c) => {
  if (!c.person.isAdmin) return '只有管理员可以查看联系人名单。';
  const typed = c.args.join('');
  let org: string | undefined;
  if (typed) {
    const r = resolveOrg(c.deps.catalog, typed);
    if ('error' in r) return r.error;
    org = r.org;
  }
  return contactsCard({ ...(org ? { org } : {}), contacts: await listContacts(c.deps.db, org), today: c.date });
};

/** Admin: /管理员 @某人 grants the admin role. */
export const admin: CommandRun = async (c) => {
  if (!c.person.isAdmin) return '只有管理员可以授予管理员权限。';
  const mention = target(c);
  if (!mention) return '请 @ 要设为管理员的人，例如「/管理员 @张三」。';
  await setRole(c.deps.db, mention.openId, 'admin', c.now);
  return `已将 ${mention.name} 设为管理员。`;
};
