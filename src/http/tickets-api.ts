// The tickets REST API for operators, offices and partners (bearer ADMIN_TOKEN).
import express from 'express';
import { z } from 'zod';
import type { TicketStore } from '../tickets/ticket-store.js';
import { ticketView } from '../tickets/ticket-view.js';
import { TICKET_NUMBER } from '../tickets/numbering.js';
import { requireAdmin } from './admin-auth.js';
import { sendError } from './http-errors.js';

const ListQuery = z
  .object({
    status: z.string().max(32).optional(),
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

export function ticketsApi(store: TicketStore, adminToken: string | undefined): express.Router {
  const r = express.Router();
  r.use('/api/tickets', requireAdmin(adminToken));

  r.get('/api/tickets/:number', async (req, res) => {
    const number = req.params.number;
    if (!TICKET_NUMBER.test(number)) return sendError(res, 400, 'invalid_number', 'a ticket number looks like 20261128-000123');
    const ticket = await store.getByNumber(number);
    if (!ticket) return sendError(res, 404, 'not_found', `no ticket ${number}`);
    res.json(ticketView(ticket, await store.events(ticket.id)));
  });

  r.get('/api/tickets', async (req, res) => {
    const q = ListQuery.safeParse(req.query);
    if (!q.success) {
      const issue = q.error.issues[0];
      return sendError(res, 400, 'invalid_query', `${issue.path.join('.') || 'query'}: ${issue.message}`);
    }
    const { items, total } = await store.list(q.data);
    res.json({ total, limit: q.data.limit, offset: q.data.offset, items: items.map((t) => ticketView(t)) });
  });
  return r;
}
