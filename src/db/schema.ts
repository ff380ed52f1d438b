import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// One schema for libsql (Node, Turso) and D1. Times are Unix milliseconds (sortable, cheap to
// compare); calendar dates (as-of, deadlines) are ISO 'YYYY-MM-DD' text. Dedup and idempotency are
// unique keys here, never in-memory maps: restarts and Worker instances do not share memory.

const now = sql`(CAST(unixepoch('subsec') * 1000 AS INTEGER))`;

export const catalogs = sqliteTable('catalogs', {
  year: integer('year').primaryKey(),
  title: text('title').notNull(),
  start: text('start').notNull(),
  deadline: text('deadline').notNull(),
  /** The validated catalog file as loaded, so every runtime rebuilds the same Catalog from the database. */
  data: text('data', { mode: 'json' }).notNull(),
  loadedAt: integer('loaded_at').notNull().default(now),
});

export const organisations = sqliteTable(
  'organisations',
  {
    year: integer('year').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['city_unit', 'district'] }).notNull(),
    aliases: text('aliases', { mode: 'json' }).$type<string[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.year, t.name] })],
);

export const projects = sqliteTable(
  'projects',
  {
    year: integer('year').notNull(),
    no: integer('no').notNull(),
    name: text('name').notNull(),
    units: text('units', { mode: 'json' }).$type<string[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.year, t.no] })],
);

export const metrics = sqliteTable(
  'metrics',
  {
    year: integer('year').notNull(),
    id: text('id').notNull(),
    project: integer('project').notNull(),
    name: text('name').notNull(),
    measure: text('measure'),
    kind: text('kind', { enum: ['count', 'level', 'milestone'] }).notNull(),
    target: real('target'),
    unit: text('unit'),
    lead: text('lead', { mode: 'json' }).$type<string[]>().notNull(),
    aliases: text('aliases', { mode: 'json' }).$type<string[]>().notNull(),
    /** Changeable by an administrator; starts as the catalog's. */
    deadline: text('deadline').notNull(),
  },
  (t) => [primaryKey({ columns: [t.year, t.id] })],
);

export const contacts = sqliteTable(
  'contacts',
  {
    openId: text('open_id').primaryKey(),
    name: text('name'),
    org: text('org'),
    role: text('role', { enum: ['admin', 'contact', 'none'] })
      .notNull()
      .default('contact'),
    /** pending: asked to be bound, waiting for an admin; active: bound; inactive: unbound or refused. */
    status: text('status', { enum: ['pending', 'active', 'inactive'] })
      .notNull()
      .default('pending'),
    /** The org asked for while pending. */
    requestedOrg: text('requested_org'),
    leaveUntil: text('leave_until'),
    createdAt: integer('created_at').notNull().default(now),
    updatedAt: integer('updated_at').notNull().default(now),
  },
  (t) => [index('contacts_org').on(t.org, t.status)],
);

export const chats = sqliteTable('chats', {
  chatId: text('chat_id').primaryKey(),
  name: text('name'),
  /** Project numbers whose digests this group gets; empty means none (not subscribed). */
  projects: text('projects', { mode: 'json' }).$type<number[]>().notNull().default(sql`'[]'`),
  createdAt: integer('created_at').notNull().default(now),
  updatedAt: integer('updated_at').notNull().default(now),
});

export const reports = sqliteTable(
  'reports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Lark's message id: one message is one report, however often Lark delivers it. */
    messageId: text('message_id').notNull(),
    eventId: text('event_id'),
    senderOpenId: text('sender_open_id').notNull(),
    org: text('org'),
    chatId: text('chat_id'),
    chatType: text('chat_type'),
    text: text('text').notNull(),
    /** The parser's result as JSON (kept for audit and for a later button choice). */
    parse: text('parse', { mode: 'json' }),
    /** What became of the message: received, recorded, needs_choice, needs_confirmation, refused, unbound, not_understood, command, undone, failed. */
    status: text('status').notNull().default('received'),
    statusDetail: text('status_detail'),
    receivedAt: integer('received_at').notNull().default(now),
    updatedAt: integer('updated_at').notNull().default(now),
  },
  (t) => [uniqueIndex('reports_message_id').on(t.messageId), index('reports_sender').on(t.senderOpenId, t.receivedAt)],
);

