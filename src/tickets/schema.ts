// The ticket store's schema, one definition for PGlite and PostgreSQL. Migrations in ./migrations are generated
// from this file by drizzle-kit (`npx drizzle-kit generate`) and committed; never edit an applied migration.
import { sql } from 'drizzle-orm';
import { boolean, customType, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';

export const tickets = pgTable(
  'tickets',
  {
    id: serial('id').primaryKey(),
    /** Public number, YYYYMMDD-NNNNNN in the hotline's time zone. */
    number: text('number').notNull(),
    /** InboundMessage.id: a redelivered message can never make a second ticket. */
    sourceMessageId: text('source_message_id').notNull(),
    channel: text('channel').notNull(),
    conversationId: text('conversation_id').notNull(),
    senderId: text('sender_id').notNull(),
    senderName: text('sender_name'),
    isPublic: boolean('is_public').notNull().default(false),
    lang: text('lang').notNull().default('zh'),
    text: text('text').notNull(),
    category: text('category'),
    tier: text('tier').notNull(),
    district: text('district'),
    street: text('street'),
    /** The office or department the ticket is dispatched to. */
    unit: text('unit'),
    status: text('status').notNull().default('received'),
    phone: text('phone'),
    /** What the NLU saw (time mention, score, location, attachments) for operators. */
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    /** Set once, by the overdue check, when the time limit passed with the ticket still open. */
    overdueAt: timestamp('overdue_at', { withTimezone: true }),
    /** The open ticket this one repeats (same problem, same place): the office handles the primary once. */
    duplicateOf: integer('duplicate_of').references((): AnyPgColumn => tickets.id, { onDelete: 'set null' }),
    /** The citizen's return-visit answer: 'satisfied' | 'basically' | 'unsatisfied' (the latest one). */
    rating: text('rating'),
    ratedAt: timestamp('rated_at', { withTimezone: true }),
    /** The external hotline system's own id for this ticket, once it has accepted it. */
    hotlineRef: text('hotline_ref'),
    hotlineSyncedAt: timestamp('hotline_synced_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('tickets_number_uq').on(t.number),
    uniqueIndex('tickets_source_message_uq').on(t.sourceMessageId),
    index('tickets_created_idx').on(t.createdAt),
    index('tickets_status_due_idx').on(t.status, t.dueAt),
    index('tickets_sender_idx').on(t.channel, t.senderId),
    // Duplicate clustering looks for open first reports only: without the condition, a hot spot with hundreds
    // of linked reports made every new complaint there walk all of them to find the few primaries.
    index('tickets_cluster_idx').on(t.category, t.street, t.createdAt).where(sql`${t.duplicateOf} is null`),
    index('tickets_duplicate_of_idx').on(t.duplicateOf),
    // Reports (src/reports): tickets that fell due in a period (逾期), and a covering index for the counts by
    // place, category and channel over a period, read by index-only scans instead of the wide rows.
    index('tickets_due_idx').on(t.dueAt),
    index('tickets_created_place_idx').on(t.createdAt, t.district, t.street, t.category, t.channel),
  ],
);

export const ticketEvents = pgTable(
  'ticket_events',
  {
    id: serial('id').primaryKey(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    /** 'created' | 'status' | 'linked' | 'overdue' | 'rating' | 'category' … */
    kind: text('kind').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    actor: text('actor').notNull(),
    note: text('note'),
    /** The unit the ticket was (re)dispatched to by this event, when it was. */
    unit: text('unit'),
    /**
     * Makes a change idempotent: a retried callback, API call or job carries the same key and the unique
     * index turns the second insert into a no-op (hotline:<event id>, api:<Idempotency-Key>, overdue:<ticket>).
     */
    dedupeKey: text('dedupe_key'),
    /** Who must hear about this event ('citizen' feedback, 'staff' alert); null when nobody. */
    notify: text('notify'),
    /** When the feedback or alert was queued; null with `notify` set = still owed (the outbox). */
    notifiedAt: timestamp('notified_at', { withTimezone: true }),
    /**
     * A status change made here (console, API, a citizen's rating) that the external hotline system must hear
     * about, so its copy of the ticket does not go stale; false for changes the hotline itself reported.
     */
    hotlineOwed: boolean('hotline_owed').notNull().default(false),
    /** When the hotline accepted the event; null with `hotlineOwed` = still owed (the hotline outbox). */
    hotlineSentAt: timestamp('hotline_sent_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('ticket_events_ticket_idx').on(t.ticketId, t.createdAt),
    // Reports: status changes in a time window (closed per day, first responses for the three rates).
    index('ticket_events_status_at_idx').on(t.toStatus, t.createdAt, t.ticketId),
    uniqueIndex('ticket_events_dedupe_uq').on(t.dedupeKey),
    index('ticket_events_outbox_idx').on(t.createdAt).where(sql`${t.notify} is not null and ${t.notifiedAt} is null`),
    index('ticket_events_hotline_outbox_idx').on(t.ticketId, t.id).where(sql`${t.hotlineOwed} and ${t.hotlineSentAt} is null`),
  ],
);

/** One row per day: the last ticket sequence number issued that day (numbers restart daily). */
export const ticketCounters = pgTable('ticket_counters', {
  day: text('day').primaryKey(),
  last: integer('last').notNull(),
});

/**
 * Ticket jobs that could not be stored after all their attempts. They are kept here, not only as the queue's
 * failed jobs (which the queue forgets after a while), until an operator retries them from the console.
 */
export const ticketDeadLetters = pgTable(
  'ticket_dead_letters',
  {
    id: serial('id').primaryKey(),
    /** InboundMessage.id: one dead letter per message, however often it fails. */
    sourceMessageId: text('source_message_id').notNull(),
    channel: text('channel').notNull(),
    /** The job as queued (message, decision, details, reserved ticket number): what a retry queues again. */
    job: jsonb('job').$type<Record<string, unknown>>().notNull(),
    error: text('error').notNull(),
    /** Attempts the last failed run made. */
    attempts: integer('attempts').notNull(),
    /** How many times it has been dead-lettered: a retry that fails again counts once more. */
    failures: integer('failures').notNull().default(1),
    /** 'dead' (waiting for an operator) or 'retried' (queued again from the console). */
    status: text('status').notNull().default('dead'),
    /** When the job was first queued (the citizen was answered then). */
    queuedAt: timestamp('queued_at', { withTimezone: true }).notNull(),
    failedAt: timestamp('failed_at', { withTimezone: true }).notNull(),
    retriedAt: timestamp('retried_at', { withTimezone: true }),
    /** When the staff alert and the citizen's follow-up message were queued; null = still owed. */
    notifiedAt: timestamp('notified_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('ticket_dead_letters_source_uq').on(t.sourceMessageId), index('ticket_dead_letters_failed_idx').on(t.failedAt)],
);

export type TicketRow = typeof tickets.$inferSelect;
export type TicketEventRow = typeof ticketEvents.$inferSelect;
export type TicketDeadLetterRow = typeof ticketDeadLetters.$inferSelect;

/**
 * Problem lists (举一反三): a recurring problem someone owns — one place and category calling again and again,
 * or one cause behind complaints at many places — tracked until the place stops calling.
 * status: open → in_progress → needs_project → solved → monitoring (src/tickets/problem-lifecycle.ts).
 */
export const problems = pgTable(
  'problems',
  {
    id: serial('id').primaryKey(),
    title: text('title').notNull(),
    status: text('status').notNull().default('open'),
    leadUnit: text('lead_unit').notNull(),
    involvedUnits: jsonb('involved_units').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /** What matches new tickets: the category and the place (a street, or a named spot in the text). */
    category: text('category'),
    street: text('street'),
    spot: text('spot'),
    targetDate: timestamp('target_date', { withTimezone: true }),
    notes: text('notes'),
    /** The suggestion it was made from, so that suggestion is not offered again. */
    suggestionKey: text('suggestion_key'),
    solvedAt: timestamp('solved_at', { withTimezone: true }),
    /** Set when a solved problem's place started calling again (monitoring re-opened, lead unit alerted). */
    recurredAt: timestamp('recurred_at', { withTimezone: true }),
    /** The version (updated_at) the external hotline has accepted; behind updated_at = a snapshot still owed. */
    hotlineSyncedAt: timestamp('hotline_synced_at', { withTimezone: true }),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('problems_status_idx').on(t.status), index('problems_lead_unit_idx').on(t.leadUnit), uniqueIndex('problems_suggestion_uq').on(t.suggestionKey)],
);

/** Tickets a person linked to a problem (or proposed for linking, awaiting a person: `confirmed` false). */
export const problemTickets = pgTable(
  'problem_tickets',
  {
    problemId: integer('problem_id')
      .notNull()
      .references(() => problems.id, { onDelete: 'cascade' }),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    /** 'linked': confirmed by a person; 'proposed': a new matching ticket awaiting a person; 'rejected'. */
    state: text('state').notNull(),
    actor: text('actor'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('problem_tickets_uq').on(t.problemId, t.ticketId), index('problem_tickets_ticket_idx').on(t.ticketId)],
);

/** The candidates the weekly job found, replaced at each run; `key` names the place or cause. */
export const problemSuggestions = pgTable('problem_suggestions', {
  key: text('key').primaryKey(),
  /** 'place': one place and category recurring; 'across': similar complaints naming one cause at many places. */
  kind: text('kind').notNull(),
  title: text('title').notNull(),
  category: text('category'),
  street: text('street'),
  spot: text('spot'),
  ticketIds: jsonb('ticket_ids').$type<number[]>().notNull(),
  /** Tickets per week, oldest first (8 weeks ending at the run). */
  weekly: jsonb('weekly').$type<number[]>().notNull(),
  units: jsonb('units').$type<string[]>().notNull(),
  score: integer('score').notNull(),
  computedAt: timestamp('computed_at', { withTimezone: true }).notNull(),
});

/** What happened to a problem, and who did it: made, status changes, tickets linked or rejected, recurrence, projects. */
export const problemEvents = pgTable(
  'problem_events',
  {
    id: serial('id').primaryKey(),
    problemId: integer('problem_id')
      .notNull()
      .references(() => problems.id, { onDelete: 'cascade' }),
    /** 'created' | 'status' | 'edited' | 'linked' | 'rejected' | 'recurred' | 'project' */
    kind: text('kind').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    actor: text('actor').notNull(),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('problem_events_problem_idx').on(t.problemId, t.createdAt)],
);

/** 项目清单: a problem that needs government investment opens a project. */
export const problemProjects = pgTable(
  'problem_projects',
  {
    id: serial('id').primaryKey(),
    problemId: integer('problem_id')
      .notNull()
      .references(() => problems.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    owner: text('owner').notNull(),
    /** 万元 (ten thousand yuan), as budgets are written; null until estimated. */
    budget: integer('budget'),
    milestones: jsonb('milestones').$type<{ title: string; due?: string; done: boolean }[]>().notNull().default(sql`'[]'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('problem_projects_problem_idx').on(t.problemId)],
);

export type ProblemRow = typeof problems.$inferSelect;
export type ProblemSuggestionRow = typeof problemSuggestions.$inferSelect;
export type ProblemProjectRow = typeof problemProjects.$inferSelect;
export type ProblemEventRow = typeof problemEvents.$inferSelect;

/** Staff accounts (issue 17): who may use the console and the API beside ADMIN_TOKEN and ADMIN_USERS. */
export const staffUsers = pgTable(
  'staff_users',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    /** 'admin' | 'operator' | 'unit' | 'social' | 'analyst' (StaffRole). */
    role: text('role').notNull(),
    /** For role 'unit' only: the street office or department (a unit the dispatch table names). */
    unit: text('unit'),
    /** argon2id PHC string; null for an account that only uses API tokens. */
    passwordHash: text('password_hash'),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('staff_users_name_idx').on(t.name)],
);

/** Per-user API tokens; only the sha256 of a token is kept (it is shown once, when issued). */
export const staffTokens = pgTable(
  'staff_tokens',
  {
    id: serial('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('staff_tokens_hash_idx').on(t.tokenHash), index('staff_tokens_user_idx').on(t.userId)],
);

export type StaffUserRow = typeof staffUsers.$inferSelect;
export type StaffTokenRow = typeof staffTokens.$inferSelect;

// ---------------------------------------------------------------------------------------------------------------
// 吹哨报到 joint handling (issue 17 §2): units called in to a ticket by the unit handling it, and their reports.
// ---------------------------------------------------------------------------------------------------------------

/**
 * One unit called in (吹哨) to one ticket, and its report (报到). A unit is called in to a ticket once: calling
 * it again changes nothing. `dueAt` is the report's time limit; `lateAt` is set once, by the overdue check,
 * when it passed without a report.
 */
export const ticketCallins = pgTable(
  'ticket_callins',
  {
    id: serial('id').primaryKey(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    /** The unit called in: a unit the dispatch table knows (dispatch.ts knownUnits). */
    unit: text('unit').notNull(),
    /** Who called it in, as events record actors (unit:卢沟桥街道:li, operator:wang, admin). */
    calledBy: text('called_by').notNull(),
    /** Why it is called in: what the calling unit needs from it. */
    note: text('note'),
    calledAt: timestamp('called_at', { withTimezone: true }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    reportedAt: timestamp('reported_at', { withTimezone: true }),
    reportedBy: text('reported_by'),
    reportNote: text('report_note'),
    lateAt: timestamp('late_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('ticket_callins_ticket_unit_uq').on(t.ticketId, t.unit),
    // A unit's 协办 list, and the 报到率 report over the period's call-ins.
    index('ticket_callins_unit_idx').on(t.unit, t.calledAt),
    index('ticket_callins_called_idx').on(t.calledAt),
    // The overdue check looks for reports still owed past their limit.
    index('ticket_callins_owed_idx').on(t.dueAt).where(sql`${t.reportedAt} is null and ${t.lateAt} is null`),
  ],
);

export type TicketCallinRow = typeof ticketCallins.$inferSelect;
// ---- Photos (issue 17 §4) ----
/** Raw bytes: PGlite and PostgreSQL both map bytea to a Buffer/Uint8Array. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/**
 * Citizens' pictures, re-encoded (no EXIF) with a thumbnail. `owner` is the conversation that sent it
 * (`<channel>:<conversation id>`): a ticket shows only pictures its own conversation sent. `source` is the
 * platform's reference for a picture fetched from a channel (unique, so a retried fetch stores it once).
 */
export const photos = pgTable(
  'photos',
  {
    id: uuid('id').primaryKey(),
    owner: text('owner').notNull(),
    source: text('source'),
    mime: text('mime').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    /** The picture's bytes when `storage` is 'db'; null when they are in the object store. */
    bytes: bytea('bytes'),
    thumb: bytea('thumb'),
    /** Where the bytes are: 'db' (these columns) or 's3' (objects `<id>` and `<id>.thumb`, src/tickets/photo-blobs.ts). */
    storage: text('storage').$type<'db' | 's3'>().notNull().default('db'),
    /** The position the phone wrote into EXIF, kept only as a location hint: the stored picture has no EXIF. */
    gps: jsonb('gps').$type<{ lat: number; lng: number }>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('photos_source_idx').on(t.source), index('photos_owner_idx').on(t.owner), index('photos_created_idx').on(t.createdAt)],
);

export type PhotoRow = typeof photos.$inferSelect;

// ---- Agent inbox (issue 17 §3): operators' internal notes on a conversation, and their saved replies ----

/** A note staff leave on a conversation (handed over or ticketed); the citizen never sees it. */
export const conversationNotes = pgTable(
  'conversation_notes',
  {
    id: serial('id').primaryKey(),
    channel: text('channel').notNull(),
    conversationId: text('conversation_id').notNull(),
    author: text('author').notNull(),
    authorRole: text('author_role').notNull(),
    text: text('text').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('conversation_notes_conversation_idx').on(t.channel, t.conversationId, t.createdAt)],
);

/** A reply operators saved to send again (canned replies beside the knowledge base's answers). */
export const savedReplies = pgTable(
  'saved_replies',
  {
    id: serial('id').primaryKey(),
    title: text('title').notNull(),
    text: text('text').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('saved_replies_title_idx').on(t.title)],
);

export type ConversationNoteRow = typeof conversationNotes.$inferSelect;
export type SavedReplyRow = typeof savedReplies.$inferSelect;

/**
 * Staff audit log (issue 17): every change a staff member makes through the console or the API, and every time
 * a masked phone number is revealed — who (name and role), what, on which ticket, when. Admins read and export
 * it at /admin/audit.
 */
export const staffAudit = pgTable(
  'staff_audit',
  {
    id: serial('id').primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    user: text('user_name').notNull(),
    role: text('role').notNull(),
    /** What was done: `reveal_phone`, or the route (`POST /api/admin/tickets/:number/events`). */
    action: text('action').notNull(),
    /** The ticket it was done to, when there is one. */
    ticketNumber: text('ticket_number'),
    /** The answer's HTTP status, or a short note. */
    detail: text('detail'),
  },
  (t) => [index('staff_audit_at_idx').on(t.at), index('staff_audit_ticket_idx').on(t.ticketNumber)],
);

export type StaffAuditRow = typeof staffAudit.$inferSelect;

// ---- Knowledge base in the database (issue 19) -------------------------------------------------------------

/**
 * Every version of the whole knowledge base: each change (console, API, `jiesu kb import`, a restore) writes
 * the complete list of entries as a new row, so any version can be looked at or restored as it was. The
 * current knowledge base is the row with the highest id.
 */
export const kbVersions = pgTable('kb_versions', {
  id: serial('id').primaryKey(),
  entries: jsonb('entries').$type<{ id: string; topic?: string; questions: string[]; answer: string; lang: 'zh' | 'en' }[]>().notNull(),
  actor: text('actor').notNull(),
  /** 'seed' | 'import' | 'create' | 'edit' | 'delete' | 'restore' | 'attach' */
  action: text('action').notNull(),
  /** What the change was about (the entry's id, the imported file, the restored version). */
  note: text('note'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Review-queue items an operator has dealt with (attached, made an entry of, or marked "not a question"). */
export const kbReviewDone = pgTable('kb_review_done', {
  /** The item's key (ReviewItem.key): a hash of where it came from, its text and when. */
  key: text('key').primaryKey(),
  /** 'attached' | 'created' | 'dismissed' */
  resolution: text('resolution').notNull(),
  faqId: text('faq_id'),
  kbVersion: integer('kb_version'),
  actor: text('actor').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A ticket's category changed by staff: what the classifier said, what staff set, and the text (training data). */
export const categoryCorrections = pgTable(
  'category_corrections',
  {
    id: serial('id').primaryKey(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    fromCategory: text('from_category'),
    toCategory: text('to_category').notNull(),
    actor: text('actor').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('category_corrections_created_idx').on(t.createdAt)],
);

export type KbVersionRow = typeof kbVersions.$inferSelect;
export type CategoryCorrectionRow = typeof categoryCorrections.$inferSelect;
