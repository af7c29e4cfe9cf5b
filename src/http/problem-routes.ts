// Problem lists (举一反三) over HTTP, shared by the bearer-token API (/api/problems, for scripts and the hotline
// side) and the console's session API (/api/admin/problems): the job's suggestions, problems with their linked
// and proposed tickets, status changes, link decisions, projects, and the before/after weekly counts. Who may
// call is the mounting router's business; `actor` names who did it.
import express from 'express';
import { z } from 'zod';
import type { Response } from 'express';
import type { ProblemStore } from '../tickets/problem-store.js';
import { ProblemChangeError } from '../tickets/problem-store.js';
import { isProblemStatus, PROBLEM_STATUSES, problemNext } from '../tickets/problem-lifecycle.js';
import type { ProblemRow } from '../tickets/schema.js';
import { TICKET_NUMBER } from '../tickets/numbering.js';
import { sendError, sendRefusal } from './http-errors.js';
import { invalidField, sendInvalid } from './validate.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const units = z.array(text(80)).max(30);
const numbers = z.array(z.string().regex(TICKET_NUMBER, 'a ticket number looks like 20261128-000123')).min(1).max(500);

export const ProblemBody = z
  .object({
    title: text(200),
    leadUnit: text(80),
    involvedUnits: units.optional(),
    targetDate: z.coerce.date().optional(),
    notes: text(4000).optional(),
    category: text(64).optional(),
    street: text(64).optional(),
    spot: text(64).optional(),
    suggestionKey: text(400).optional(),
    ticketNumbers: numbers.optional(),
  })
  .strict()
  .refine((b) => b.suggestionKey || b.ticketNumbers, { message: 'give suggestionKey or ticketNumbers', path: ['ticketNumbers'] });

export const ProblemPatch = z
  .object({
    status: z.enum(PROBLEM_STATUSES).optional(),
    solvedAt: z.coerce.date().optional(),
    title: text(200).optional(),
    leadUnit: text(80).optional(),
    involvedUnits: units.optional(),
    targetDate: z.coerce.date().nullable().optional(),
    notes: z.string().trim().max(4000).nullable().optional(),
  })
  .strict();

const LinkBody = z.object({ numbers, decision: z.enum(['link', 'reject']).default('link') }).strict();

const ProjectBody = z
  .object({
    title: text(200),
    owner: text(80),
    budget: z.number().int().min(0).max(100_000_000).optional(),
    milestones: z.array(z.object({ title: text(200), due: z.iso.date().optional(), done: z.boolean().default(false) }).strict()).max(50).optional(),
  })
  .strict();

