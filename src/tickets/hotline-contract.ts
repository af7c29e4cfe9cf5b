// The JSON contract with the city's external hotline system (documented in docs/openapi.yaml): what we POST
// to HOTLINE_URL for every new ticket, the status changes made here that we POST to HOTLINE_URL/{number}/events,
// and the status callbacks it POSTs back to /api/hotline/callback.
import { z } from 'zod';
import { OFFICE_STATUSES, STATUSES } from './lifecycle.js';
import { TICKET_NUMBER } from './numbering.js';
import { isStorable, storableText } from '../core/storable-text.js';
import { reportDueAt } from './joint-handling.js';
import type { ProblemProjectRow, ProblemRow, TicketEventRow, TicketRow } from './schema.js';

/** Headers on our POSTs to the hotline. */
export const OUTBOUND_HEADERS = { timestamp: 'X-Jiesu-Timestamp', signature: 'X-Jiesu-Signature', idempotencyKey: 'Idempotency-Key' } as const;
/** Headers the hotline puts on its callbacks. */
export const CALLBACK_HEADERS = { timestamp: 'X-Hotline-Timestamp', signature: 'X-Hotline-Signature' } as const;

export const HotlineTicketSchema = z
  .object({
    number: z.string().regex(TICKET_NUMBER),
    status: z.string(),
    category: z.string().nullable(),
    tier: z.enum(['2h', '24h', '7d', '15d']),
    createdAt: z.string().datetime(),
    dueAt: z.string().datetime(),
    district: z.string().nullable(),
    street: z.string().nullable(),
    unit: z.string().nullable(),
    duplicateOf: z.string().nullable(),
    channel: z.string(),
    lang: z.enum(['zh', 'en']),
    text: z.string(),
    /** The citizen's phone when they gave one: the hotline calls back for the return visit. */
    phone: z.string().nullable(),
    /** Signed, expiring links to the citizen's photos (only when PUBLIC_URL is set and the ticket has photos). */
    photos: z.array(z.object({ url: z.string().url(), expiresAt: z.string().datetime() }).strict()).optional(),
  })
  .strict();

export type HotlineTicket = z.infer<typeof HotlineTicketSchema>;

/** What the hotline answers to an accepted ticket (200/201, or 409 when it has it already). */
export const HotlineAcceptSchema = z.object({ ref: z.string().max(128).optional() }).passthrough();

/**
 * A status change made in Jiesu (an office or operator in the console or API, a citizen's return-visit answer),
 * or a joint-handling step (吹哨报到: `called_in` — a unit called in, `reported` — a called unit's report; these
 * change no status, so both statuses are null), POSTed to HOTLINE_URL/{number}/events once the hotline has the ticket. Events of one ticket are sent in order,
 * each once it has accepted the one before; `sequence` grows with each, so it can check the order too.
 */
export const HotlineEventSchema = z
  .object({
    /** Unique per event; also the Idempotency-Key (jiesu-event-<sequence>). */
    eventId: z.string(),
    sequence: z.number().int().positive(),
    number: z.string().regex(TICKET_NUMBER),
    kind: z.string(),
    fromStatus: z.enum(STATUSES).nullable(),
    /** Null for the joint-handling kinds, which change no status. */
    toStatus: z.enum(STATUSES).nullable(),
    /** The office it went to, for a (re)dispatch; the unit called in or reporting, for joint handling. */
    unit: z.string().nullable(),
    note: z.string().nullable(),
    actor: z.string(),
    /** The citizen's return-visit answer, once given. */
    rating: z.enum(['satisfied', 'basically', 'unsatisfied']).nullable(),
    occurredAt: z.string().datetime(),
    /** `called_in` only: when the called unit's report (报到) is due. */
    reportDueAt: z.string().datetime().optional(),
  })
  .strict();

export type HotlineEvent = z.infer<typeof HotlineEventSchema>;

const NOT_STORABLE = 'must not contain NUL, control characters or ill-formed text';

export const HotlineCallbackSchema = z
  .object({
    /** Unique per status event in the hotline system: a callback sent twice is applied once. */
    eventId: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1–128 letters, digits, _ . : -'),
    number: z.string().regex(TICKET_NUMBER, 'must look like 20261128-000123'),
    status: z.enum(OFFICE_STATUSES),
    /** Free text, cleaned rather than refused: a callback refused for its note would fail on every retry. */
    note: z.string().overwrite(storableText).max(1000).optional(),
    unit: z.string().min(1).max(80).refine(isStorable, NOT_STORABLE).optional(),
    /** Who acted in the hotline system (an office, an operator); recorded on the event. */
    actor: z.string().min(1).max(80).refine(isStorable, NOT_STORABLE).optional(),
    occurredAt: z.string().datetime({ offset: true }).optional(),
  })
  .strict();

