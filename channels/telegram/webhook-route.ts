// POST /api/channels/telegram/webhook. The secret header is checked before the body is even parsed
// (401, nothing stored); the update is handed over and answered 200 only once its replies are queued or
// sent. When that cannot happen (Redis down for a complaint, Telegram unreachable for an answer) the answer
// is 503, and Telegram delivers the update again later.
import express from 'express';
import { IntakeUnavailableError, NormalizationError } from '../../src/core/errors.js';
import { bodyErrorHandler, sendError } from '../../src/http/http-errors.js';
import { ReplyDispatchError } from '../reply-dispatch.js';
import { SECRET_HEADER, secretMatches } from './secret-token.js';
import { TELEGRAM_WEBHOOK_PATH } from './telegram-config.js';
import type { Logger } from '../../src/log.js';

/** Updates are small JSON objects; Telegram's largest (long text plus entities) stay well under this. */
const BODY_LIMIT = '256kb';

export function telegramWebhookRouter(secret: string, handleUpdate: (update: unknown) => Promise<void>, log: Logger): express.Router {
  const r = express.Router();
  r.post(
    TELEGRAM_WEBHOOK_PATH,
    (req, res, next) => {
      if (secretMatches(req.headers[SECRET_HEADER], secret)) return next();
      log.warn({ ip: req.ip }, 'telegram webhook request with a missing or wrong secret token');
      sendError(res, 401, 'unauthorized', 'missing or wrong X-Telegram-Bot-Api-Secret-Token');
    },
    express.json({ limit: BODY_LIMIT, type: () => true }),
    async (req, res) => {
      try {
        await handleUpdate(req.body);
        res.status(200).end();
      } catch (err) {
        if (err instanceof NormalizationError) return sendError(res, 400, 'invalid_update', err.message);
        if (err instanceof IntakeUnavailableError || err instanceof ReplyDispatchError) {
          log.warn({ err: err.message }, 'telegram update not taken; Telegram will redeliver it');
          const retryAfter = err instanceof IntakeUnavailableError ? err.retryAfterSeconds : 5;
          res.setHeader('Retry-After', String(retryAfter));
          return sendError(res, 503, 'unavailable', 'the update could not be taken now; redeliver it later');
        }
        throw err;
      }
    },
  );
  r.use(TELEGRAM_WEBHOOK_PATH, bodyErrorHandler);
  return r;
}
