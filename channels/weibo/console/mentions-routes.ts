// The social-media team's mentions console: the page /admin/mentions (static JS and CSS only — the CSP
// forbids inline script and style) and its JSON API under /api/admin/mentions: the live list with filters,
// the waiting counter and the poller's state, and three actions — a manual public reply (through the
// outbound queue and the Weibo adapter, like every other reply), "make a ticket" and "ignore". Behind the
// admin console's login: the session cookie (or the admin bearer token for scripts), CSRF token on changes.
import express from 'express';
import { z } from 'zod';
import type { ChannelConsoleDeps } from '../../shared/channel-definition.js';
import { packagePath } from '../../../src/package-root.js';
import { ticketClass, TIER_IDS } from '../../../src/nlu/decision.js';
import { MentionsLog } from '../mentions-log.js';
import { PollerStatusStore } from '../poller-status.js';
import { weiboLength, COMMENT_MAX } from '../comment-text.js';
import { maskPersonalData } from '../../../src/core/mask.js';
import { serializeMessage } from '../../../src/core/serialize.js';
import { jobIdFor } from '../../../src/core/job-id.js';
import { categoryIds, categoryLabel } from '../../../src/reports/labels.js';
import { addDays, isLocalDate, startOfLocalDay } from '../../../src/reports/period.js';
import { sendError, sendInvalid } from '../../../src/http/http-errors.js';
import { validate } from '../../../src/http/validate.js';
import { calendarDate, queryInt, safeString } from '../../../src/http/input-fields.js';
import { storableText } from '../../../src/core/storable-text.js';
import { loadSession, requireApiSession, requirePageSession, sessionOf, type StaffAuth } from '../../../src/http/admin/require-session.js';
import { matches, ticketsFor, viewOf, type MentionFilter } from './mention-view.js';
import { mentionsPage } from './mentions-page.js';

const PUBLIC_DIR = packagePath('channels', 'weibo', 'console', 'public');

export type MentionsRoutesDeps = ChannelConsoleDeps;

/** A date (a whole day in the configured time zone; `to` includes its day) or an ISO date-time (without an offset: the server's time). */
const timeBound = z.literal('').or(calendarDate).or(z.iso.datetime({ offset: true, local: true })).optional();

/** The list's query; dates are days in `timeZone` (TZ_NAME). */
const listQuery = (timeZone: string) => z
  .object({
    show: z.enum(['all', 'unhandled', 'urgent']).default('all'),
    category: safeString(40).optional(),
    from: timeBound,
    to: timeBound,
    limit: queryInt(1, 500).default(200),
  })
  .strict()
  .superRefine((v, ctx) => {
    const from = parseTime(v.from, false, timeZone);
    const to = parseTime(v.to, true, timeZone);
    if (from !== undefined && to !== undefined && from > to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'is before from' });
  });

const ReplyBody = z.object({ text: z.string().overwrite(storableText).trim().min(1, '回复内容不能为空') });
const TicketBody = z.object({ category: safeString(40).optional(), tier: z.enum(TIER_IDS).optional() });
const MentionParams = z.object({ id: safeString(200) });

function parseTime(s: string | undefined, endOfDay: boolean, timeZone: string): number | undefined {
  if (!s) return undefined;
  if (isLocalDate(s)) return endOfDay ? startOfLocalDay(addDays(s, 1), timeZone).getTime() - 1 : startOfLocalDay(s, timeZone).getTime();
  const t = new Date(s).getTime();
  return Number.isNaN(t) ? undefined : t;
}

