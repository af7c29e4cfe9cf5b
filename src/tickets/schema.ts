// The ticket store's schema, one definition for PGlite and PostgreSQL. Migrations in ./migrations are generated
// from this file by drizzle-kit (`npx drizzle-kit generate`) and committed; never edit an applied migration.
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

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
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('tickets_number_uq').on(t.number),
    uniqueIndex('tickets_source_message_uq').on(t.sourceMessageId),
    index('tickets_created_idx').on(t.createdAt),
    index('tickets_status_due_idx').on(t.status, t.dueAt),
    index('tickets_sender_idx').on(t.channel, t.senderId),
  ],
);

export const ticketEvents = pgTable(
  'ticket_events',
  {
    id: serial('id').primaryKey(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    /** 'created' | 'status' | 'note' | 'feedback' … */
    kind: text('kind').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    actor: text('actor').notNull(),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('ticket_events_ticket_idx').on(t.ticketId, t.createdAt)],
);

/** One row per day: the last ticket sequence number issued that day (numbers restart daily). */
export const ticketCounters = pgTable('ticket_counters', {
  day: text('day').primaryKey(),
  last: integer('last').notNull(),
});

export type TicketRow = typeof tickets.$inferSelect;
export type TicketEventRow = typeof ticketEvents.$inferSelect;
