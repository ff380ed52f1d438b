import { env } from 'cloudflare:workers';
import { asc, eq, gt } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { describe, expect, it } from 'vitest';
import { handleMessage } from '../../src/bot/handleMessage.js';
import { messageToText } from '../../src/cards/cardText.js';
import { prepareDatabase } from '../../src/bootstrap.js';
import { manualClock } from '../../src/clock.js';
import { parseConfig } from '../../src/config.js';
import type { Db } from '../../src/db/Db.js';
import { bindContact } from '../../src/db/contactsRepo.js';
import * as schema from '../../src/db/schema.js';
import type { Deps } from '../../src/deps.js';
import { memoryLogger } from '../../src/logger.js';

// Issue 10's writes on D1: /修改 (a batch that supersedes), its /撤销 (a batch that restores), a
// learned phrase (an upsert on its unique key) and its removal, run by the real handlers in workerd.

describe('report flow on D1', () => {
  it('/修改 10-1 9900, /撤销 restores; a chosen phrase is learned and forgotten', async () => {
    const db = drizzle((env as unknown as { DB: D1Database }).DB, { schema }) as unknown as Db;
    const config = parseConfig({ DATABASE_URL: 'file:unused.db' });
    const catalog = await prepareDatabase(db, config);
    const clock = manualClock('2024-10-28T10:00:00+08:00');
    const pending: Promise<void>[] = [];
    const deps: Deps = {
      config,
      db,
      catalog,
      clock,
      log: memoryLogger(),
      lark: null,
      defer: (_l, work) => {
        pending.push(work());
      },
    };
    let seq = 0;
    let seen = 0;
    const send = async (from: string, text: string): Promise<string[]> => {
      seq++;
      await handleMessage(deps, {
        eventId: `ev_d1_${seq}`,
        messageId: `om_d1_${seq}`,
        chatId: `oc_${from}`,
        chatType: 'p2p',
        senderOpenId: from,
        text,
        mentions: [],
        messageType: 'text',
        createTime: clock.now().getTime(),
      });
      await Promise.all(pending.splice(0));
      const rows = await db
        .select()
        .from(schema.outbox)
        .where(gt(schema.outbox.id, seen))
        .orderBy(asc(schema.outbox.id));
      if (rows.length) seen = rows.at(-1)!.id;
      return rows.map((r) => messageToText(r.msgType, r.content));
    };
    const live = async (metric: string) =>
      (await db.select().from(schema.reportItems).where(eq(schema.reportItems.metricId, metric)))
        .filter((i) => i.supersededAt === null)
        .map((i) => i.value);

    await bindContact(db, { openId: 'ou_d1_wjw', org: '市卫生健康委', name: '王五', now: clock.now().getTime() });
    await bindContact(db, { openId: 'ou_d1_yz', org: '渝中区', name: '李四', now: clock.now().getTime() });
    await send('ou_d1_wjw', '托位新增3150个');
    expect((await send('ou_d1_wjw', '/修改 10-1 9900'))[0]).toContain('→ 9,900 个（0.99 万个）');
    expect(await live('10-1')).toEqual([0.99]);
    expect((await send('ou_d1_wjw', '/撤销'))[0]).toContain('恢复为更正前的 累计 3,150 个（0.315 万个）');
    expect(await live('10-1')).toEqual([0.315]);

    const asked = await send('ou_d1_yz', '新开工改造老旧小区15个。本周新增公园5个');
    expect(asked.at(-1)).toContain('请确认指标');
    expect((await send('ou_d1_yz', '3-1'))[0]).toContain('已记录 2 项数据');
    expect((await send('ou_d1_yz', '本周新增公园3个'))[0]).toContain('已记录 1 项数据');
    expect(await live('3-1')).toEqual([5, 3]);
    expect((await send('ou_d1_yz', '/忘记 公园'))[0]).toContain('已忘记「公园」');
    expect(await db.select().from(schema.learnedPhrases)).toEqual([]);
  });
});
