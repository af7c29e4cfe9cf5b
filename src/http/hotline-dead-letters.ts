// The hotline sync's dead letters (bearer ADMIN_TOKEN): tickets and status changes the external hotline never
// accepted after all attempts, or refused outright. They are the `hotline-sync` queue's failed jobs; retrying one moves it back
// to waiting with a fresh set of attempts. The console's failed-jobs page (src/http/admin/dead-letters-routes.ts)
// lists and retries them through the same two functions.
import express from 'express';
import type { Queue } from 'bullmq';
import type { HotlineSyncJob } from '../queue/hotline-sync-queue.js';
import { requireAdmin, type BearerToken } from './admin-auth.js';
import { z } from 'zod';
import { sendError, sendRefusal, type Refusal } from './http-errors.js';
import { validate } from './validate.js';
import { queryInt } from './input-fields.js';

const JOB_ID = /^[A-Za-z0-9_%.-]{1,160}$/;

export async function listHotlineDeadLetters(queue: Queue<HotlineSyncJob>, limit: number) {
  const jobs = await queue.getFailed(0, limit - 1);
  const total = await queue.getFailedCount();
  return {
    total,
    items: jobs.map((j) => ({
      id: j.id,
      kind: j.name === 'event' ? 'event' : 'ticket',
      number: j.data.number,
      ...(j.data.eventId !== undefined ? { eventId: j.data.eventId } : {}),
      attemptsMade: j.attemptsMade,
      failedReason: j.failedReason,
      failedAt: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
      createdAt: new Date(j.timestamp).toISOString(),
    })),
  };
}

/** Moves a failed job back to waiting with fresh attempts; an error status and reason when it cannot. */
export async function retryHotlineDeadLetter(queue: Queue<HotlineSyncJob>, id: string): Promise<{ ok: true; number: string } | ({ ok: false } & Refusal)> {
  if (!JOB_ID.test(id)) return { ok: false, httpStatus: 400, code: 'invalid_request', message: 'not a dead-letter id', field: 'id' };
  const job = await queue.getJob(id);
  if (!job) return { ok: false, httpStatus: 404, code: 'not_found', message: `no dead letter ${id}` };
  const state = await job.getState();
  if (state !== 'failed') return { ok: false, httpStatus: 409, code: 'not_failed', message: `job ${id} is ${state}, not a dead letter` };
  await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
  return { ok: true, number: job.data.number };
}

export function hotlineDeadLettersRouter(queue: Queue<HotlineSyncJob> | undefined, adminToken: BearerToken): express.Router {
  const r = express.Router();
  r.use('/api/hotline/dead-letters', requireAdmin(adminToken));

  const listInput = validate({ query: z.object({ limit: queryInt(1, 1000).default(100) }).strict() });
  r.get('/api/hotline/dead-letters', listInput, async (_req, res) => {
    if (!queue) return res.json({ enabled: false, total: 0, items: [] });
    const { limit } = listInput.of(res).query;
    res.json({ enabled: true, ...(await listHotlineDeadLetters(queue, limit)) });
  });

  const retryInput = validate({ params: z.object({ id: z.string().regex(JOB_ID, 'not a dead-letter id') }) });
  r.post('/api/hotline/dead-letters/:id/retry', retryInput, async (_req, res) => {
    if (!queue) return sendError(res, 404, 'not_found', 'the hotline sync is not configured (HOTLINE_URL)');
    const { id } = retryInput.of(res).params;
    const out = await retryHotlineDeadLetter(queue, id);
    if (!out.ok) return sendRefusal(res, out);
    res.json({ id, number: out.number, state: 'waiting' });
  });
  return r;
}
