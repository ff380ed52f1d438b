import { expect } from 'vitest';
import type { Deps } from '../../src/deps.js';
import { inboxOptions } from '../../src/eventPath.js';
import { acceptEvent } from '../../src/inbox/inbox.js';
import { readEnvelope } from '../../src/lark/envelope.js';
import { botAddedPayload, clickPayload, messagePayload, signedRequest } from './signedEvents.js';

// ONE conversation, as a table of steps and expectations, run unchanged against the Node server
// (test/scenario/scenario.node.test.ts) and the Worker in workerd over D1
// (test/worker/scenario.worker.test.ts). A runtime supplies a ScenarioDriver: how to post a signed
// request and wait for the work it deferred, how to fire its Cron Triggers, what reached the fake
// Lark and a read of the database. Expectations check structure and figures (who got what kind of
// message, card buttons, metric ids, values, statuses), not the wording of replies.

/** Monday of a 2024 week, after the weekly digest's 09:00: both runtimes run on MINSHENG_NOW = this. */
export const SCENARIO_NOW = '2024-10-28T10:00:00+08:00';
export const ADMIN = 'ou_scn_admin_00000000000000000001';
export const USER = 'ou_scn_user_000000000000000000001';
export const GROUP = 'oc_scn_leaders_group';
const P2P_USER = 'oc_scn_p2p_user';
const P2P_ADMIN = 'oc_scn_p2p_admin';
const ORG = '市住房城乡建委';

export interface Delivered {
  kind: 'send' | 'reply' | 'update';
  target: string;
  msgType?: string;
  content: string;
  messageId: string;
}

export interface ScenarioDriver {
  /** The bot's open id as the fake Lark reports it (group messages @mention it). */
  botOpenId: string;
  /** POSTs a request to the runtime's /lark/events and waits until the work it deferred is done. */
  post(request: (url: string) => Promise<Request>): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Fires every Cron Trigger of the job registry as the runtime's scheduler would, and waits. */
  tick(): Promise<string[]>;
  /** Everything the fake Lark delivered so far, in order. */
  delivered(): Promise<Delivered[]>;
  /** A read of the runtime's database (test-controlled SQL). */
  rows<T>(sql: string): Promise<T[]>;
  /** The runtime's Deps (as its request handlers get them), to drive the inbox directly. */
  deps(): Promise<Deps>;
}

interface Button {
  a: string;
  [k: string]: unknown;
}

/** Every button's callback value in a card (nested column sets included). */
export function buttonsOf(content: string | Record<string, unknown>): Button[] {
  const card = typeof content === 'string' ? (JSON.parse(content) as Record<string, unknown>) : content;
  const out: Button[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (o.tag === 'button' && Array.isArray(o.behaviors)) out.push((o.behaviors[0] as { value: Button }).value);
    for (const x of Object.values(o)) walk(x);
  };
  walk(card);
  return out;
}

/** What one step did: the HTTP answers, and what reached Lark meanwhile. */
interface Outcome {
  answers: Array<{ status: number; body: Record<string, unknown> }>;
  sent: Delivered[];
}

/** The conversation's state between steps: ids handed out, buttons to press, figures to compare. */
export class Talk {
  private n = 0;
  readonly memo: Record<string, unknown> = {};
  readonly messages = new Map<string, ReturnType<typeof messagePayload>>();
  constructor(readonly d: ScenarioDriver) {}

  private next(): number {
    return ++this.n;
  }
  private sentAt(n: number): number {
    return Date.parse(SCENARIO_NOW) + n * 1000;
  }

  private async step(
    posts: Array<(url: string) => Promise<Request>>,
    act: (a: { status: number; body: Record<string, unknown> }) => void = () => {},
  ): Promise<Outcome> {
    const before = (await this.d.delivered()).length;
    const answers = [];
    for (const p of posts) {
      const a = await this.d.post(p);
      act(a);
      answers.push(a);
    }
    return { answers, sent: (await this.d.delivered()).slice(before) };
  }

  /** A text message from `from` (in its p2p chat, or @bot in the group). */
  async say(from: string, text: string, o: { group?: boolean } = {}): Promise<Outcome & { messageId: string }> {
    const n = this.next();
    const messageId = `om_scn_${n}`;
    const payload = messagePayload({
      eventId: `ev_scn_${n}`,
      messageId,
      from,
      text,
      sentAt: this.sentAt(n),
      chatId: o.group ? GROUP : from === ADMIN ? P2P_ADMIN : P2P_USER,
      chatType: o.group ? 'group' : 'p2p',
      ...(o.group ? { mention: this.d.botOpenId } : {}),
    });
    this.messages.set(messageId, payload);
    return { ...(await this.step([(url) => signed(url, payload)])), messageId };
  }

