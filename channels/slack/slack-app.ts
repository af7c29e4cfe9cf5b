// Slack's three request URLs, under /api/channels/slack/ — events (Events API), interactivity (button presses)
// and commands (the slash command) — as a Bolt App on an ExpressReceiver whose router the gateway mounts.
//
// - Bolt verifies every request's signature over its raw bytes before anything is parsed, and answers 401
//   with an empty body otherwise; it answers url_verification and ssl_check itself, after verification.
// - processBeforeResponse: the listener runs before Slack is answered, so a message is acknowledged only once
//   the intake has made it durable and its replies are queued (ack-budget.ts keeps that within Slack's 3 s).
//   Slack's retries (X-Slack-Retry-Num) go through like first deliveries: the intake recognizes the message id.
// - A request that must not be answered 200 leaves its listener as a SlackRefusal, written by
//   processEventErrorHandler; any other error there was thrown by Bolt reading a payload it could not make
//   sense of (App.processEvent reads `body.event`, `body.user.team_id` … before any listener): a 400
//   invalid_request naming the body, as a payload the normalizer refuses is one naming its field.
//
// What Bolt (5.1, node_modules/@slack/bolt/dist) does not do, and is therefore not done:
// - Its replay window is fixed at 5 minutes and only looks back (receivers/ExpressReceiver.js:396-397,
//   `const fiveMinutesAgo = Math.floor(Date.now() / 1000) - 60 * 5; if (ts < fiveMinutesAgo)`): it cannot be
//   configured, and a timestamp from the future passes (it must still be signed with our secret).
// - Its 401 has no body (receivers/ExpressReceiver.js:367, `res.status(401).send()`), unlike the API's other
//   errors; Slack reads only the status.
// - Its 400 for a signed body it cannot parse (a JSON body or a form's `payload` that is not JSON) has no body
//   either (receivers/ExpressReceiver.js:371, `res.status(400).send()`; :354 for a body it could not read). That
//   answer is written by the body-parsing middleware that precedes requestHandler on the route
//   (ExpressReceiver.js:127-139: `[bodyParser, respondToSslCheck, respondToUrlVerification, requestHandler]`),
//   and none of the receiver's hooks sees it: customPropertiesExtractor and processEventErrorHandler run inside
//   requestHandler (:243, :253), unhandledRequestHandler only for a request never acknowledged, and
//   dispatchErrorHandler only on the OAuth routes (:197, :217). The middleware is a module function, not a
//   method a subclass could override, so this one 400 stays bodiless short of wrapping express's res.send.
//   Only a request signed with our secret reaches it (the signature is checked first), i.e. Slack itself,
//   which reads only the status.
// - A payload of a kind it has no listener type for is never acknowledged (App.js:408-411, "Could not determine
//   the type of an incoming event" → `return` before ack()), and the receiver would hold the request until its
//   3-second timer answers 404 (receivers/HTTPResponseAck.js:72, HTTPModuleFunctions.js defaultUnhandled-
//   RequestHandler); SlackReceiver answers such a request 200 at once, as it does a button it has no listener for.
import { App, ExpressReceiver } from '@slack/bolt';
import type { Request, Response, Router } from 'express';
import { NormalizationError } from '../../src/core/errors.js';
import type { InboundMessage } from '../../src/core/envelope.js';
import { PHRASES } from '../../src/core/replies.js';
import { invalidPayload } from '../../src/http/validate.js';
import type { Logger } from '../../src/log.js';
import { takeWithin } from './ack-budget.js';
import { normalizeBlockActions, normalizeCommand, normalizeEvent } from './normalize.js';
import { slackClientOptions } from './slack-api.js';
import type { SlackConfig } from './slack-config.js';
import { slackLogger } from './slack-logger.js';
import { SlackRefusal } from './slack-refusal.js';

const SLACK_BASE_PATH = '/api/channels/slack';
export const SLACK_ENDPOINTS = {
  events: `${SLACK_BASE_PATH}/events`,
  interactivity: `${SLACK_BASE_PATH}/interactivity`,
  commands: `${SLACK_BASE_PATH}/commands`,
};

export interface SlackAppDeps {
  config: SlackConfig;
  /** Hands a message to the intake and queues its replies; throws when it could not be made durable. */
  take(message: InboundMessage): Promise<void>;
  log: Logger;
  now?: () => Date;
}

export interface SlackApp {
  app: App;
  /** The receiver's router: POST routes at SLACK_ENDPOINTS, mounted at the server root. */
  router: Router;
}

