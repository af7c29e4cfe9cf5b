// Slack's three request URLs, under /api/channels/slack/: events (Events API), interactivity (button
// presses) and commands (the slash command). Every request is verified over its raw bytes before anything
// is parsed (401 otherwise, nothing stored). A message is acknowledged only once the intake has made it
// durable and its replies are queued — fast, since nothing waits on Slack's API in the request path — and
// within Slack's 3-second budget: a request that cannot be taken in time gets a 503, Slack retries it, and
// the retry is recognized by its message id.
import express from 'express';
import { IntakeUnavailableError, NormalizationError, VerificationError } from '../../src/core/errors.js';
import type { InboundMessage } from '../../src/core/envelope.js';
import { PHRASES } from '../../src/core/replies.js';
import { bodyErrorHandler, sendError } from '../../src/http/http-errors.js';
import type { Logger } from '../../src/log.js';
import { ReplyDispatchError } from '../reply-dispatch.js';
import { normalizeBlockActions, normalizeCommand, normalizeEvent } from './normalize.js';
import { UrlVerificationSchema } from './payload-schema.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySlackRequest } from './request-signature.js';
import type { SlackConfig } from './slack-config.js';

export const SLACK_BASE_PATH = '/api/channels/slack';

/** Slack gives up on a request after 3 s; leave room for the network. */
const ACK_BUDGET_MS = 2500;

export interface SlackRouteDeps {
  config: SlackConfig;
  /** Hands a message to the intake and queues its replies; throws when it could not be made durable. */
  take(message: InboundMessage): Promise<void>;
  log: Logger;
  now?: () => Date;
}

type Outcome = 'taken' | 'unavailable';

export function slackRouter(deps: SlackRouteDeps): express.Router {
  const { config, log } = deps;
  const now = deps.now ?? (() => new Date());
  const r = express.Router();
  const raw = (limit: string) => express.raw({ type: () => true, limit });

  const verify: express.RequestHandler = (req, res, next) => {
    try {
      verifySlackRequest({
        secret: config.signingSecret,
        rawBody: req.body,
        signature: req.headers[SIGNATURE_HEADER],
        timestamp: req.headers[TIMESTAMP_HEADER],
        windowSeconds: config.replayWindowSeconds,
        nowMs: now().getTime(),
      });
      next();
    } catch (err) {
      if (!(err instanceof VerificationError)) throw err;
      log.warn({ ip: req.ip, reason: err.message }, 'slack request failed verification');
      sendError(res, 401, 'unauthorized', err.message);
    }
  };

  /** Runs take() within the ack budget. A late take() keeps running; its retry is deduplicated. */
  const takeWithin = async (message: InboundMessage): Promise<Outcome> => {
    const work = deps.take(message).then(
      (): Outcome => 'taken',
      (err: Error): Outcome => {
        if (err instanceof IntakeUnavailableError || err instanceof ReplyDispatchError) {
          log.warn({ err: err.message, messageId: message.id }, 'slack message not taken; Slack will retry');
          return 'unavailable';
        }
        throw err;
      },
    );
    let timer: NodeJS.Timeout | undefined;
    let answered = false;
    const late = new Promise<Outcome>((resolve) => {
      timer = setTimeout(() => {
        answered = true;
        resolve('unavailable');
      }, ACK_BUDGET_MS);
    });
    // Once Slack has had its answer, a late failure has no request left to fail: it is logged here.
    work.catch((err: Error) => answered && log.error({ err: err.message, messageId: message.id }, 'slack message failed after the ack budget'));
    try {
      return await Promise.race([work, late]);
    } finally {
      clearTimeout(timer);
    }
  };

  const unavailable = (res: express.Response) => {
    res.setHeader('Retry-After', '5');
    sendError(res, 503, 'unavailable', 'the message could not be taken now; retry it');
  };

  /** A payload Slack will keep sending unchanged: say why, and ask Slack not to retry it. */
  const invalid = (res: express.Response, err: NormalizationError) => {
    res.setHeader('X-Slack-No-Retry', '1');
    sendError(res, 400, 'invalid_payload', err.message);
  };

  r.post(`${SLACK_BASE_PATH}/events`, raw('1mb'), verify, async (req, res) => {
    let body: unknown;
    try {
      body = JSON.parse((req.body as Buffer).toString('utf8'));
    } catch {
      return sendError(res, 400, 'malformed_json', 'the request body is not valid JSON');
    }
    const challenge = UrlVerificationSchema.safeParse(body);
    if (challenge.success) return res.json({ challenge: challenge.data.challenge });
    if ((body as { type?: unknown } | null)?.type !== 'event_callback') return res.status(200).end();
    let message: InboundMessage | undefined;
    try {
      message = normalizeEvent(body);
    } catch (err) {
      if (err instanceof NormalizationError) return invalid(res, err);
      throw err;
    }
    if (!message) return res.status(200).end();
    if (req.headers['x-slack-retry-num']) log.debug({ messageId: message.id, retry: req.headers['x-slack-retry-num'], reason: req.headers['x-slack-retry-reason'] }, 'slack retry');
    if ((await takeWithin(message)) === 'unavailable') return unavailable(res);
    res.status(200).end();
  });

  r.post(`${SLACK_BASE_PATH}/commands`, raw('64kb'), verify, async (req, res) => {
    const form = Object.fromEntries(new URLSearchParams((req.body as Buffer).toString('utf8')));
    // Slack checks the certificate of a command URL now and then with ssl_check=1.
    if (form.ssl_check) return res.status(200).end();
    let message: InboundMessage;
    try {
      message = normalizeCommand(form, config.command, now());
    } catch (err) {
      if (err instanceof NormalizationError) return sendError(res, 400, 'invalid_command', err.message);
      throw err;
    }
    // The user sees these ephemeral lines where they typed the command; the answers go to the app's DM.
    if ((await takeWithin(message)) === 'unavailable') return res.json({ response_type: 'ephemeral', text: PHRASES.zh.unavailable });
    res.json({ response_type: 'ephemeral', text: '已收到，答复将发送到您与本应用的私信中。' });
  });

  r.post(`${SLACK_BASE_PATH}/interactivity`, raw('1mb'), verify, async (req, res) => {
    let payload: unknown;
    try {
      payload = JSON.parse(new URLSearchParams((req.body as Buffer).toString('utf8')).get('payload') ?? '');
    } catch {
      return sendError(res, 400, 'malformed_payload', 'the payload field is missing or not valid JSON');
    }
    if ((payload as { type?: unknown } | null)?.type !== 'block_actions') return res.status(200).end();
    let message: InboundMessage | undefined;
    try {
      message = normalizeBlockActions(payload, now());
    } catch (err) {
      if (err instanceof NormalizationError) return sendError(res, 400, 'invalid_payload', err.message);
      throw err;
    }
    if (!message) return res.status(200).end();
    if ((await takeWithin(message)) === 'unavailable') return unavailable(res);
    res.status(200).end();
  });

  r.use(SLACK_BASE_PATH, bodyErrorHandler);
  return r;
}
