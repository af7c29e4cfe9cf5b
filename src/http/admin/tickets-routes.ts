// The console's ticket endpoints: the list (filters, search, overdue first, CSV export), one ticket with
// its timeline and linked duplicate reports, and status actions through the tickets engineer's lifecycle
// (the same code behind POST /api/tickets/:number/events, so transitions are checked in one place).
import express from 'express';
import type { Db } from '../../tickets/db.js';
import type { TicketStore } from '../../tickets/ticket-store.js';
import type { TicketLifecycle } from '../../tickets/ticket-lifecycle.js';
import { ticketView } from '../../tickets/ticket-view.js';
import { allowedNext, isStatus, OFFICE_STATUSES } from '../../tickets/ticket-statuses.js';
import { TicketChangeError } from '../../tickets/ticket-errors.js';
import { EventBody, TicketNumberParams } from '../tickets-api.js';
import { validate } from '../validate.js';
import { sendError, sendRefusal } from '../http-errors.js';
import { maskPersonalData } from '../../core/mask.js';
import { toCsv } from '../../reports/csv.js';
import type { Cell } from '../../reports/report-table.js';
import { categoryLabel, channelLabel, statusLabel } from '../../reports/labels.js';
import { startOfLocalDay, addDays } from '../../reports/period.js';
import { listTickets, TicketListQuery, type TicketListParams } from './ticket-query.js';
import { abilityOf, actorLabel, actorOf, allowed } from '../access/authorize.js';
import { redactTicket } from '../access/redact.js';
import type { TicketScope } from '../access/ticket-scope.js';
import type { AuditLog } from '../../tickets/audit-log.js';
import { DISPATCH_STATUSES, mayChange } from '../access/ticket-changes.js';
import { sessionOf } from './require-session.js';
import type { JointHandling } from '../../tickets/joint-handling.js';
import { callinsOf } from '../../tickets/callins-view.js';
import { callinsRoutes } from '../callins-routes.js';
import type { PhotoStore } from '../../tickets/photo-store.js';
import { ticketPhotos } from '../../tickets/ticket-photos.js';

export const SEARCH_DAYS = 90;

export interface TicketsRoutesDeps {
  db: Db;
  store: TicketStore;
  lifecycle?: TicketLifecycle;
  /** 吹哨报到: call-ins shown on the ticket, made and reported from its page. */
  joint?: JointHandling;
  timeZone: string;
  now: () => Date;
  /** Which tickets a caller reaches (a unit: its own); without it, every ticket. */
  scope?: TicketScope;
  /** Where 显示 (revealing a masked phone number) is recorded; without it numbers cannot be revealed. */
  audit?: AuditLog;
  /** Pictures the citizen sent with the complaint (thumbnails on the ticket page). */
  photos?: PhotoStore;
}

