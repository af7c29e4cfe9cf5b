// The Telegram channel: a telegraf bot (telegram-bot.ts) fed by its webhook (TELEGRAM_WEBHOOK_URL set,
// webhook-route.ts) or by long polling under the poller's leadership (poller.ts); each update is normalized
// into an envelope and handed to the intake, and acknowledged to Telegram only once that is durable. Every
// reply — the immediate ones and the later ticket number, feedback and return visit — leaves through send(),
// which splits long text, turns quick replies into an inline keyboard and keeps to Telegram's rate limits.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Telegraf } from 'telegraf';
import type { Update, UserFromGetMe } from 'telegraf/types';
import type { ChannelAdapter, ChannelContext as StartContext } from '../../src/core/channel-adapter.js';
import type { Address, InboundMessage, Reply } from '../../src/core/envelope.js';
import type { Logger } from '../../src/log.js';
import { ReplyDispatch } from '../reply-dispatch.js';
import type { ChannelContext } from '../shared/channel-context.js';
import { CallbackData } from './callback-data.js';
import { inlineKeyboard } from './inline-keyboard.js';
import { FILE_REF_PREFIX, normalizeUpdate } from './normalize-update.js';
import { ChannelApiError } from '../../src/core/errors.js';
import { TelegramPoller } from './poller.js';
import { SendLimiter } from './send-limiter.js';
import { splitText } from './split-text.js';
import { TelegramApi } from './telegram-api.js';
import { createTelegramBot } from './telegram-bot.js';
import type { TelegramConfig } from './telegram-config.js';
import { telegramWebhookRouter } from './webhook-route.js';

/** The longest wait for the per-chat slot between two parts of one reply (the per-chat interval, plus slack). */
const PART_WAIT_MS = 1500;

export class TelegramAdapter implements ChannelAdapter {
  readonly name = 'telegram' as const;
  readonly bot: Telegraf;
  private readonly api: TelegramApi;
  private readonly limiter: SendLimiter;
  private readonly callbackData: CallbackData;
  private readonly log: Logger;
  private readonly stopping = new AbortController();
  private dispatch?: ReplyDispatch;
  private intake?: StartContext['intake'];
  private poller?: TelegramPoller;
  private background: Promise<void>[] = [];

  constructor(
    private readonly config: TelegramConfig,
    private readonly ctx: ChannelContext,
  ) {
    this.log = ctx.log.child({ channel: 'telegram' });
    this.bot = createTelegramBot({
      token: config.token,
      apiRoot: config.apiRoot,
      take: (message) => this.take(message),
      resolveAction: (message) => this.resolveAction(message),
      log: this.log,
    });
    this.api = new TelegramApi(this.bot.telegram);
    // Updates are taken even while Telegram's API is unreachable (the intake needs only Redis): until getMe
    // answers, the bot knows itself from its token, whose first part is its user id; only the username (used
    // for /command@name in groups, which this bot does not serve) is missing.
    this.bot.botInfo = provisionalIdentity(config.token);
    // Limiter and callback data are skipped rather than waited on when Redis is down (short deadlines on the
    // shared fail-fast client).
    this.limiter = new SendLimiter(ctx.redis.client, ctx.prefix);
    this.callbackData = new CallbackData(ctx.redis.client, ctx.prefix);
  }

  async start(start: StartContext): Promise<void> {
    this.intake = start.intake;
    this.dispatch = new ReplyDispatch({ queue: start.outbound, send: (to, r) => this.send(to, r), log: this.log });
    await this.dispatch.ready();
    this.inBackground('telegram getMe', () => this.identify());
    const { webhook } = this.config;
    if (webhook) {
      start.router.use(telegramWebhookRouter(this.bot, webhook.secret, this.log));
      this.inBackground('telegram setWebhook', async () => {
        await this.api.setWebhook(webhook.url, webhook.secret);
        this.log.info({ url: webhook.url }, 'telegram webhook registered');
      });
    } else {
      this.poller = new TelegramPoller({
        api: this.api,
        handleUpdate: (update) => this.bot.handleUpdate(update as Update),
        log: this.log,
        leadership: start.leadership,
        timeoutSeconds: this.config.pollTimeoutSeconds,
      });
      this.poller.start();
    }
    this.log.info({ mode: webhook ? 'webhook' : 'polling' }, 'telegram channel started');
  }

