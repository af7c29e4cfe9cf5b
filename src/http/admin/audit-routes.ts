// The staff audit log for administrators: newest first with filters, and the same selection as CSV.
import express from 'express';
import { z } from 'zod';
import { stringify } from 'csv-stringify/sync';
import type { AuditLog } from '../../tickets/audit-log.js';
import { validate } from '../validate.js';
import { calendarDate, dateRange, queryInt, safeString } from '../input-fields.js';
import { addDays, startOfLocalDay } from '../../reports/period.js';
import { TICKET_NUMBER } from '../../tickets/numbering.js';
import { ROLE_LABEL } from './layout.js';

const Query = z
  .object({
    user: safeString(64).trim().optional().transform((v) => v || undefined),
    ticket: z.literal('').or(z.string().regex(TICKET_NUMBER, 'a ticket number looks like 20261128-000123')).optional().transform((v) => v || undefined),
    action: safeString(120).trim().optional().transform((v) => v || undefined),
    from: calendarDate.optional(),
    to: calendarDate.optional(),
    limit: queryInt(1, 500).default(100),
    offset: queryInt(0, 1_000_000).default(0),
  })
  .strict()
  .superRefine(dateRange());

/** A spreadsheet runs a cell starting with = + - @ as a formula: such text is defused with a leading '. */
const defuse = (v: string | null) => (v && /^[=+\-@\t\r]/.test(v) ? `'${v}` : (v ?? ''));

export function auditRoutes(deps: { audit: AuditLog; timeZone: string }): express.Router {
  const r = express.Router();
  const input = validate({ query: Query });
  const filter = (q: z.infer<typeof Query>) => ({
    user: q.user,
    ticketNumber: q.ticket,
    action: q.action,
    from: q.from ? startOfLocalDay(q.from, deps.timeZone) : undefined,
    to: q.to ? startOfLocalDay(addDays(q.to, 1), deps.timeZone) : undefined,
  });

  r.get('/api/admin/audit', input, async (_req, res) => {
    const q = input.of(res).query;
    const { items, total } = await deps.audit.list({ ...filter(q), limit: q.limit, offset: q.offset });
    res.setHeader('Cache-Control', 'no-store');
    res.json({ total, limit: q.limit, offset: q.offset, items: items.map((e) => ({ id: e.id, at: e.at.toISOString(), user: e.user, role: e.role, action: e.action, ticketNumber: e.ticketNumber, detail: e.detail })) });
  });

  r.get('/api/admin/audit.csv', input, async (_req, res) => {
    const q = input.of(res).query;
    const { items } = await deps.audit.list({ ...filter(q), limit: 5000 });
    const csv = stringify(
      items.map((e) => [e.at.toISOString(), defuse(e.user), ROLE_LABEL[e.role] ?? e.role, defuse(e.action), e.ticketNumber ?? '', defuse(e.detail)]),
      { header: true, columns: ['时间', '用户', '角色', '操作', '工单号', '结果'], bom: true },
    );
    res.setHeader('Cache-Control', 'no-store');
    res.type('text/csv; charset=utf-8').attachment('audit.csv').send(csv);
  });
  return r;
}
