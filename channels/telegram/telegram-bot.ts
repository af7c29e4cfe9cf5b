// The bot as telegraf users write one: a `Telegraf` whose middleware normalizes each update once into the
// envelope (kept in `ctx.state.message`), then `bot.on('message')` hands a citizen's message to the intake and
// `bot.action` a pressed inline button. Both transports feed this one bot: the webhook through
// `bot.webhookCallback` (webhook-route.ts), polling through `bot.handleUpdate` (poller.ts).
//
// A handler's failure must reach the transport: the webhook answers 4xx/5xx so Telegram redelivers, the poller
// does not confirm the update. `bot.catch` therefore answers the webhook request that carried the update (see
// webhook-route.ts for why it must be answered there) and rethrows everywhere else; telegraf's default handler
// would print to the console and set the process exit code instead.
import { Telegraf, type Context } from 'telegraf';
import type { InboundMessage } from '../../src/core/envelope.js';
import type { Logger } from '../../src/log.js';
import { normalizeUpdate } from './normalize-update.js';
import { answerWebhookFailure, webhookResponseFor } from './webhook-route.js';

export interface TelegramBotOptions {
  token: string;
  apiRoot: string;
  /** Intake and reply dispatch: resolves once the message is durably taken; throws when it could not be. */
  take(message: InboundMessage): Promise<void>;
  /** A pressed button's data back to the payload it stands for (long payloads ride as a key). */
  resolveAction(message: InboundMessage): Promise<InboundMessage>;
  log: Logger;
}

interface BotState {
  message: InboundMessage;
}

export function createTelegramBot(opts: TelegramBotOptions): Telegraf {
  // webhookReply off: every Bot API call is a real request whose failure we see, never folded into the
  // webhook's response body (which the adapter answers itself, once the intake has the update).
  const bot = new Telegraf(opts.token, { telegram: { apiRoot: opts.apiRoot, webhookReply: false } });

  bot.use((ctx, next) => {
    // Throws NormalizationError for a malformed update; undefined for one with nothing to answer.
    const message = normalizeUpdate(ctx.update, new Date());
    if (!message) return;
    (ctx.state as BotState).message = message;
    return next();
  });

  bot.on('message', async (ctx) => {
    await opts.take(stateOf(ctx).message);
  });

  bot.action(/^[\s\S]+$/, async (ctx) => {
    await opts.take(await opts.resolveAction(stateOf(ctx).message));
    // Stops the button's spinner. It expires anyway, so a failure is only logged.
    await ctx.answerCbQuery().catch((err: Error) => opts.log.debug({ err: err.message }, 'answerCallbackQuery failed'));
  });

  bot.catch((err, ctx) => {
    const res = webhookResponseFor(ctx.update);
    if (!res) throw err;
    answerWebhookFailure(res, err, opts.log);
  });
  return bot;
}

function stateOf(ctx: Context): BotState {
  return ctx.state as BotState;
}