  /** intake → replies queued (or sent). Throws what the webhook and the poller turn into "deliver it again". */
  private async take(message: InboundMessage): Promise<void> {
    if (!this.intake || !this.dispatch) throw new Error('telegram: an update arrived before start()');
    const result = await this.intake.handle(message);
    await this.dispatch.dispatch(message, result.replies);
  }

  /** A button whose payload was too long for Telegram carries a key; this swaps the payload back in. */
  private async resolveAction(message: InboundMessage): Promise<InboundMessage> {
    if (message.action === undefined) return message;
    const action = await this.callbackData.decode(message.action);
    if (action === undefined) {
      // Expired key: the button's label still goes to the intake as text.
      const { action: _expired, ...rest } = message;
      return rest;
    }
    return { ...message, action };
  }

  /** Photos and documents arrive as file ids (FILE_REF_PREFIX); Telegram serves the file by id for a long time. */
  async fetchAttachment(ref: string): Promise<Buffer> {
    if (!ref.startsWith(FILE_REF_PREFIX)) throw new ChannelApiError(`not a Telegram file reference: ${ref}`, 400);
    return this.api.downloadFile(ref.slice(FILE_REF_PREFIX.length));
  }

  async send(to: Address, reply: Reply): Promise<void> {
    const chatId = to.conversationId;
    const parts = splitText(reply.text);
    await this.ctx.redis.ready();
    // The keyboard goes under the last part, where the question is.
    const keyboard = reply.quickReplies?.length ? await inlineKeyboard(reply.quickReplies, (p) => this.callbackData.encode(p)) : undefined;
    const first = reply.id ? await this.ctx.deliveredParts.partsSent(this.name, reply.id) : 0;
    for (let i = first; i < parts.length; i++) {
      // The first part may wait in the queue; later ones wait here, so a split reply stays together.
      await this.limiter.acquire(chatId, i === first ? 0 : PART_WAIT_MS);
      await this.api.sendMessage(chatId, parts[i], i === parts.length - 1 ? keyboard : undefined);
      if (reply.id) await this.ctx.deliveredParts.markSent(this.name, reply.id, i + 1);
    }
  }

  /**
   * Tells the bot who it is, replacing the provisional identity. telegraf would otherwise ask getMe on the first
   * update and keep a failed answer (`botInfoCall`, lib/telegraf.js), failing every later update.
   */
  private async identify(): Promise<void> {
    this.bot.botInfo = await this.api.getMe();
  }

  /** Runs `task` in the background, retried with backoff until it succeeds or the adapter stops. */
  private inBackground(what: string, task: () => Promise<void>): void {
    const run = async () => {
      for (let attempt = 0; !this.stopping.signal.aborted; attempt++) {
        try {
          return await task();
        } catch (err) {
          const waitMs = Math.min(60_000, 1000 * 2 ** attempt);
          this.log.error({ err: (err as Error).message, retryInMs: waitMs }, `${what} failed`);
          // Rejects only when stopping aborts the wait.
          await sleep(waitMs, undefined, { signal: this.stopping.signal }).catch(() => {});
        }
      }
    };
    this.background.push(run());
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.poller?.stop();
    await Promise.all(this.background);
  }
}

/** The bot as far as its token tells (`<bot user id>:<secret>`), until getMe answers. */
function provisionalIdentity(token: string): UserFromGetMe {
  return {
    id: Number(token.split(':')[0]) || 0,
    is_bot: true,
    first_name: '12345',
    username: '',
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
  };
}