/** An ExpressReceiver that answers 200 when Bolt found nothing to acknowledge (see the header). */
class SlackReceiver extends ExpressReceiver {
  override async requestHandler(req: Request, res: Response): Promise<void> {
    await super.requestHandler(req, res);
    if (!res.headersSent) res.status(200).end();
  }
}

export function createSlackApp(deps: SlackAppDeps): SlackApp {
  const { config, log } = deps;
  const now = deps.now ?? (() => new Date());

  const receiver = new SlackReceiver({
    signingSecret: config.signingSecret,
    endpoints: SLACK_ENDPOINTS,
    processBeforeResponse: true,
    bodyLimit: '1mb',
    logger: slackLogger(log, 'warn'),
    processEventErrorHandler: async ({ error, response }) => {
      if (response.headersSent) return false;
      const cause = (error as { original?: unknown }).original ?? error;
      if (cause instanceof SlackRefusal) cause.send(response);
      else SlackRefusal.invalid({ field: 'body', reason: `body: could not be read: ${(cause as Error)?.message ?? String(cause)}` }).send(response);
      return true;
    },
    // Only reached for requests already answered (SlackReceiver, a refusal): there is nothing left to say.
    unhandledRequestHandler: ({ response }) => {
      if (!response.headersSent) response.writeHead(404).end();
    },
  });

  const app = new App({
    receiver,
    // One workspace, one bot token: no auth.test round trip on start or per request, so taking a message
    // never waits on Slack's API. The token travels with each outbound call (slack-api.ts).
    authorize: async () => ({ botToken: config.token }),
    // The normalizer drops every bot message, this app's own echoes included.
    ignoreSelf: false,
    convoStore: false,
    logger: slackLogger(log, 'debug'),
    clientOptions: slackClientOptions(config.apiUrl),
  });
  // Errors go on to the receiver's processEventErrorHandler as they are; refusals are logged where thrown.
  app.error(async (error) => {
    throw error;
  });

  /** take() within the ack budget; anything but "taken" leaves as a SlackRefusal. */
  const takeOrRefuse = async (message: InboundMessage): Promise<'taken' | 'unavailable'> => {
    try {
      return await takeWithin(deps.take, message, log);
    } catch (err) {
      log.error({ err, messageId: message.id }, 'slack message failed');
      throw SlackRefusal.failed();
    }
  };

  const readOrRefuse = <T>(read: () => T, refuse: (err: NormalizationError) => SlackRefusal): T => {
    try {
      return read();
    } catch (err) {
      if (err instanceof NormalizationError) throw refuse(err);
      throw err;
    }
  };

  // Events are acknowledged by Bolt before the listener runs; with processBeforeResponse the 200 waits for it.
  const onEvent = async ({ body, context }: { body: unknown; context: { retryNum?: number; retryReason?: string } }) => {
    const message = readOrRefuse(
      () => normalizeEvent(body),
      (err) => SlackRefusal.invalid(invalidPayload(err), true),
    );
    if (!message) return;
    if (context.retryNum) log.debug({ messageId: message.id, retry: context.retryNum, reason: context.retryReason }, 'slack retry');
    if ((await takeOrRefuse(message)) === 'unavailable') throw SlackRefusal.unavailable();
  };
  app.event('message', onEvent);
  app.event('app_mention', onEvent);

  // Every command is read, so another one configured to this URL is refused rather than left unanswered.
  app.command(/.*/, async ({ body, ack }) => {
    const message = readOrRefuse(
      () => normalizeCommand(body, config.command, now()),
      (err) => SlackRefusal.invalid(invalidPayload(err)),
    );
    // The user sees these ephemeral lines where they typed the command; the answers go to the app's DM.
    if ((await takeOrRefuse(message)) === 'unavailable') return ack({ response_type: 'ephemeral', text: PHRASES.zh.unavailable });
    await ack({ response_type: 'ephemeral', text: '已收到，答复将发送到您与本应用的私信中。' });
  });

  app.action({ type: 'block_actions' }, async ({ body, ack }) => {
    const message = readOrRefuse(
      () => normalizeBlockActions(body, now()),
      (err) => SlackRefusal.invalid(invalidPayload(err)),
    );
    if (message && (await takeOrRefuse(message)) === 'unavailable') throw SlackRefusal.unavailable();
    await ack();
  });

  return { app, router: receiver.router as Router };
}
