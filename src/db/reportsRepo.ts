import { and, desc, eq, gte, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from './Db.js';
import type { NewItem } from '../progress/types.js';
import { guardedRow } from './guardedRow.js';
import { reportItems, reports } from './schema.js';

// Reports (one per chat message, kept whatever became of it) and their items. Every write that a
// repeated event or a second click could repeat is conditional on the report's status, in one
// atomic batch, so it takes effect once.

export type Report = typeof reports.$inferSelect;
export type ReportItemRow = typeof reportItems.$inferSelect;
export type { NewItem } from '../progress/types.js';

export type ReportStatus =
  | 'received'
  | 'recorded'
  | 'corrected'
  | 'needs_choice'
  | 'needs_confirmation'
  | 'refused'
  | 'unbound'
  | 'not_understood'
  | 'command'
  | 'undone'
  | 'cancelled'
  | 'not_text'
  | 'failed'
  | 'too_long';

/** Stores a message as a report; for a message seen before, returns the existing row (isNew false). */
export async function insertReport(
  db: Db,
  r: {
    messageId: string;
    eventId?: string;
    senderOpenId: string;
    org?: string | null;
    chatId?: string;
    chatType?: string;
    text: string;
    now: number;
  },
): Promise<{ report: Report; isNew: boolean }> {
  const rows = await db
    .insert(reports)
    .values({
      messageId: r.messageId,
      eventId: r.eventId ?? null,
      senderOpenId: r.senderOpenId,
      org: r.org ?? null,
      chatId: r.chatId ?? null,
      chatType: r.chatType ?? null,
      text: r.text,
      status: 'received',
      receivedAt: r.now,
      updatedAt: r.now,
    })
    .onConflictDoNothing({ target: reports.messageId })
    .returning();
  if (rows[0]) return { report: rows[0], isNew: true };
  const [existing] = await db.select().from(reports).where(eq(reports.messageId, r.messageId)).limit(1);
  return { report: existing!, isNew: false };
}

export async function getReport(db: Db, id: number): Promise<Report | undefined> {
  return (await db.select().from(reports).where(eq(reports.id, id)).limit(1))[0];
}

/** Moves a report from one of `from` to `to`; false when it was no longer in `from` (someone was first). */
export async function setReportStatus(
  db: Db,
  id: number,
  from: ReportStatus[],
  to: ReportStatus,
  now: number,
  extra: { detail?: string | null; parse?: unknown } = {},
): Promise<boolean> {
  const r = await db
    .update(reports)
    .set({
      status: to,
      updatedAt: now,
      ...(extra.detail !== undefined ? { statusDetail: extra.detail } : {}),
      ...(extra.parse !== undefined ? { parse: extra.parse } : {}),
    })
    .where(and(eq(reports.id, id), inArray(reports.status, from)))
    .returning({ id: reports.id });
  return r.length > 0;
}

function insertItemGuarded(
  db: Db,
  reportId: number,
  from: ReportStatus[],
  it: NewItem,
  year: number,
  reporter: string,
  org: string | null,
  now: number,
) {
  // INSERT … SELECT … WHERE the report is still in `from`: inside the batch, before the status
  // moves on, so a second run of the same batch inserts nothing. A query builder, not db.run(sql):
  // drizzle's D1 batch takes only prepared builder statements (see guardedRow).
  return db.insert(reportItems).select(
    guardedRow(
      reportItems,
      {
        reportId,
        year,
        metricId: it.metricId,
        value: it.value,
        milestone: it.milestone ?? null,
        mode: it.mode,
        scope: it.scope,
        asOf: it.asOf,
        approximate: it.approximate ?? false,
        reporterOpenId: reporter,
        org,
        createdAt: now,
      },
      sql`EXISTS (SELECT 1 FROM reports WHERE id = ${reportId} AND ${inArray(reports.status, from)})`,
    ),
  );
}

/**
 * Records a report's items and moves it to `to`, atomically, only if it is still in one of `from`.
 * Returns false (and records nothing) when it was not.
 */
export async function recordItems(
  db: Db,
  r: {
    reportId: number;
    from: ReportStatus[];
    to: ReportStatus;
    items: NewItem[];
    year: number;
    reporter: string;
    org: string | null;
    now: number;
    detail?: string | null;
    parse?: unknown;
  },
): Promise<boolean> {
  const [first, ...rest] = [
    ...r.items.map((it) => insertItemGuarded(db, r.reportId, r.from, it, r.year, r.reporter, r.org, r.now)),
    db
      .update(reports)
      .set({
        status: r.to,
        updatedAt: r.now,
        ...(r.detail !== undefined ? { statusDetail: r.detail } : {}),
        ...(r.parse !== undefined ? { parse: r.parse } : {}),
      })
      .where(and(eq(reports.id, r.reportId), inArray(reports.status, r.from)))
      .returning({ id: reports.id }),
  ];
  const results = (await db.batch([first!, ...rest] as never)) as unknown[];
  const last = results.at(-1) as Array<{ id: number }>;
  return last.length > 0;
}

export async function itemById(db: Db, id: number): Promise<ReportItemRow | undefined> {
  return (await db.select().from(reportItems).where(eq(reportItems.id, id)).limit(1))[0];
}

export async function itemsOfReport(db: Db, reportId: number): Promise<ReportItemRow[]> {
  return db.select().from(reportItems).where(eq(reportItems.reportId, reportId)).orderBy(reportItems.id);
}

/** The sender's newest action that still stands (a recorded report or a /修改, not undone), for 撤销. */
export async function lastRecordedReport(db: Db, openId: string): Promise<Report | undefined> {
  // A report whose clear figures are recorded while one figure waits for a choice counts too.
  const partly = and(
    eq(reports.status, 'needs_choice'),
    sql`EXISTS (SELECT 1 FROM report_items WHERE report_id = ${reports.id} AND superseded_at IS NULL)`,
  );
  return (
    await db
      .select()
      .from(reports)
      .where(and(eq(reports.senderOpenId, openId), or(inArray(reports.status, ['recorded', 'corrected']), partly)))
      .orderBy(desc(reports.receivedAt), desc(reports.id))
      .limit(1)
  )[0];
}

/** The sender's newest report still waiting for a metric choice, received since `since` (a text answer settles it). */
export async function pendingChoiceOf(db: Db, openId: string, since: number): Promise<Report | undefined> {
  return (
    await db
      .select()
      .from(reports)
      .where(and(eq(reports.senderOpenId, openId), eq(reports.status, 'needs_choice'), gte(reports.receivedAt, since)))
      .orderBy(desc(reports.receivedAt), desc(reports.id))
      .limit(1)
  )[0];
}

/** 撤销: supersedes the report's live items (never deletes) and marks it undone. False if it was not recorded. */
export async function undoReport(db: Db, reportId: number, byOpenId: string, now: number): Promise<boolean> {
  const results = await db.batch([
    db
      .update(reportItems)
      .set({ supersededAt: now, supersededBy: null, supersededByOpenId: byOpenId, supersedeReason: 'undo' })
      .where(and(eq(reportItems.reportId, reportId), isNull(reportItems.supersededAt))),
    db
      .update(reports)
      .set({ status: 'undone', updatedAt: now, statusDetail: `撤销 by ${byOpenId}` })
      .where(and(eq(reports.id, reportId), inArray(reports.status, ['recorded', 'needs_choice'])))
      .returning({ id: reports.id }),
  ]);
  return (results[1] as Array<{ id: number }>).length > 0;
}

/**
 * 撤销 of a /修改: the corrected figure is superseded and the figure it replaced is live again,
 * atomically and only while the correction still stands. False if it was already undone.
 */
export async function undoCorrection(db: Db, reportId: number, byOpenId: string, now: number): Promise<boolean> {
  const stands = sql`EXISTS (SELECT 1 FROM reports WHERE id = ${reportId} AND status = 'corrected')`;
  const results = await db.batch([
    db
      .update(reportItems)
      .set({ supersededAt: null, supersededBy: null, supersededByOpenId: null, supersedeReason: null })
      .where(
        and(
          eq(reportItems.supersedeReason, 'fix'),
          stands,
          inArray(
            reportItems.supersededBy,
            db.select({ id: reportItems.id }).from(reportItems).where(eq(reportItems.reportId, reportId)),
          ),
        ),
      ),
    db
      .update(reportItems)
      .set({ supersededAt: now, supersededBy: null, supersededByOpenId: byOpenId, supersedeReason: 'undo' })
      .where(and(eq(reportItems.reportId, reportId), isNull(reportItems.supersededAt), stands)),
    db
      .update(reports)
      .set({ status: 'undone', updatedAt: now, statusDetail: `撤销 by ${byOpenId}` })
      .where(and(eq(reports.id, reportId), eq(reports.status, 'corrected')))
      .returning({ id: reports.id }),
  ]);
  return (results[2] as Array<{ id: number }>).length > 0;
}

/** The item a /修改 replaced (for saying what its 撤销 restores). */
export async function itemReplacedBy(db: Db, itemId: number): Promise<ReportItemRow | undefined> {
  return (
    await db
      .select()
      .from(reportItems)
      .where(and(eq(reportItems.supersededBy, itemId), eq(reportItems.supersedeReason, 'fix')))
      .limit(1)
  )[0];
}

/** The newest live item for a metric and scope reported by an organisation (what /修改 corrects). */
export async function latestLiveItem(
  db: Db,
  year: number,
  metricId: string,
  scope: string,
  org: string,
): Promise<ReportItemRow | undefined> {
  return (
    await db
      .select()
      .from(reportItems)
      .where(
        and(
          eq(reportItems.year, year),
          eq(reportItems.metricId, metricId),
          eq(reportItems.scope, scope),
          eq(reportItems.org, org),
          isNull(reportItems.supersededAt),
        ),
      )
      .orderBy(desc(reportItems.createdAt), desc(reportItems.id))
      .limit(1)
  )[0];
}

/**
 * /修改: records the corrected figure on the correcting message's report and supersedes the
 * previous item with a link to it, atomically; nothing happens if the report was already handled.
 */
export async function recordCorrection(
  db: Db,
  r: {
    reportId: number;
    item: NewItem;
    previousId: number | null;
    year: number;
    reporter: string;
    org: string | null;
    now: number;
    detail: string;
    /** Where the correcting report must still be: 'received', or 'needs_confirmation' after a 确认. */
    from?: ReportStatus;
  },
): Promise<boolean> {
  const st = r.from ?? 'received';
  const from: ReportStatus[] = [st];
  const stmts: unknown[] = [insertItemGuarded(db, r.reportId, from, r.item, r.year, r.reporter, r.org, r.now)];
  if (r.previousId !== null) {
    stmts.push(
      db
        .update(reportItems)
        .set({
          supersededAt: r.now,
          supersededByOpenId: r.reporter,
          supersedeReason: 'fix',
          supersededBy: sql`(SELECT max(id) FROM report_items WHERE report_id = ${r.reportId})`,
        })
        .where(
          and(
            eq(reportItems.id, r.previousId),
            isNull(reportItems.supersededAt),
            sql`EXISTS (SELECT 1 FROM reports WHERE id = ${r.reportId} AND status = ${st})`,
          ),
        ),
    );
  }
  stmts.push(
    db
      .update(reports)
      .set({ status: 'corrected', statusDetail: r.detail, updatedAt: r.now })
      .where(and(eq(reports.id, r.reportId), eq(reports.status, st)))
      .returning({ id: reports.id }),
  );
  const results = (await db.batch(stmts as never)) as unknown[];
  return (results.at(-1) as Array<{ id: number }>).length > 0;
}

/** Live items an organisation reported since a time (for /我的: what is missing this week). */
export async function itemsOfOrgSince(db: Db, year: number, org: string, since: number): Promise<ReportItemRow[]> {
  return db
    .select()
    .from(reportItems)
    .where(
      and(
        eq(reportItems.year, year),
        eq(reportItems.org, org),
        isNull(reportItems.supersededAt),
        gte(reportItems.createdAt, since),
      ),
    );
}
