// The fan-service message push: GET is Weibo's one-time URL check (echo `echostr`), POST delivers private
// messages and events as JSON. Both are verified from the query string before anything else is read; a
// forged request gets 401 and changes nothing. The signature does not cover the body, so a signed query seen
// before with another body is a replay and gets 401 too (replay-guard.ts); with the same body it is Weibo's
// retry and is answered as before. A message becomes an envelope in the sender's private
// conversation and is handed to the intake; the answer goes out later through messages/reply.json, so the
// push itself is answered with an empty body (Weibo's "no passive reply"). When the intake cannot take the
// message the answer is 503, and Weibo pushes it again.
import express from 'express';
import { IntakeUnavailableError, NormalizationError } from '../../src/core/errors.js';
import type { InboundMessage } from '../../src/core/envelope.js';
import { bodyErrorHandler, sendError } from '../../src/http/http-errors.js';
import { invalidPayload, sendInvalid } from '../../src/http/validate.js';
import type { Logger } from '../../src/log.js';
import type { ReplayGuard } from '../replay-guard.js';
import { normalizePush, parsePush } from './normalize.js';
import { verifyPushSignature } from './push-signature.js';
import { WEIBO_PUSH_PATH } from './weibo-config.js';

export interface PushRouteDeps {
  appSecret: string | undefined;
  /** Pushes addressed to another account are refused (a secret shared between apps must not cross over). */
  accountUid: string | undefined;
  /** intake + reply dispatch; throws IntakeUnavailableError when the message could not be taken. */
  handle(message: InboundMessage): Promise<void>;
  /** Remembers each signed query with its body's digest for the replay window. */
  replays: ReplayGuard;
  log: Logger;
}

type RawBodyRequest = express.Request & { rawBody?: Buffer };

export function weiboPushRouter(deps: PushRouteDeps): express.Router {
  const r = express.Router();
  const verified: express.RequestHandler = (req, res, next) => {
    const verification = verifyPushSignature(deps.appSecret, req.query);
    if (!verification.ok) {
      deps.log.warn({ ip: req.ip, reason: verification.reason }, 'weibo push with a bad or missing signature refused');
      return sendError(res, 401, 'bad_signature', 'signature, timestamp or nonce missing, stale or wrong');
    }
    next();
  };

  r.get(WEIBO_PUSH_PATH, verified, (req, res) => {
    const echo = req.query.echostr;
    if (typeof echo !== 'string' || echo.length > 256) return sendInvalid(res, { field: 'echostr', reason: 'echostr: is missing or longer than 256 characters' });
    res.type('text/plain').send(echo);
  });

  // The raw bytes are kept for the replay check: the body exactly as signed URL and body arrived together.
  const json = express.json({ limit: '64kb', type: () => true, verify: (req, _res, buf) => void ((req as RawBodyRequest).rawBody = buf) });
  r.post(WEIBO_PUSH_PATH, verified, json, async (req, res) => {
    const unavailable = () => sendError(res, 503, 'unavailable', 'the message could not be taken; push it again');
    try {
      const { signature, timestamp, nonce } = req.query as Record<string, string>;
      const verdict = await deps.replays.check({ signature, timestamp, nonce }, (req as RawBodyRequest).rawBody ?? Buffer.alloc(0));
      if (verdict === 'replay') {
        deps.log.warn({ ip: req.ip }, 'weibo push replayed with another body refused');
        return sendError(res, 401, 'replayed', 'this signature was already used with another message');
      }
    } catch (err) {
      if (!(err instanceof IntakeUnavailableError)) throw err;
      deps.log.warn({ err: err.message }, 'weibo push not taken: replay check unavailable');
      res.setHeader('Retry-After', String(err.retryAfterSeconds));
      return unavailable();
    }
    let message: InboundMessage | undefined;
    try {
      const push = parsePush(req.body);
      if (deps.accountUid && push.receiver_id !== deps.accountUid) return sendError(res, 403, 'wrong_receiver', 'push for another account');
      message = normalizePush(push, new Date());
    } catch (err) {
      if (err instanceof NormalizationError) return sendInvalid(res, invalidPayload(err));
      throw err;
    }
    if (message) {
      try {
        await deps.handle(message);
      } catch (err) {
        if (err instanceof IntakeUnavailableError) {
          res.setHeader('Retry-After', String(err.retryAfterSeconds));
          return unavailable();
        }
        deps.log.error({ err: (err as Error).message, id: message.id }, 'weibo push not handled');
        return unavailable();
      }
    }
    res.type('text/plain').send('');
  });
  r.use(WEIBO_PUSH_PATH, bodyErrorHandler);
  return r;
}