  /** Lark delivering a message event again: the same payload, or the same message under a new event id. */
  async redeliver(messageId: string, newEventId?: string): Promise<Outcome> {
    const p = structuredClone(this.messages.get(messageId)!) as { header: { event_id: string } };
    if (newEventId) p.header.event_id = newEventId;
    return this.step([(url) => signed(url, p)]);
  }

  async click(from: string, value: Record<string, unknown>): Promise<Outcome & { answer: Record<string, unknown> }> {
    const n = this.next();
    const o = await this.step([
      (url) =>
        signed(
          url,
          clickPayload({
            eventId: `ev_scn_click_${n}`,
            from,
            value,
            messageId: `om_scn_card_${n}`,
            chatId: P2P_USER,
            at: this.sentAt(n),
          }),
        ),
    ]);
    return { ...o, answer: o.answers[0]!.body };
  }

  /**
   * Messages accepted into the inbox in `arrival` order (the first is sent last: Lark's deliveries
   * overtaking each other), then all their processing run at once, as concurrent Worker invocations
   * would. Returns their message ids in the order they were sent.
   */
  async sayOutOfOrder(from: string, texts: string[]): Promise<string[]> {
    const sent = texts.map((text) => {
      const n = this.next();
      const payload = messagePayload({
        eventId: `ev_scn_${n}`,
        messageId: `om_scn_${n}`,
        from,
        text,
        sentAt: this.sentAt(n),
        chatId: from === ADMIN ? P2P_ADMIN : P2P_USER,
        chatType: 'p2p',
      });
      this.messages.set(`om_scn_${n}`, payload);
      return payload;
    });
    const deps = await this.d.deps();
    const held: Array<() => Promise<void>> = [];
    const d: Deps = {
      ...deps,
      defer: (_label, work) => {
        held.push(work);
      },
    };
    for (const p of [...sent].reverse()) {
      const env = readEnvelope(p);
      if (env.kind !== 'event') throw new Error('not an event');
      expect(await acceptEvent(d, env.event, inboxOptions())).toBe(true);
    }
    while (held.length > 0) await Promise.all(held.splice(0).map((w) => w()));
    return sent.map((p) => (p.event as { message: { message_id: string } }).message.message_id);
  }

  async botAdded(chatId: string): Promise<Outcome> {
    const n = this.next();
    return this.step([
      (url) =>
        signed(
          url,
          botAddedPayload({ eventId: `ev_scn_added_${n}`, chatId, name: '民生实事专班', at: this.sentAt(n) }),
        ),
    ]);
  }

  async tick(): Promise<Outcome & { crons: string[] }> {
    const before = (await this.d.delivered()).length;
    const crons = await this.d.tick();
    return { answers: [], sent: (await this.d.delivered()).slice(before), crons };
  }

  liveItems(org = ORG) {
    return this.d.rows<{
      id: number;
      report_id: number;
      metric_id: string;
      value: number | null;
      scope: string;
      as_of: string;
    }>(
      `select id, report_id, metric_id, value, scope, as_of from report_items where org = '${org}' and superseded_at is null order by id`,
    );
  }
  itemsOfMessage(messageId: string) {
    return this.d.rows<{
      id: number;
      metric_id: string;
      value: number | null;
      scope: string;
      as_of: string;
      superseded_at: number | null;
      superseded_by: number | null;
      supersede_reason: string | null;
    }>(
      `select i.id, i.metric_id, i.value, i.scope, i.as_of, i.superseded_at, i.superseded_by, i.supersede_reason from report_items i join reports r on r.id = i.report_id where r.message_id = '${messageId}' order by i.id`,
    );
  }
  async reportOf(messageId: string) {
    return (
      await this.d.rows<{ id: number; status: string }>(
        `select id, status from reports where message_id = '${messageId}'`,
      )
    )[0];
  }
}

const signed = (url: string, payload: unknown) => signedRequest(url, payload);

/**
 * A click's answer is a success toast (and the replacement card where asked). On a loaded machine
 * the handler may outlast the 2.5 s Lark allows: then the answer is `{}` and the work finishes
 * deferred, which the step's database checks still hold to.
 */
function expectClickAnswer(answer: Record<string, unknown>, o: { card?: boolean } = {}): void {
  if (Object.keys(answer).length === 0) return;
  expect((answer.toast as { type: string }).type).toBe('success');
  if (o.card) expect(answer.card).toBeDefined();
}

const replyTo = (o: Outcome, messageId: string) => o.sent.filter((m) => m.kind === 'reply' && m.target === messageId);
const sentTo = (o: Outcome, target: string) => o.sent.filter((m) => m.kind === 'send' && m.target === target);
const figures = (m: Delivered) => m.content.replace(/,/g, '');