const ListQuery = z
  .object({
    status: z.enum(PROBLEM_STATUSES).optional(),
    unit: z.string().max(80).optional(),
    overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export interface ProblemRoutesDeps {
  problems: ProblemStore;
  now: () => Date;
  /** Who is calling, for the record (operator:<user>). */
  actor(res: Response): string;
  /**
   * Told after each change (the hotline sync queues the problem's new state). Best effort: a change it could
   * not queue is found by the problem check's sweep.
   */
  changed?: (id: number) => Promise<void>;
}

export function problemView(p: ProblemRow, now: Date) {
  return {
    id: p.id,
    title: p.title,
    status: p.status,
    leadUnit: p.leadUnit,
    involvedUnits: p.involvedUnits,
    category: p.category,
    street: p.street,
    spot: p.spot,
    targetDate: p.targetDate?.toISOString() ?? null,
    overdue: Boolean(p.targetDate && p.targetDate < now && p.status !== 'solved' && p.status !== 'monitoring'),
    notes: p.notes,
    solvedAt: p.solvedAt?.toISOString() ?? null,
    recurredAt: p.recurredAt?.toISOString() ?? null,
    createdBy: p.createdBy,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function problemRoutes(base: string, deps: ProblemRoutesDeps): express.Router {
  const { problems, now } = deps;
  const r = express.Router();

  const detail = async (p: ProblemRow) => {
    const at = now();
    const [tickets, projects, events, trend] = await Promise.all([problems.tickets(p.id), problems.projects(p.id), problems.events(p.id), problems.trend(p, at)]);
    return {
      ...problemView(p, at),
      allowedNext: isProblemStatus(p.status) ? problemNext(p.status) : [],
      tickets: tickets.map((t) => ({ ...t, createdAt: t.createdAt.toISOString() })),
      events: events.map((e) => ({ kind: e.kind, fromStatus: e.fromStatus, toStatus: e.toStatus, actor: e.actor, note: e.note, at: e.createdAt.toISOString() })),
      projects: projects.map((j) => ({ id: j.id, title: j.title, owner: j.owner, budget: j.budget, milestones: j.milestones, createdAt: j.createdAt.toISOString() })),
      trend: {
        solvedAt: trend.solvedAt?.toISOString() ?? null,
        weeks: trend.weeks.map((w) => ({ start: w.start.toISOString(), count: w.count, phase: w.phase })),
        before: trend.before,
        after: trend.after,
      },
    };
  };
  const id = (res: Response, raw: string): number | undefined => {
    if (/^[1-9]\d{0,9}$/.test(raw)) return Number(raw);
    sendInvalid(res, { field: 'id', reason: 'id: a problem id is a positive integer' });
    return undefined;
  };
  // Best effort (see `changed`): a change not queued now is queued by the problem check's sweep.
  const changed = (id: number) => void deps.changed?.(id).catch(() => {});
  const refused = (res: Response, err: unknown) => {
    if (err instanceof ProblemChangeError) return sendRefusal(res, err);
    throw err;
  };

  r.get(`${base}/suggestions`, async (_req, res) => {
    const items = await problems.suggestions();
    res.json({
      items: items.map((s) => ({
        key: s.key,
        kind: s.kind,
        title: s.title,
        category: s.category,
        street: s.street,
        spot: s.spot,
        weekly: s.weekly,
        units: s.units,
        score: s.score,
        computedAt: s.computedAt.toISOString(),
        tickets: s.tickets.map((t) => ({ number: t.number, text: t.text, street: t.street, createdAt: t.createdAt.toISOString() })),
      })),
    });
  });

  r.get(base, async (req, res) => {
    const q = ListQuery.safeParse(req.query);
    if (!q.success) return sendInvalid(res, invalidField(q.error, 'query'));
    const at = now();
    const { items, total } = await problems.list(q.data, at);
    res.json({ total, limit: q.data.limit, offset: q.data.offset, items: items.map((p) => ({ ...problemView(p, at), linked: p.linked, proposed: p.proposed })) });
  });

  r.post(base, express.json({ limit: '64kb' }), async (req, res) => {
    const body = ProblemBody.safeParse(req.body ?? {});
    if (!body.success) return sendInvalid(res, invalidField(body.error, 'body'));
    try {
      const p = await problems.create({ ...body.data, actor: deps.actor(res) });
      changed(p.id);
      res.status(201);
      res.json(await detail(p));
    } catch (err) {
      refused(res, err);
    }
  });

  r.get(`${base}/:id`, async (req, res) => {
    const n = id(res, req.params.id);
    if (n === undefined) return;
    const p = await problems.get(n);
    if (!p) return sendError(res, 404, 'not_found', `no problem ${n}`);
    res.json(await detail(p));
  });

  r.patch(`${base}/:id`, express.json({ limit: '16kb' }), async (req, res) => {
    const n = id(res, req.params.id);
    if (n === undefined) return;
    const body = ProblemPatch.safeParse(req.body ?? {});
    if (!body.success) return sendInvalid(res, invalidField(body.error, 'body'));
    try {
      const p = await problems.change(n, body.data, now(), deps.actor(res));
      changed(n);
      res.json(await detail(p));
    } catch (err) {
      refused(res, err);
    }
  });

  r.post(`${base}/:id/tickets`, express.json({ limit: '64kb' }), async (req, res) => {
    const n = id(res, req.params.id);
    if (n === undefined) return;
    const body = LinkBody.safeParse(req.body ?? {});
    if (!body.success) return sendInvalid(res, invalidField(body.error, 'body'));
    try {
      await problems.decide(n, body.data.numbers, body.data.decision === 'link' ? 'linked' : 'rejected', deps.actor(res), now());
      changed(n);
      res.json(await detail((await problems.get(n))!));
    } catch (err) {
      refused(res, err);
    }
  });

  r.post(`${base}/:id/projects`, express.json({ limit: '16kb' }), async (req, res) => {
    const n = id(res, req.params.id);
    if (n === undefined) return;
    const body = ProjectBody.safeParse(req.body ?? {});
    if (!body.success) return sendInvalid(res, invalidField(body.error, 'body'));
    try {
      const j = await problems.addProject(n, { ...body.data, actor: deps.actor(res) }, now());
      changed(n);
      res.status(201).json({ id: j.id, problemId: j.problemId, title: j.title, owner: j.owner, budget: j.budget, milestones: j.milestones, createdAt: j.createdAt.toISOString() });
    } catch (err) {
      refused(res, err);
    }
  });
  return r;
}
