// The console's failed jobs (失败任务): work that was acknowledged or accepted but could not be finished after
// all its attempts, each with a retry button. Two kinds: complaints that could not be filed as tickets (the
// database's ticket_dead_letters, src/queue/ticket-dead-letters.ts) and tickets or status changes the external
// hotline never accepted (the hotline-sync queue's failed jobs, src/http/hotline-dead-letters.ts).
import express from 'express';
import type { Queue } from 'bullmq';
import type { TicketDeadLetters } from '../../queue/ticket-dead-letters.js';
import type { DeadLetterStore, DeadLetterView } from '../../tickets/dead-letter-store.js';
import type { HotlineSyncJob } from '../../queue/hotline-sync-queue.js';
import type { TicketJob } from '../../queue/queues.js';
import { listHotlineDeadLetters, retryHotlineDeadLetter } from '../hotline-dead-letters.js';
import { sendError, sendRefusal } from '../http-errors.js';
import { sendInvalid } from '../validate.js';
import { sessionOf } from './require-session.js';

export interface DeadLettersRoutesDeps {
  deadLetters?: TicketDeadLetters;
  store?: DeadLetterStore;
  hotlineSync?: Queue<HotlineSyncJob>;
}

/** What an operator needs to take a complaint over: its words, where it came from, what went wrong. */
function ticketItem(d: DeadLetterView) {
  const job = d.job as unknown as TicketJob;
  return {
    id: d.id,
    sourceMessageId: d.sourceMessageId,
    channel: d.channel,
    text: job.message.text,
    category: job.decision.category ?? null,
    district: job.decision.district ?? null,
    street: job.decision.street ?? null,
    /** The number it reserved: a retry files the ticket under it. */
    reservedNumber: job.number ?? null,
    /** Set once the message has a ticket after all (a retry or a redelivery succeeded). */
    ticketNumber: d.ticketNumber,
    error: d.error,
    attempts: d.attempts,
    failures: d.failures,
    status: d.status,
    queuedAt: d.queuedAt.toISOString(),
    failedAt: d.failedAt.toISOString(),
    retriedAt: d.retriedAt?.toISOString() ?? null,
  };
}

export function deadLettersRoutes(deps: DeadLettersRoutesDeps): express.Router {
  const r = express.Router();

  r.get('/api/admin/dead-letters', async (req, res) => {
    const limit = Math.min(Math.max(Number(req.query.limit ?? 100) || 100, 1), 1000);
    // By default only what still needs a person: complaints without a ticket yet.
    const open = req.query.all !== '1';
    const tickets = deps.store ? await deps.store.list({ open, limit }) : { total: 0, items: [] };
    const hotline = deps.hotlineSync ? { enabled: true, ...(await listHotlineDeadLetters(deps.hotlineSync, limit)) } : { enabled: false, total: 0, items: [] };
    res.setHeader('Cache-Control', 'no-store');
    res.json({ tickets: { total: tickets.total, items: tickets.items.map(ticketItem) }, hotline });
  });

  r.post('/api/admin/dead-letters/tickets/:id/retry', async (req, res) => {
    if (!deps.deadLetters) return sendError(res, 503, 'unavailable', 'this console was started without the tickets queue');
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id < 1) return sendInvalid(res, { field: 'id', reason: 'id: not a dead-letter id' });
    const row = await deps.deadLetters.retry(id);
    if (!row) return sendError(res, 404, 'not_found', `no failed job ${id}`);
    res.json({ id, state: 'queued', by: sessionOf(res)?.user ?? 'admin' });
  });

  r.post('/api/admin/dead-letters/hotline/:id/retry', async (req, res) => {
    if (!deps.hotlineSync) return sendError(res, 404, 'not_found', 'the hotline sync is not configured (HOTLINE_URL)');
    const out = await retryHotlineDeadLetter(deps.hotlineSync, req.params.id);
    if (!out.ok) return sendRefusal(res, out);
    res.json({ id: req.params.id, number: out.number, state: 'waiting' });
  });
  return r;
}
