// POST /api/hotline/callback: the external hotline system reports a ticket's progress (docs/openapi.yaml).
// Verification fails closed and comes first: HMAC-SHA256 over the raw bytes as received, in constant time,
// with a 5-minute window on the signed timestamp. An exact request seen before (same timestamp and
// signature) is a replay and gets 401; a callback re-sent with a fresh signature but the same eventId is
// the hotline retrying and gets 200 with nothing changed (the event's dedupe key).
import express from 'express';
import type { Redis } from 'ioredis';
import { verify, REPLAY_WINDOW_SECONDS } from '../tickets/hotline-signature.js';
import { CALLBACK_HEADERS, HotlineCallbackSchema } from '../tickets/hotline-contract.js';
import { TicketChangeError } from '../tickets/ticket-errors.js';
import type { TicketLifecycle } from '../tickets/ticket-lifecycle.js';
import { NOT_JSON, bodyErrorHandler, sendError, sendInvalid, sendRefusal } from './http-errors.js';
import { parseOr400 } from './validate.js';
import type { Logger } from '../log.js';

export interface HotlineCallbackDeps {
  lifecycle: TicketLifecycle;
  secret?: string;
  /** Remembers signatures already accepted, for the replay window. */
  redis: Redis;
  prefix: string;
  log: Logger;
  now?: () => number;
}

export const HOTLINE_CALLBACK_PATH = '/api/hotline/callback';

export function hotlineCallbackRouter(deps: HotlineCallbackDeps): express.Router {
  const now = deps.now ?? (() => Date.now());
  const r = express.Router();
  // The raw bytes, whatever the content type says: the signature is over exactly what was sent.
  r.post(HOTLINE_CALLBACK_PATH, express.raw({ type: () => true, limit: '64kb' }), async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : undefined;
    const signature = req.get(CALLBACK_HEADERS.signature);
    const timestamp = req.get(CALLBACK_HEADERS.timestamp);
    const v = verify(deps.secret, { signature, timestamp }, body, now());
    if (!v.ok) {
      deps.log.warn({ reason: v.reason, ip: req.ip }, 'hotline callback refused');
      return sendError(res, 401, 'unauthorized', `callback not verified: ${v.reason}`);
    }
    const seenKey = `${deps.prefix}:hotline:callback-seen:${signature}`;
    const redis = deps.redis;
    if (await redis.exists(seenKey)) return sendError(res, 401, 'unauthorized', 'callback not verified: replayed');

    let json: unknown;
    try {
      json = JSON.parse(body!.toString('utf8'));
    } catch {
      return sendInvalid(res, NOT_JSON);
    }
    const cb = parseOr400(res, HotlineCallbackSchema, json, 'body');
    if (!cb) return;
    try {
      const result = await deps.lifecycle.change({
        number: cb.number,
        to: cb.status,
        note: cb.note,
        unit: cb.unit,
        actor: `hotline${cb.actor ? `:${cb.actor}` : ''}`,
        dedupeKey: `hotline:${cb.eventId}`,
        fromHotline: true,
      });
      // Remembered only once applied: a request that failed here may be sent again as it was.
      await redis.set(seenKey, '1', 'EX', REPLAY_WINDOW_SECONDS * 2);
      res.json({ outcome: result.outcome, number: result.ticket.number, status: result.ticket.status });
    } catch (err) {
      if (err instanceof TicketChangeError) return sendRefusal(res, err);
      throw err;
    }
  });
  r.use('/api/hotline', bodyErrorHandler);
  return r;
}