export type HotlineCallback = z.infer<typeof HotlineCallbackSchema>;

export function hotlineTicketOf(t: TicketRow, duplicateOfNumber: string | null, photos: HotlineTicket['photos'] = []): HotlineTicket {
  return {
    number: t.number,
    status: t.status,
    category: t.category,
    tier: t.tier as HotlineTicket['tier'],
    createdAt: t.createdAt.toISOString(),
    dueAt: t.dueAt.toISOString(),
    district: t.district,
    street: t.street,
    unit: t.unit,
    duplicateOf: duplicateOfNumber,
    channel: t.channel,
    lang: t.lang === 'en' ? 'en' : 'zh',
    text: t.text,
    phone: t.phone,
    ...(photos?.length ? { photos } : {}),
  };
}

export function hotlineEventIdOf(e: Pick<TicketEventRow, 'id'>): string {
  return `jiesu-event-${e.id}`;
}

export function hotlineEventOf(e: TicketEventRow, t: TicketRow): HotlineEvent {
  return {
    eventId: hotlineEventIdOf(e),
    sequence: e.id,
    number: t.number,
    kind: e.kind,
    fromStatus: (e.fromStatus as HotlineEvent['fromStatus']) ?? null,
    toStatus: (e.toStatus as HotlineEvent['toStatus']) ?? null,
    unit: e.unit,
    note: e.note,
    actor: e.actor,
    rating: (t.rating as HotlineEvent['rating']) ?? null,
    occurredAt: e.createdAt.toISOString(),
    // The same rule, from the same instant, as the call-in row's own due time.
    ...(e.kind === 'called_in' ? { reportDueAt: reportDueAt(t.tier, e.createdAt).toISOString() } : {}),
  };
}

/**
 * A problem (问题清单) as the hotline gets it: the whole current state, POSTed to HOTLINE_URL/../problems after
 * every change. `version` (the time of the change) orders the snapshots: the hotline keeps the newest, and the
 * Idempotency-Key (problem-<id>-<version ms>) makes a retried one a no-op.
 */
export const HotlineProblemSchema = z
  .object({
    id: z.number().int().positive(),
    version: z.string().datetime(),
    title: z.string(),
    status: z.enum(['open', 'in_progress', 'needs_project', 'solved', 'monitoring']),
    leadUnit: z.string(),
    involvedUnits: z.array(z.string()),
    category: z.string().nullable(),
    street: z.string().nullable(),
    spot: z.string().nullable(),
    targetDate: z.string().datetime().nullable(),
    solvedAt: z.string().datetime().nullable(),
    recurredAt: z.string().datetime().nullable(),
    /** The tickets a person linked to it. */
    tickets: z.array(z.string().regex(TICKET_NUMBER)),
    projects: z.array(
      z
        .object({
          id: z.number().int(),
          title: z.string(),
          owner: z.string(),
          budget: z.number().int().nullable(),
          milestones: z.array(z.object({ title: z.string(), due: z.string().optional(), done: z.boolean() }).strict()),
        })
        .strict(),
    ),
  })
  .strict();

export type HotlineProblem = z.infer<typeof HotlineProblemSchema>;

export function hotlineProblemKey(p: Pick<HotlineProblem, 'id' | 'version'>): string {
  return `problem-${p.id}-${Date.parse(p.version)}`;
}

export function hotlineProblemOf(p: ProblemRow, tickets: string[], projects: ProblemProjectRow[]): HotlineProblem {
  return {
    id: p.id,
    version: p.updatedAt.toISOString(),
    title: p.title,
    status: p.status as HotlineProblem['status'],
    leadUnit: p.leadUnit,
    involvedUnits: p.involvedUnits,
    category: p.category,
    street: p.street,
    spot: p.spot,
    targetDate: p.targetDate?.toISOString() ?? null,
    solvedAt: p.solvedAt?.toISOString() ?? null,
    recurredAt: p.recurredAt?.toISOString() ?? null,
    tickets,
    projects: projects.map((j) => ({ id: j.id, title: j.title, owner: j.owner, budget: j.budget, milestones: j.milestones })),
  };
}