export interface ScenarioStep {
  name: string;
  run(t: Talk): Promise<void>;
}

/** The table. Each step acts, then states what must hold; later steps use what earlier ones left in `t.memo`. */
export const conversationScenario: ScenarioStep[] = [
  {
    name: 'bind: the contact asks for 住建委 and gets an answer; the admin gets an approval card',
    async run(t) {
      const o = await t.say(USER, '/绑定 住建委');
      expect(replyTo(o, o.messageId)).toHaveLength(1);
      const card = sentTo(o, ADMIN).find((m) => m.msgType === 'interactive');
      expect(card).toBeDefined();
      const approve = buttonsOf(card!.content).find((b) => b.a === 'approve');
      expect(approve).toMatchObject({ u: USER, o: ORG });
      expect(buttonsOf(card!.content).map((b) => b.a)).toContain('reject');
      t.memo.approve = approve;
      expect(await t.d.rows(`select org, status, requested_org from contacts where open_id = '${USER}'`)).toEqual([
        { org: null, status: 'pending', requested_org: ORG },
      ]);
    },
  },
  {
    name: 'approve click: a success toast, the contact is told, and bound to the organisation',
    async run(t) {
      const o = await t.click(ADMIN, t.memo.approve as Record<string, unknown>);
      expectClickAnswer(o.answer);
      expect(sentTo(o, USER)).toHaveLength(1);
      expect(await t.d.rows(`select org, status from contacts where open_id = '${USER}'`)).toEqual([
        { org: ORG, status: 'active' },
      ]);
    },
  },
  {
    name: 'report: a cumulative figure is stored and answered with a card',
    async run(t) {
      const o = await t.say(USER, '截至10月18日，新开工改造城镇老旧小区累计1400个');
      const [reply] = replyTo(o, o.messageId);
      expect(reply?.msgType).toBe('interactive');
      expect(figures(reply!)).toContain('1400');
      expect((await t.itemsOfMessage(o.messageId)).map((i) => [i.metric_id, i.value, i.scope, i.as_of])).toEqual([
        ['1-1', 1400, 'city', '2024-10-18'],
      ]);
      expect((await t.reportOf(o.messageId))?.status).toBe('recorded');
    },
  },
  {
    name: 'recorded card: two figures in one message, with undo and fix buttons',
    async run(t) {
      const o = await t.say(USER, '截至10月25日，新开工改造城镇老旧小区1530个，面积3600万平方米');
      const replies = replyTo(o, o.messageId);
      expect(replies).toHaveLength(1);
      expect(replies[0]!.msgType).toBe('interactive');
      expect(figures(replies[0]!)).toMatch(/1530[\s\S]*3600/);
      const report = await t.reportOf(o.messageId);
      expect(report?.status).toBe('recorded');
      const buttons = buttonsOf(replies[0]!.content);
      expect(buttons).toContainEqual({ a: 'undo', r: report!.id });
      expect(buttons.map((b) => b.a)).toContain('fix');
      t.memo.undo = buttons.find((b) => b.a === 'undo');
      t.memo.twoFigures = o.messageId;
      expect(
        (await t.itemsOfMessage(o.messageId)).map((i) => [i.metric_id, i.value, i.as_of, i.superseded_at]),
      ).toEqual([
        ['1-1', 1530, '2024-10-25', null],
        ['1-2', 3600, '2024-10-25', null],
      ]);
    },
  },
  {
    name: 'undo click: both figures superseded, the report undone, 1-1 back to 1400',
    async run(t) {
      const o = await t.click(USER, t.memo.undo as Record<string, unknown>);
      expectClickAnswer(o.answer, { card: true });
      const items = await t.itemsOfMessage(t.memo.twoFigures as string);
      expect(items.map((i) => [i.metric_id, i.supersede_reason, i.superseded_at !== null])).toEqual([
        ['1-1', 'undo', true],
        ['1-2', 'undo', true],
      ]);
      expect((await t.reportOf(t.memo.twoFigures as string))?.status).toBe('undone');
      expect((await t.liveItems()).map((i) => [i.metric_id, i.value])).toEqual([['1-1', 1400]]);
    },
  },
  {
    name: '/修改: the corrected figure supersedes the live one, linked to it',
    async run(t) {
      const [before] = await t.liveItems();
      const o = await t.say(USER, '/修改 1-1 1450');
      expect(replyTo(o, o.messageId)).toHaveLength(1);
      const [fixed] = await t.itemsOfMessage(o.messageId);
      expect([fixed?.metric_id, fixed?.value, fixed?.superseded_at]).toEqual(['1-1', 1450, null]);
      const old = await t.d.rows<{ supersede_reason: string; superseded_by: number }>(
        `select supersede_reason, superseded_by from report_items where id = ${before!.id}`,
      );
      expect(old).toEqual([{ supersede_reason: 'fix', superseded_by: fixed!.id }]);
      expect((await t.reportOf(o.messageId))?.status).toBe('corrected');
    },
  },
  {
    name: 'an ambiguous report asks which metric with buttons and stores nothing yet',
    async run(t) {
      const o = await t.say(USER, '累计完成1530个');
      const [reply] = replyTo(o, o.messageId);
      expect(reply?.msgType).toBe('interactive');
      const choices = buttonsOf(reply!.content).filter((b) => b.a === 'choose');
      expect(choices.map((b) => b.m)).toContain('1-1');
      expect(await t.itemsOfMessage(o.messageId)).toEqual([]);
      t.memo.choose = choices.find((b) => b.m === '1-1');
      t.memo.ambiguous = o.messageId;
    },
  },
  {
    name: 'choice click: the figure is recorded under the chosen metric',
    async run(t) {
      const o = await t.click(USER, t.memo.choose as Record<string, unknown>);
      expectClickAnswer(o.answer);
      expect(
        (await t.itemsOfMessage(t.memo.ambiguous as string)).map((i) => [i.metric_id, i.value, i.superseded_at]),
      ).toEqual([['1-1', 1530, null]]);
      expect((await t.liveItems()).map((i) => [i.metric_id, i.value])).toEqual([
        ['1-1', 1450],
        ['1-1', 1530],
      ]);
    },
  },
  {
    name: 'order: a report and /撤销 delivered in reverse and processed concurrently take effect as sent',
    async run(t) {
      const live = await t.liveItems();
      const [report, undo] = await t.sayOutOfOrder(USER, ['截至10月27日，新开工改造城镇老旧小区累计1600个', '/撤销']);
      // The report was recorded first, then /撤销 took back exactly it: the earlier figures stand.
      expect((await t.reportOf(report!))?.status).toBe('undone');
      expect((await t.itemsOfMessage(report!)).map((i) => [i.metric_id, i.value, i.supersede_reason])).toEqual([
        ['1-1', 1600, 'undo'],
      ]);
      expect((await t.reportOf(undo!))?.status).toBe('command');
      expect(await t.liveItems()).toEqual(live);
    },
  },
  {
    name: 'duplicate delivery: the same event, and the same message under a new event id, change and send nothing',
    async run(t) {
      const count = async () => (await t.d.rows<{ n: number }>('select count(*) as n from report_items'))[0]!.n;
      const items = await count();
      const report = t.memo.twoFigures as string;
      const again = await t.redeliver(report);
      const renamed = await t.redeliver(report, 'ev_scn_redelivered');
      for (const o of [again, renamed]) {
        expect(o.answers[0]!.status).toBe(200);
        expect(o.sent).toEqual([]);
      }
      expect(await count()).toBe(items);
      expect(await t.d.rows(`select count(*) as n from reports where message_id = '${report}'`)).toEqual([{ n: 1 }]);
    },
  },
  {
    name: 'a group: the bot is added and an admin subscribes it to every project',
    async run(t) {
      const added = await t.botAdded(GROUP);
      expect(sentTo(added, GROUP)).toHaveLength(1);
      // Every project: the digest then reads all 41 metrics (D1 binds at most 100 values a statement).
      const o = await t.say(ADMIN, '/订阅', { group: true });
      expect(replyTo(o, o.messageId)).toHaveLength(1);
      const [chat] = await t.d.rows<{ projects: string }>(`select projects from chats where chat_id = '${GROUP}'`);
      expect(JSON.parse(chat!.projects)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    },
  },
  {
    name: "the scheduled tick (the registry's real cron) sends the weekly digest to the subscribed group, once",
    async run(t) {
      const o = await t.tick();
      expect(o.crons.length).toBeGreaterThan(0);
      const digests = sentTo(o, GROUP).filter((m) => m.msgType === 'interactive');
      expect(digests).toHaveLength(1);
      // 1-1's live figure is the newest as-of: 1530 (the chosen metric, dated today) of 1835.
      expect(figures(digests[0]!)).toMatch(/1-1[\s\S]*1530\s*\/\s*1835/);
      expect(
        await t.d.rows(`select status from job_runs where job = 'weekly-digest' and period_key = '2024-10-28'`),
      ).toEqual([{ status: 'done' }]);
      const second = await t.tick();
      expect(sentTo(second, GROUP)).toEqual([]);
    },
  },
];