export const reportItems = sqliteTable(
  'report_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    reportId: integer('report_id')
      .notNull()
      .references(() => reports.id),
    year: integer('year').notNull(),
    metricId: text('metric_id').notNull(),
    /** In the metric's unit; null for a milestone. */
    value: real('value'),
    /** Milestones: done | in_progress | not_started. */
    milestone: text('milestone'),
    mode: text('mode', { enum: ['cumulative', 'increment'] }).notNull(),
    /** 'city' or the full name of a 区县. */
    scope: text('scope').notNull(),
    asOf: text('as_of').notNull(),
    approximate: integer('approximate', { mode: 'boolean' }).notNull().default(false),
    reporterOpenId: text('reporter_open_id').notNull(),
    org: text('org'),
    createdAt: integer('created_at').notNull().default(now),
    /** Corrections never delete: the newer item (or null for an undo) is linked here. */
    supersededAt: integer('superseded_at'),
    supersededBy: integer('superseded_by'),
    supersededByOpenId: text('superseded_by_open_id'),
    supersedeReason: text('supersede_reason'),
  },
  (t) => [
    // The digest reads the live items per metric and scope in as-of order; this index serves it
    // without scanning the table. As-of date before mode: a scope's newest items of both modes and
    // the increments after its last total sit together (one page, not two per date), and id and
    // value make those searches and sums read the index alone.
    index('report_items_live').on(t.year, t.metricId, t.scope, t.supersededAt, t.asOf, t.id, t.mode, t.value),
    index('report_items_report').on(t.reportId),
    // By creation time, covering what the digest and the reminders read about a week (who reported
    // which metric, how many items, late reports): a week's range is read from the index alone.
    index('report_items_created').on(t.year, t.createdAt, t.supersededAt, t.metricId, t.org, t.reporterOpenId, t.asOf),
  ],
);

/** The inbox: every verified event is written here before Lark gets its 200, or moved here from `npm start`'s accept log. */
export const processedEvents = sqliteTable(
  'processed_events',
  {
    eventId: text('event_id').primaryKey(),
    eventType: text('event_type').notNull(),
    payload: text('payload').notNull(),
    status: text('status', { enum: ['pending', 'done', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    receivedAt: integer('received_at').notNull().default(now),
    processedAt: integer('processed_at'),
    /** A worker holding the row until this time; another may take it after (a crashed holder). */
    leaseUntil: integer('lease_until'),
    /** Message events: the chat and Lark's create_time, for per-chat order (see inbox/chatOrder.ts). */
    chatId: text('chat_id'),
    sentAt: integer('sent_at'),
  },
  (t) => [
    index('processed_events_pending').on(t.status, t.receivedAt),
    index('processed_events_chat').on(t.chatId, t.status, t.sentAt),
  ],
);

export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Lark's idempotency key (≤ 50 chars): the same uuid is delivered at most once. */
    uuid: text('uuid').notNull(),
    /** send | reply | update */
    kind: text('kind').notNull(),
    receiveIdType: text('receive_id_type'),
    /** open_id, chat_id, or the message id replied to / updated. */
    target: text('target').notNull(),
    msgType: text('msg_type').notNull(),
    content: text('content').notNull(),
    /** pending | sent | failed (permanent) | local (no credentials: kept, not sent) */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull().default(now),
    lastError: text('last_error'),
    leaseUntil: integer('lease_until'),
    larkMessageId: text('lark_message_id'),
    createdAt: integer('created_at').notNull().default(now),
    sentAt: integer('sent_at'),
  },
  (t) => [uniqueIndex('outbox_uuid').on(t.uuid), index('outbox_due').on(t.status, t.nextAttemptAt)],
);

export const jobRuns = sqliteTable(
  'job_runs',
  {
    job: text('job').notNull(),
    /** The period the run covers (a week, a day, a deadline): one run per job and period. */
    periodKey: text('period_key').notNull(),
    status: text('status').notNull().default('running'),
    detail: text('detail'),
    startedAt: integer('started_at').notNull().default(now),
    finishedAt: integer('finished_at'),
  },
  (t) => [primaryKey({ columns: [t.job, t.periodKey] })],
);

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at').notNull().default(now),
  updatedBy: text('updated_by'),
});

/** When each MINSHENG_NOW value was first seen (real ms): the pinned clock runs on from there. */
export const clockAnchors = sqliteTable('clock_anchors', {
  pinned: text('pinned').primaryKey(),
  realStart: integer('real_start').notNull(),
});

/** One processor per chat at a time, so a chat's messages take effect in Lark's order. */
export const chatLeases = sqliteTable('chat_leases', {
  chatId: text('chat_id').primaryKey(),
  holder: text('holder').notNull(),
  leaseUntil: integer('lease_until').notNull(),
});

/**
 * Phrases an organisation's contacts have told the bot the metric of (by choosing it when asked):
 * read as extra aliases of that metric for that organisation, so the same words do not ask again.
 */
export const learnedPhrases = sqliteTable(
  'learned_phrases',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    year: integer('year').notNull(),
    org: text('org').notNull(),
    phrase: text('phrase').notNull(),
    metricId: text('metric_id').notNull(),
    /** Who taught it, and from which report (for admins reading where a reading came from). */
    createdBy: text('created_by').notNull(),
    reportId: integer('report_id'),
    createdAt: integer('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('learned_phrases_org_phrase').on(t.year, t.org, t.phrase)],
);
