// The Telegram channel: updates arrive by webhook (TELEGRAM_WEBHOOK_URL set) or long polling, are normalized
// into envelopes and handed to the intake; every reply — the immediate ones and the later ticket number,
// feedback and return visit — leaves through send(), which splits long text, turns quick replies into an
// inline keyboard and keeps to Telegram's rate limits.
import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChannelAdapter, ChannelContext } from '../../src/core/channel-adapter.js';
import type { Address, InboundMessage, Reply } from '../../src/core/envelope.js';
import type { Logger } from '../../src/log.js';
import { ReplyDispatch } from '../reply-dispatch.js';
import { CallbackData } from './callback-data.js';
import { DeliveryProgress } from './delivery-progress.js';
import { inlineKeyboard } from './inline-keyboard.js';
import { FILE_REF_PREFIX, normalizeUpdate } from './normalize-update.js';
import { ChannelApiError } from '../../src/core/errors.js';
import { TelegramPoller } from './poller.js';
import { SendLimiter } from './send-limiter.js';
import { splitText } from './split-text.js';
import { TelegramApi } from './telegram-api.js';
import type { TelegramConfig } from './telegram-config.js';
import { telegramWebhookRouter } from './webhook-route.js';

export interface TelegramAdapterOptions {
  config: TelegramConfig;
  redisUrl: string;
  prefix: string;
  log: Logger;
}

const CALLBACK_ID_PREFIX = 'telegram:cb:';
/** The longest wait for the per-chat slot between two parts of one reply (the per-chat interval, plus slack). */
const PART_WAIT_MS = 1500;

export class TelegramAdapter implements ChannelAdapter {
  readonly name = 'telegram' as const;
  private readonly api: TelegramApi;
  private readonly redis: Redis;
  private readonly limiter: SendLimiter;
  private readonly callbackData: CallbackData;
  private readonly progress: DeliveryProgress;
  private readonly stopping = new AbortController();
  private dispatch?: ReplyDispatch;
  private poller?: TelegramPoller;
  private webhookRegistration?: Promise<void>;

  constructor(private readonly opts: TelegramAdapterOptions) {
    this.api = new TelegramApi(opts.config.token, opts.config.apiRoot);
    // Limiter and bookkeeping are skipped rather than waited on when Redis is down: every call has a short
    // deadline and a command fails after one failed reconnect. The offline queue stays on so that a send()
    // right after construction (a worker's first job) waits for the connection instead of failing.
    this.redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 1, retryStrategy: (n) => Math.min(n * 200, 2000) });
    this.redis.on('error', () => {});
    this.limiter = new SendLimiter(this.redis, opts.prefix);
    this.callbackData = new CallbackData(this.redis, opts.prefix);
    this.progress = new DeliveryProgress(this.redis, opts.prefix);
  }

  async start(ctx: ChannelContext): Promise<void> {
    const log = ctx.log;
    this.dispatch = new ReplyDispatch({ redisUrl: this.opts.redisUrl, prefix: this.opts.prefix, send: (to, r) => this.send(to, r), log });
    await this.dispatch.ready();
    const handle = (update: unknown) => this.handleUpdate(ctx, update);
    const { webhook } = this.opts.config;
    if (webhook) {
      ctx.router.use(telegramWebhookRouter(webhook.secret, handle, log));
      this.webhookRegistration = this.registerWebhook(webhook.url, webhook.secret, log);
    } else {
      this.poller = new TelegramPoller({ api: this.api, handleUpdate: handle, log, leadership: ctx.leadership, timeoutSeconds: this.opts.config.pollTimeoutSeconds });
      this.poller.start();
    }
    log.info({ mode: webhook ? 'webhook' : 'polling' }, 'telegram channel started');
  }

  /** normalize → intake → replies queued (or sent). Throws what the webhook/poller turn into "retry later". */
  private async handleUpdate(ctx: ChannelContext, update: unknown): Promise<void> {
    const normalized = normalizeUpdate(update, new Date());
    if (!normalized) return;
    const message = await this.resolveAction(normalized);
    const result = await ctx.intake.handle(message);
    await this.dispatch!.dispatch(message, result.replies);
    if (message.id.startsWith(CALLBACK_ID_PREFIX)) {
      // Stops the button's spinner. It expires anyway, so a failure is only logged.
      await this.api.answerCallbackQuery(message.id.slice(CALLBACK_ID_PREFIX.length)).catch((err: Error) => ctx.log.debug({ err: err.message }, 'answerCallbackQuery failed'));
    }
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
    // The keyboard goes under the last part, where the question is.
    const keyboard = reply.quickReplies?.length ? await inlineKeyboard(reply.quickReplies, (p) => this.callbackData.encode(p)) : undefined;
    const first = reply.id ? await this.progress.partsSent(reply.id) : 0;
    for (let i = first; i < parts.length; i++) {
      // The first part may wait in the queue; later ones wait here, so a split reply stays together.
      await this.limiter.acquire(chatId, i === first ? 0 : PART_WAIT_MS);
      await this.api.sendMessage(chatId, parts[i], i === parts.length - 1 ? keyboard : undefined);
      if (reply.id) await this.progress.markSent(reply.id, i + 1);
    }
  }

  /** setWebhook, retried in the background: the gateway starts even while Telegram is unreachable. */
  private async registerWebhook(url: string, secret: string, log: Logger): Promise<void> {
    for (let attempt = 0; !this.stopping.signal.aborted; attempt++) {
      try {
        await this.api.setWebhook(url, secret);
        log.info({ url }, 'telegram webhook registered');
        return;
      } catch (err) {
        const waitMs = Math.min(60_000, 1000 * 2 ** attempt);
        log.error({ err: (err as Error).message, retryInMs: waitMs }, 'telegram setWebhook failed');
        await sleep(waitMs, undefined, { signal: this.stopping.signal }).catch(() => {});
      }
    }
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.poller?.stop();
    await this.webhookRegistration;
    await this.dispatch?.close();
    this.redis.disconnect();
  }
}
