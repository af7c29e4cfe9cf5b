// POST /api/channels/telegram/webhook through telegraf's `bot.webhookCallback(path, { secretToken })`. The
// update is answered 200 only once its replies are queued or sent; when that cannot happen (Redis down for a
// complaint, Telegram unreachable for an answer) the answer is 503, and Telegram delivers the update again.
//
// What telegraf cannot do here, and is therefore done around it:
// - Check the secret before the body is read, with a size limit. `webhookCallback` checks `secretToken` only
//   after deciding to read the body, and reads an unparsed body with no limit (lib/core/network/webhook.js).
//   So the same constant-time secret check runs first (401, nothing read), then express.json with a limit, and
//   telegraf finds the parsed body in `req.body`.
// - Answer a failed update with a status. `Telegraf.handleUpdate` ends the webhook response in its `finally`
//   (lib/telegraf.js: `if (webhookResponse?.writableEnded === false) webhookResponse.end()`), which runs after
//   `bot.catch` and before the error leaves `webhookCallback`: an error rethrown to express would already have
//   been answered 200, and Telegram would not redeliver an update the intake never took. So `bot.catch`
//   (telegram-bot.ts) answers the failure on the request's own response, found here by the update object.
import type { ServerResponse } from 'node:http';
import express from 'express';
import type { Telegraf } from 'telegraf';
import { IntakeUnavailableError, NormalizationError } from '../../src/core/errors.js';
import { bodyErrorHandler, sendError } from '../../src/http/http-errors.js';
import { invalidPayload, sendInvalid } from '../../src/http/validate.js';
import { ReplyDispatchError } from '../reply-dispatch.js';
import { SECRET_HEADER, checkSecretToken } from './secret-token.js';
import { TELEGRAM_WEBHOOK_PATH } from './telegram-config.js';
import type { Logger } from '../../src/log.js';

/** Updates are small JSON objects; Telegram's largest (long text plus entities) stay well under this. */
const BODY_LIMIT = '256kb';

/** The response of the webhook request each update in flight arrived on (keys: the parsed update objects). */
const responses = new WeakMap<object, ServerResponse>();

export function webhookResponseFor(update: unknown): ServerResponse | undefined {
  return typeof update === 'object' && update !== null ? responses.get(update) : undefined;
}

export function telegramWebhookRouter(bot: Telegraf, secret: string, log: Logger): express.Router {
  const hook = bot.webhookCallback(TELEGRAM_WEBHOOK_PATH, { secretToken: secret });
  const unauthorized = (req: express.Request, res: express.Response, reason = 'wrong_secret_token') => {
    log.warn({ ip: req.ip, reason }, 'telegram webhook request refused');
    sendError(res, 401, 'unauthorized', 'missing or wrong X-Telegram-Bot-Api-Secret-Token');
  };
  const r = express.Router();
  r.post(
    TELEGRAM_WEBHOOK_PATH,
    (req, res, next) => {
      const verified = checkSecretToken(req.headers[SECRET_HEADER], secret);
      return verified.ok ? next() : unauthorized(req, res, verified.reason);
    },
    express.json({ limit: BODY_LIMIT, type: () => true }),
    async (req, res) => {
      if (typeof req.body === 'object' && req.body !== null) responses.set(req.body, res);
      try {
        await hook(req, res, () => unauthorized(req, res));
      } catch (err) {
        // Only what fails before the handlers runs escapes bot.catch: telegraf's getMe on the first update.
        answerWebhookFailure(res, new IntakeUnavailableError(`telegram: ${(err as Error)?.message ?? String(err)}`, 5), log);
      }
    },
  );
  r.use(TELEGRAM_WEBHOOK_PATH, bodyErrorHandler);
  return r;
}

/** What Telegram is told when an update could not be taken: 400 never redelivered, 503 redelivered later. */
export function answerWebhookFailure(res: ServerResponse, err: unknown, log: Logger): void {
  if (res.headersSent) return;
  if (err instanceof NormalizationError) return sendInvalid(res, invalidPayload(err));
  if (err instanceof IntakeUnavailableError || err instanceof ReplyDispatchError) {
    log.warn({ err: err.message }, 'telegram update not taken; Telegram will redeliver it');
    const retryAfter = err instanceof IntakeUnavailableError ? err.retryAfterSeconds : 5;
    res.setHeader('Retry-After', String(retryAfter));
    return sendError(res, 503, 'unavailable', 'the update could not be taken now; redeliver it later');
  }
  log.error({ err: (err as Error)?.message ?? String(err) }, 'telegram update failed');
  sendError(res, 500, 'internal', 'the update could not be handled');
}
