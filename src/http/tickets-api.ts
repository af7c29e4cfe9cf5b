// The tickets REST API for operators, offices and partners (bearer ADMIN_TOKEN or a staff API token): read one
// ticket with its events and links, list with filters (overdue first), and change a ticket's status through the
// lifecycle. What a token's role may see and do is decided by src/http/access (a unit's token: its own tickets).
import express from 'express';
import { z } from 'zod';
import type { TicketStore } from '../tickets/ticket-store.js';
import type { TicketLifecycle } from '../tickets/ticket-lifecycle.js';
import { ticketView } from '../tickets/ticket-view.js';
import { TICKET_NUMBER } from '../tickets/numbering.js';
import { OFFICE_STATUSES, STATUSES } from '../tickets/ticket-statuses.js';
import { TicketChangeError } from '../tickets/ticket-errors.js';
import { bearerIdentity, requireAdmin, type BearerToken } from './admin-auth.js';
import type { JointHandling } from '../tickets/joint-handling.js';
import { callinsOf } from '../tickets/callins-view.js';
import { callinsRoutes } from './callins-routes.js';
import { abilityOf, actorLabel, actorOf } from './access/authorize.js';
import { mayChange } from './access/ticket-changes.js';
import { redactTicket } from './access/redact.js';
import type { TicketScope } from './access/ticket-scope.js';
import { bodyErrorHandler, sendError, sendRefusal } from './http-errors.js';
import { sendInvalid, validate } from './validate.js';
import { dateRange, freeText, instant, queryFlag, queryInt, safeString } from './input-fields.js';

const ListQuery = z
  .object({
    status: z.enum(STATUSES).optional(),
    district: safeString(32).optional(),
    street: safeString(64).optional(),
    category: safeString(64).optional(),
    channel: safeString(32).optional(),
    overdue: queryFlag.optional(),
    /** Tickets this unit is called in to (协办). */
    calledIn: safeString(80).optional(),
    /** A calendar date (its UTC midnight) or an ISO date-time; created at or after `from`, before `to`. */
    from: instant.optional(),
    to: instant.optional(),
    limit: queryInt(1, 500).default(50),
    offset: queryInt(0, 1_000_000).default(0),
  })
  .strict()
  .superRefine(dateRange());

export const EventBody = z
  .object({
    status: z.enum(OFFICE_STATUSES),
    /** Free text: cleaned, never refused for what a person typed. */
    note: freeText(1000).optional(),
    /** The office it goes to (dispatched, or returned with a re-dispatch). */
    unit: safeString(80).trim().min(1).optional(),
    /** Who acts, when not the operator holding the token (an office's name). */
    actor: safeString(80).trim().min(1).optional(),
  })
  .strict();

export const TicketNumberParams = z.object({ number: z.string().regex(TICKET_NUMBER, 'a ticket number looks like 20261128-000123') });

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,128}$/;

export interface TicketsApiDeps {
  store: TicketStore;
  lifecycle?: TicketLifecycle;
  /** 吹哨报到: call-ins on the ticket, and the routes to make and report them. */
  joint?: JointHandling;
  now?: () => Date;
  /** Which tickets a caller reaches (a unit: its own); without it every caller reaches every ticket. */
  scope?: TicketScope;
}


export function ticketsApi(deps: TicketsApiDeps, adminToken: BearerToken): express.Router {
  const { store, lifecycle, joint, now = () => new Date(), scope } = deps;
  const r = express.Router();
  r.use('/api/tickets', requireAdmin(adminToken));
  if (joint) r.use(callinsRoutes({ joint, store, prefix: '/api/tickets', callerOf: bearerIdentity, now }));

  const full = async (number: string) => {
    const ticket = await store.getByNumber(number);
    if (!ticket) return undefined;
    const [events, duplicates, primary] = await Promise.all([
      store.events(ticket.id),
      store.duplicatesOf(ticket.id),
      ticket.duplicateOf ? store.getById(ticket.duplicateOf) : Promise.resolve(undefined),
    ]);
    const view = ticketView(ticket, { events, duplicates, duplicateOf: primary?.number ?? null, now: now() });
    return joint ? { ...view, ...(await callinsOf(joint, ticket, now())) } : view;
  };

  const one = validate({ params: TicketNumberParams });
  r.get('/api/tickets/:number', one, async (_req, res) => {
    const { number } = one.of(res).params;
    const view = await full(number);
    if (!view) return sendError(res, 404, 'not_found', `no ticket ${number}`);
    res.json(redactTicket(view, abilityOf(res)));
  });

  const list = validate({ query: ListQuery });
  r.get('/api/tickets', list, async (_req, res) => {
    const q = list.of(res).query;
    const who = actorOf(res);
    const { items, total } = await store.list({ ...q, scope: who && scope?.where(who, 'tickets') });
    const at = now();
    const called = joint ? await joint.unitsByTicket(items.map((t) => t.id)) : undefined;
    res.json({
      total,
      limit: q.limit,
      offset: q.offset,
      items: items.map((t) => redactTicket({ ...ticketView(t, { now: at }), ...(called ? { calledIn: called.get(t.id) ?? [] } : {}) }, abilityOf(res))),
    });
  });

  const change = validate({ params: TicketNumberParams, body: EventBody });
  r.post('/api/tickets/:number/events', express.json({ limit: '16kb' }), change, async (req, res) => {
    if (!lifecycle) return sendError(res, 503, 'unavailable', 'ticket changes are not enabled in this process');
    const { params: { number }, body } = change.of(res);
    if (!mayChange(res, body)) return sendError(res, 403, 'forbidden', 'your role may not dispatch or refuse tickets');
    const key = req.get('idempotency-key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) return sendInvalid(res, { field: 'Idempotency-Key', reason: 'Idempotency-Key: 1–128 letters, digits, _ . : -' });
    try {
      const result = await lifecycle.change({
        number,
        to: body.status,
        note: body.note,
        unit: body.unit,
        // An office acting through an integration names itself; otherwise the token's own account acts.
        actor: body.actor && actorOf(res)?.role !== 'unit' ? `operator:${body.actor}` : actorLabel(res),
        // Scoped to the ticket: the same key on another ticket is another request.
        dedupeKey: key ? `api:${number}:${key}` : undefined,
      });
      const view = await full(number);
      res.json({ outcome: result.outcome, ticket: view && redactTicket(view, abilityOf(res)) });
    } catch (err) {
      if (err instanceof TicketChangeError) return sendRefusal(res, err);
      throw err;
    }
  });
  r.use('/api/tickets', bodyErrorHandler);
  return r;
}