export function mentionsRoutes(deps: MentionsRoutesDeps): express.Router {
  const { services, redis } = deps;
  const mentions = new MentionsLog(redis, services.config.queuePrefix);
  const poller = new PollerStatusStore(redis, services.config.queuePrefix);
  const faqQuestion = (id: string) => deps.nlu?.entry(id)?.questions[0];

  const r = express.Router();
  const paths = ['/admin/mentions', '/api/admin/mentions'];
  // Without ADMIN_TOKEN and ADMIN_USERS nobody can log in: every page redirects and every call is 401.
  r.use(paths, loadSession(deps.auth));
  r.use('/admin/mentions/static', express.static(PUBLIC_DIR, { maxAge: '5m', index: false, fallthrough: false }));

  r.get('/admin/mentions', requirePageSession, (_req, res) => {
    res.type('html').send(mentionsPage(sessionOf(res)!));
  });

  r.use('/api/admin/mentions', requireApiSession, express.json({ limit: '8kb' }));

  const timeZone = services.config.timeZone;
  const listInput = validate({ query: listQuery(timeZone) });
  r.get('/api/admin/mentions', listInput, async (_req, res) => {
    const q = listInput.of(res).query;
    const from = parseTime(q.from, false, timeZone);
    const to = parseTime(q.to, true, timeZone);
    const filter: MentionFilter = { show: q.show, ...(q.category ? { category: q.category } : {}) };
    // Filters need the ticket join, so a window larger than the page is read and filtered here.
    const entries = await mentions.list({ from, to, limit: filter.show === 'all' && !filter.category ? q.limit : 2000, waitingOnly: false });
    const joined = await ticketsFor(services.database.db, entries.map((e) => e.id));
    const items = entries
      .map((e) => viewOf(e, joined.get(e.id), faqQuestion))
      .filter((v) => matches(v, filter))
      .slice(0, q.limit);
    res.json({ items, summary: await mentions.summary(), poller: (await poller.read()) ?? null });
  });

  r.get('/api/admin/mentions/summary', async (_req, res) => {
    res.json({
      summary: await mentions.summary(),
      poller: (await poller.read()) ?? null,
      categories: [{ id: 'faq', label: '政策咨询' }, ...categoryIds().map((id) => ({ id, label: categoryLabel(id) }))],
      now: Date.now(),
    });
  });

  const replyInput = validate({ params: MentionParams, body: ReplyBody });
  r.post('/api/admin/mentions/:id/reply', replyInput, async (_req, res) => {
    const { params, body } = replyInput.of(res);
    const entry = await mentions.get(params.id);
    if (!entry) return sendError(res, 404, 'not_found', 'no such mention');
    const text = body.text;
    // A public reply must not carry personal numbers or ticket numbers: refuse rather than silently mask.
    if (maskPersonalData(text) !== text || /\d{8}-\d{6,}/.test(text))
      return sendInvalid(res, { field: 'text', reason: '公开回复中不能包含电话、证件号或工单号，请引导市民私信。' });
    if (weiboLength(text) > COMMENT_MAX) return sendInvalid(res, { field: 'text', reason: `公开回复最多${COMMENT_MAX}字（当前${weiboLength(text)}字）。` });
    const id = jobIdFor(`manual:${entry.id}:${Date.now()}`);
    await services.queues.outbound.add(
      'manual-reply',
      { address: { channel: 'weibo', conversationId: entry.conversationId, senderId: entry.author.id, isPublic: true }, reply: { id, text, kind: 'agent' } },
      { jobId: id },
    );
    res.status(202).json({ queued: true, by: sessionOf(res)?.user });
  });

  const ticketInput = validate({ params: MentionParams, body: TicketBody });
  r.post('/api/admin/mentions/:id/ticket', ticketInput, async (_req, res) => {
    const { params, body } = ticketInput.of(res);
    const entry = await mentions.get(params.id);
    if (!entry?.message) return sendError(res, 404, 'not_found', 'no such mention');
    const existing = await services.store.getBySource(entry.id);
    if (existing) return sendError(res, 409, 'exists', `已有工单 ${existing.number}`, { number: existing.number });
    // Same job id as the intake would use: a complaint already queued is not filed twice.
    await services.queues.tickets.add(
      'ticket',
      {
        message: serializeMessage(entry.message),
        decision: { kind: 'ticket', score: 1, candidates: [], ...ticketClass({ category: body.category, tier: body.tier }), lang: 'zh' },
        details: { manual: true, by: sessionOf(res)?.user ?? 'admin' },
      },
      { jobId: jobIdFor(entry.id) },
    );
    res.status(202).json({ queued: true });
  });

  const ignoreInput = validate({ params: MentionParams });
  r.post('/api/admin/mentions/:id/ignore', ignoreInput, async (_req, res) => {
    const entry = await mentions.get(ignoreInput.of(res).params.id);
    if (!entry) return sendError(res, 404, 'not_found', 'no such mention');
    await mentions.markIgnored(entry.id, 'manual', new Date());
    res.json({ ignored: true });
  });
  return r;
}
