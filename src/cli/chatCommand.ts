import { createInterface } from 'node:readline';
import { asc, gt, sql } from 'drizzle-orm';
import { handleCardAction } from '../bot/handleCardAction.js';
import { handleMessage } from '../bot/handleMessage.js';
import type { IncomingMessage } from '../bot/types.js';
import { cardToText, messageToText } from '../cards/cardText.js';
import { bindContact, getContact } from '../db/contactsRepo.js';
import { outbox } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { sha256Hex } from '../lark/verify.js';
import { openCliDeps, parseArgs } from '../runtime/cliDeps.js';

const USAGE =
  'usage: npm run cli -- chat --as 单位 [--name 名字] [--admin] [--group]\n  then type messages; #N clicks button N of the last card; an empty line or Ctrl-D ends.\n';

type Button = { text: string; value: Record<string, unknown> };

function buttonsOf(card: unknown): Button[] {
  const out: Button[] = [];
  const walk = (els: unknown[]) => {
    for (const e of els as Array<Record<string, unknown>>) {
      if (e.tag === 'button') {
        const b = (e.behaviors as Array<{ type: string; value?: Record<string, unknown> }> | undefined)?.find(
          (x) => x.type === 'callback',
        );
        if (b?.value) out.push({ text: (e.text as { content: string }).content, value: b.value });
      }
      if (e.tag === 'column_set') for (const c of e.columns as Array<{ elements: unknown[] }>) walk(c.elements);
    }
  };
  walk((card as { body?: { elements?: unknown[] } }).body?.elements ?? []);
  return out;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

/**
 * `chat --as 市住房城乡建委`: each line of stdin goes through handleMessage as a Lark message from a
 * contact of that organisation (created for the console if needed), and what the bot put in the
 * outbox is printed as text. In the CLI there is no Lark client, so outbox rows stay 'local'.
 */
export async function chatCommand(args: string[]): Promise<number> {
  const { flags } = parseArgs(args);
  if (typeof flags.as !== 'string') {
    process.stderr.write(USAGE);
    return 2;
  }
  const { deps, close } = await openCliDeps();
  try {
    const org = deps.catalog.org(flags.as);
    if (!org) {
      const s = deps.catalog.suggestOrgs(flags.as);
      process.stderr.write(`没有找到单位『${flags.as}』${s.length ? `，你是不是想找：${s.join('、')}？` : ''}\n`);
      return 1;
    }
    const openId = `ou_console_${(await sha256Hex(org.name)).slice(0, 20)}`;
    const name = typeof flags.name === 'string' ? flags.name : '控制台';
    const existing = await getContact(deps.db, openId);
    if (existing?.status !== 'active' || existing.org !== org.name || (flags.admin && existing.role !== 'admin')) {
      await bindContact(deps.db, {
        openId,
        org: org.name,
        name,
        ...(flags.admin ? { role: 'admin' as const } : {}),
        now: deps.clock.now().getTime(),
      });
    }
    const run = `${Date.now().toString(36)}${process.pid.toString(36)}`;
    let n = 0;
    let lastButtons: Button[] = [];
    // Only what this session causes is printed: start after the newest outbox row.
    const [top] = await deps.db.select({ maxId: sql<number | null>`max(${outbox.id})` }).from(outbox);
    let seen = top?.maxId ?? 0;
    if (process.stdin.isTTY)
      process.stdout.write(
        `以 ${name} 的身份对话（${org.name}）。输入消息回车发送；#N 点击上一张卡片的第 N 个按钮；空行结束。\n`,
      );

    const print = async (deps: Deps, myMessageId?: string) => {
      const rows = await deps.db.select().from(outbox).where(gt(outbox.id, seen)).orderBy(asc(outbox.id));
      for (const r of rows) {
        seen = r.id;
        const to =
          r.kind === 'reply' && r.target === myMessageId
            ? ''
            : r.kind === 'reply'
              ? `（回复 ${r.target}）`
              : r.target === openId
                ? ''
                : `（发给 ${r.target}）`;
        process.stdout.write(`bot${to}:\n${indent(messageToText(r.msgType, r.content))}\n`);
        if (r.msgType === 'interactive' && r.target !== openId && r.kind !== 'reply') continue;
        if (r.msgType === 'interactive') lastButtons = buttonsOf(JSON.parse(r.content));
        if (r.msgType === 'interactive' && lastButtons.length)
          process.stdout.write(`  按钮：${lastButtons.map((b, k) => `#${k + 1} ${b.text}`).join('  ')}\n`);
      }
    };

    const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const raw of rl) {
      const line = raw.trim();
      if (!line) {
        if (process.stdin.isTTY) break;
        else continue;
      }
      if (!process.stdin.isTTY) process.stdout.write(`> ${line}\n`);
      const click = /^#(\d+)$/.exec(line);
      if (click) {
        const b = lastButtons[Number(click[1]) - 1];
        if (!b) {
          process.stdout.write('  （没有这个按钮）\n');
          continue;
        }
        const r = await handleCardAction(deps, {
          eventId: `cli-${run}-c${++n}`,
          operatorOpenId: openId,
          value: b.value,
        });
        if (r.toast) process.stdout.write(`bot（提示）: ${r.toast.content}\n`);
        if (r.card) {
          process.stdout.write(`bot（卡片更新）:\n${indent(cardToText(r.card))}\n`);
          lastButtons = buttonsOf(r.card);
          if (lastButtons.length)
            process.stdout.write(`  按钮：${lastButtons.map((x, k) => `#${k + 1} ${x.text}`).join('  ')}\n`);
        }
        await print(deps);
        continue;
      }
      const messageId = `om_cli_${run}_${++n}`;
      const msg: IncomingMessage = {
        eventId: `cli-${run}-${n}`,
        messageId,
        chatId: flags.group ? 'oc_console_group' : `oc_console_${openId.slice(11)}`,
        chatType: flags.group ? 'group' : 'p2p',
        senderOpenId: openId,
        senderName: name,
        text: line,
        mentions: [],
        messageType: 'text',
        createTime: deps.clock.now().getTime(),
      };
      await handleMessage(deps, msg);
      await print(deps, messageId);
    }
    return 0;
  } finally {
    await close();
  }
}
