// The tickets REST API for operators, offices and partners (bearer ADMIN_TOKEN): read one ticket with its
// events and links, list with filters (overdue first), and change a ticket's status through the lifecycle.
import express from 'express';
import { z } from 'zod';
import type { TicketStore } from '../tickets/ticket-store.js';
import type { TicketLifecycle } from '../tickets/ticket-lifecycle.js';
import { ticketView } from '../tickets/ticket-view.js';
import { TICKET_NUMBER } from '../tickets/numbering.js';
import { OFFICE_STATUSES, STATUSES } from '../tickets/lifecycle.js';
import { TicketChangeError } from '../tickets/ticket-errors.js';
import { requireAdmin, type BearerToken } from './admin-auth.js';
import { bodyErrorHandler, sendError } from './http-errors.js';

const ListQuery = z
  .object({
    status: z.enum(STATUSES).optional(),
    district: z.string().max(32).optional(),
    street: z.string().max(64).optional(),
    category: z.string().max(64).optional(),
    channel: z.string().max(32).optional(),
    overdue: z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').optional(),
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

const text = (max: number) => z.string().trim().min(1).max(max);

export const EventBody = z
  .object({
    status: z.enum(OFFICE_STATUSES),
    note: text(1000).optional(),
    /** The office it goes to (dispatched, or returned with a re-dispatch). */
    unit: text(80).optional(),
    /** Who acts, when not the operator holding the token (an office's name). */
    actor: text(80).optional(),
  })
  .strict();

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,128}$/;

export interface TicketsApiDeps {
  store: TicketStore;
  lifecycle?: TicketLifecycle;
  now?: () => Date;
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue.path.join('.') || 'body'}: ${issue.message}`;
}

export function ticketsApi(deps: TicketsApiDeps, adminToken: BearerToken): express.Router {
  const { store, lifecycle, now = () => new Date() } = deps;
  const r = express.Router();
  r.use('/api/tickets', requireAdmin(adminToken));

  const full = async (number: string) => {
    const ticket = await store.getByNumber(number);
    if (!ticket) return undefined;
    const [events, duplicates, primary] = await Promise.all([
      store.events(ticket.id),
      store.duplicatesOf(ticket.id),
      ticket.duplicateOf ? store.getById(ticket.duplicateOf) : Promise.resolve(undefined),
    ]);
    return ticketView(ticket, { events, duplicates, duplicateOf: primary?.number ?? null, now: now() });
  };

  r.get('/api/tickets/:number', async (req, res) => {
    const number = req.params.number;
    if (!TICKET_NUMBER.test(number)) return sendError(res, 400, 'invalid_number', 'a ticket number looks like 20261128-000123');
    const view = await full(number);
    if (!view) return sendError(res, 404, 'not_found', `no ticket ${number}`);
    res.json(view);
  });

  r.get('/api/tickets', async (req, res) => {
    const q = ListQuery.safeParse(req.query);
    if (!q.success) return sendError(res, 400, 'invalid_query', firstIssue(q.error));
    const { items, total } = await store.list(q.data);
    const at = now();
    res.json({ total, limit: q.data.limit, offset: q.data.offset, items: items.map((t) => ticketView(t, { now: at })) });
  });

  r.post('/api/tickets/:number/events', express.json({ limit: '16kb' }), async (req, res) => {
    if (!lifecycle) return sendError(res, 503, 'unavailable', 'ticket changes are not enabled in this process');
    const number = req.params.number;
    if (!TICKET_NUMBER.test(number)) return sendError(res, 400, 'invalid_number', 'a ticket number looks like 20261128-000123');
    const body = EventBody.safeParse(req.body ?? {});
    if (!body.success) return sendError(res, 400, 'invalid_request', firstIssue(body.error));
    const key = req.get('idempotency-key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) return sendError(res, 400, 'invalid_idempotency_key', 'Idempotency-Key: 1–128 letters, digits, _ . : -');
    try {
      const result = await lifecycle.change({
        number,
        to: body.data.status,
        note: body.data.note,
        unit: body.data.unit,
        actor: body.data.actor ? `operator:${body.data.actor}` : 'operator',
        // Scoped to the ticket: the same key on another ticket is another request.
        dedupeKey: key ? `api:${number}:${key}` : undefined,
      });
      res.json({ outcome: result.outcome, ticket: await full(number) });
    } catch (err) {
      if (err instanceof TicketChangeError) return sendError(res, err.httpStatus, err.code, err.message);
      throw err;
    }
  });
  r.use('/api/tickets', bodyErrorHandler);
  return r;
}