export function ticketsRoutes(deps: TicketsRoutesDeps): express.Router {
  const r = express.Router();
  if (deps.joint) r.use(callinsRoutes({ joint: deps.joint, store: deps.store, prefix: '/api/admin/tickets', callerOf: sessionOf, now: deps.now }));
  // A text search without dates looks at the last SEARCH_DAYS days: a substring search has no index and a
  // year of tickets takes seconds, while operators nearly always look for something recent.
  const range = (p: TicketListParams) => ({
    from: p.from ? startOfLocalDay(p.from, deps.timeZone) : p.q && !p.to ? new Date(deps.now().getTime() - SEARCH_DAYS * 86_400_000) : undefined,
    to: p.to ? startOfLocalDay(addDays(p.to, 1), deps.timeZone) : undefined,
  });

  const scoped = (res: express.Response) => {
    const who = actorOf(res);
    return who && deps.scope?.where(who);
  };

  const list = validate({ query: TicketListQuery });
  r.get('/api/admin/tickets', list, async (_req, res) => {
    const q = list.of(res).query;
    const page = await listTickets(deps.db, q, { now: deps.now(), range: range(q), scope: scoped(res) });
    // Lists are for scanning, not for reading numbers: personal numbers are masked here.
    const searchDays = q.q && !q.from && !q.to ? SEARCH_DAYS : undefined;
    res.json({ ...page, searchDays, items: page.items.map((t) => ({ ...t, text: maskPersonalData(t.text) })) });
  });

  // The export pages through the whole selection itself, whatever page and size say.
  r.get('/api/admin/tickets.csv', list, async (_req, res) => {
    const q = list.of(res).query;
    // Every column is text, a citizen's or an office's among them: all of it is masked and defused.
    const rows: Cell[][] = [['工单号', '状态', '类别', '时限', '区', '街乡镇', '承办单位', '渠道', '受理时间', '办理期限', '逾期', '满意度', '诉求内容']];
    // Up to 50 pages of 200: an export is for a filtered selection, not the whole database.
    for (let page = 1; page <= 50; page++) {
      const list = await listTickets(deps.db, { ...q, page, size: 200 }, { now: deps.now(), range: range(q), scope: scoped(res) });
      for (const t of list.items)
        rows.push([t.number, statusLabel(t.status), categoryLabel(t.category), t.tier, t.district, t.street, t.unit, channelLabel(t.channel), t.createdAt, t.dueAt, t.overdue ? '是' : '否', t.rating, t.text]);
      if (page * 200 >= list.total) break;
    }
    res.type('text/csv; charset=utf-8').attachment('tickets.csv').send(toCsv(rows, { bom: true }));
  });

  const one = validate({ params: TicketNumberParams });
  r.get('/api/admin/tickets/:number', one, async (_req, res) => {
    const { number } = one.of(res).params;
    const ticket = await deps.store.getByNumber(number);
    if (!ticket) return sendError(res, 404, 'not_found', `no ticket ${number}`);
    const [events, duplicates, primary, photos] = await Promise.all([
      deps.store.events(ticket.id),
      deps.store.duplicatesOf(ticket.id),
      ticket.duplicateOf ? deps.store.getById(ticket.duplicateOf) : Promise.resolve(undefined),
      deps.photos ? ticketPhotos(deps.photos, ticket) : Promise.resolve([]),
    ]);
    const view = ticketView(ticket, { events, duplicates, duplicateOf: primary?.number ?? null, now: deps.now() });
    const joint = deps.joint ? await callinsOf(deps.joint, ticket, deps.now()) : { callins: [], callinSuggestions: [] };
    const mayDispatch = allowed(res, 'dispatch', 'Ticket');
    const next = isStatus(ticket.status)
      ? allowedNext(ticket.status).filter((s) => (OFFICE_STATUSES as readonly string[]).includes(s) && (mayDispatch || !DISPATCH_STATUSES.includes(s)))
      : [];
    res.json({
      ...redactTicket(view, abilityOf(res)),
      ...joint,
      photos: photos.map((p) => ({ id: p.id, width: p.width, height: p.height, url: `/api/admin/photos/${p.id}`, thumbUrl: `/api/admin/photos/${p.id}/thumb`, ...(p.gps ? { gps: p.gps } : {}) })),
      allowedNext: next,
      canChange: Boolean(deps.lifecycle),
      readOnly: !allowed(res, 'update', 'Ticket'),
      canDispatch: mayDispatch,
      canCallIn: Boolean(deps.joint) && allowed(res, 'update', 'Ticket'),
    });
  });

  // 显示: the ticket's phone number unmasked, for a role that reads it masked; recorded before it is shown.
  r.post('/api/admin/tickets/:number/phone', one, async (_req, res) => {
    const { number } = one.of(res).params;
    const ticket = await deps.store.getByNumber(number);
    if (!ticket) return sendError(res, 404, 'not_found', `no ticket ${number}`);
    const who = actorOf(res);
    if (who && !deps.audit) return sendError(res, 503, 'unavailable', 'revealing is not possible without the audit log');
    if (who && deps.audit) {
      if (ticket.phone) await deps.audit.record({ user: who.user, role: who.role, action: 'reveal_phone', ticketNumber: number });
      res.locals.audited = true;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.json({ number, phone: ticket.phone });
  });

  const change = validate({ params: TicketNumberParams, body: EventBody.omit({ actor: true }) });
  r.post('/api/admin/tickets/:number/events', express.json({ limit: '16kb' }), change, async (_req, res) => {
    if (!deps.lifecycle) return sendError(res, 503, 'unavailable', 'ticket changes are not enabled in this process');
    const { params: { number }, body } = change.of(res);
    if (!mayChange(res, body)) return sendError(res, 403, 'forbidden', 'your role may not dispatch or refuse tickets');
    try {
      const result = await deps.lifecycle.change({
        number,
        to: body.status,
        note: body.note,
        unit: body.unit,
        // The console knows who is logged in: the event says who did it, and in which role.
        actor: actorLabel(res),
      });
      res.json({ outcome: result.outcome, status: result.ticket.status, unit: result.ticket.unit });
    } catch (err) {
      if (err instanceof TicketChangeError) return sendRefusal(res, err);
      throw err;
    }
  });
  return r;
}
