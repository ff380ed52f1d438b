import { manualClock } from '../../src/clock.js';
import { parseConfig } from '../../src/config.js';
import type { Db } from '../../src/db/Db.js';
import { bindContact, setLeave } from '../../src/db/contactsRepo.js';
import { setSubscription } from '../../src/db/chatsRepo.js';
import { outbox, reportItems, reports } from '../../src/db/schema.js';
import type { Deps } from '../../src/deps.js';
import { createLogger } from '../../src/logger.js';
import { openNodeDb } from '../../src/runtime/openNodeDb.js';
import { testDb } from '../helpers/testDb.js';
import { asc } from 'drizzle-orm';

export type TestDeps = Deps & { clock: ReturnType<typeof manualClock> };

/** Deps over a fresh migrated, seeded database with a hand-moved clock (local mode: nothing is sent). */
export async function jobDeps(
  iso = '2024-10-28T09:00:00+08:00',
  env: Record<string, string> = {},
): Promise<{ deps: TestDeps; url: string; close(): void }> {
  const t = await testDb();
  const deps = depsOver(t.db, t.catalog, iso, env);
  return { deps, url: t.url, close: t.close };
}

export function depsOver(db: Db, catalog: Deps['catalog'], iso: string, env: Record<string, string> = {}): TestDeps {
  const config = parseConfig({ ADMIN_OPEN_IDS: 'ou_admin', ...env });
  return {
    config,
    db,
    catalog,
    clock: manualClock(iso),
    log: createLogger({ level: 'error', write: () => undefined }),
    lark: null,
    defer: (_l, work) => {
      void work();
    },
  };
}

/** A second Deps over the same database file (another scheduler). */
export async function secondDeps(
  url: string,
  catalog: Deps['catalog'],
  iso: string,
): Promise<{ deps: TestDeps; close(): void }> {
  const { db, client } = await openNodeDb(url);
  return { deps: depsOver(db, catalog, iso), close: () => client.close() };
}

let seq = 0;
/** Records one report item as the bot would, created at `at` (default: the clock's now). */
export async function report(
  deps: TestDeps,
  r: {
    metricId: string;
    value?: number | null;
    milestone?: 'done' | 'in_progress' | 'not_started';
    mode?: 'cumulative' | 'increment';
    scope?: string;
    asOf: string;
    org: string;
    by?: string;
    at?: string;
  },
): Promise<number> {
  const createdAt = r.at ? Date.parse(r.at) : deps.clock.now().getTime();
  const [rep] = await deps.db
    .insert(reports)
    .values({
      messageId: `om_test_${++seq}_${createdAt}`,
      senderOpenId: r.by ?? `ou_${r.org}`,
      org: r.org,
      text: 'test',
      status: 'recorded',
      receivedAt: createdAt,
      updatedAt: createdAt,
    })
    .returning({ id: reports.id });
  const [it] = await deps.db
    .insert(reportItems)
    .values({
      reportId: rep!.id,
      year: deps.catalog.year,
      metricId: r.metricId,
      value: r.value ?? null,
      milestone: r.milestone ?? null,
      mode: r.mode ?? 'cumulative',
      scope: r.scope ?? 'city',
      asOf: r.asOf,
      reporterOpenId: r.by ?? `ou_${r.org}`,
      org: r.org,
      createdAt,
    })
    .returning({ id: reportItems.id });
  return it!.id;
}

export async function contact(
  deps: TestDeps,
  openId: string,
  org: string,
  name: string,
  leaveUntil?: string,
): Promise<void> {
  await bindContact(deps.db, { openId, org, name, now: 0 });
  if (leaveUntil) await setLeave(deps.db, openId, leaveUntil, 0);
}

export async function subscribe(deps: TestDeps, chatId: string, projects: number[]): Promise<void> {
  await setSubscription(deps.db, chatId, projects, 0);
}

export async function outboxRows(deps: TestDeps) {
  return deps.db.select().from(outbox).orderBy(asc(outbox.id));
}

export const text = (content: string): string => (JSON.parse(content) as { text: string }).text;
