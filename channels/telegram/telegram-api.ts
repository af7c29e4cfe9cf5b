// The Bot API calls the adapter makes, through telegraf's client (which speaks the real HTTP protocol to
// TELEGRAM_API_ROOT). Every failure leaves here as a ChannelApiError the outbound worker understands:
// 429 carries the wait Telegram asked for, 5xx and network errors are retried, other 4xx are permanent.
import { Telegram, TelegramError } from 'telegraf';
import { ChannelApiError } from '../../src/core/errors.js';
import { downloadImage } from '../../src/photos/download.js';

/** One row of inline-keyboard buttons, each carrying callback data (1–64 bytes). */
export type KeyboardRow = { text: string; callback_data: string }[];

/** Update kinds the bot asks Telegram for; everything else is never delivered. */
const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

export class TelegramApi {
  private readonly client: Telegram;

  constructor(token: string, apiRoot: string) {
    // webhookReply off: every call is a real request whose failure we see.
    this.client = new Telegram(token, { apiRoot, webhookReply: false });
  }

  async sendMessage(chatId: string, text: string, keyboard?: KeyboardRow[]): Promise<void> {
    await this.call('sendMessage', () =>
      this.client.sendMessage(chatId, text, {
        link_preview_options: { is_disabled: true },
        ...(keyboard ? { reply_markup: { inline_keyboard: keyboard } } : {}),
      }),
    );
  }

  /** Stops the spinner on a pressed button. */
  async answerCallbackQuery(id: string): Promise<void> {
    await this.call('answerCallbackQuery', () => this.client.answerCbQuery(id));
  }

  async setWebhook(url: string, secret: string): Promise<void> {
    await this.call('setWebhook', () => this.client.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] }));
  }

  /** Polling and a webhook exclude each other: getUpdates answers 409 while a webhook is set. */
  async deleteWebhook(): Promise<void> {
    await this.call('deleteWebhook', () => this.client.deleteWebhook({ drop_pending_updates: false }));
  }

  /** One long poll. Confirms every update before `offset`; aborting `signal` ends the wait at once. */
  async getUpdates(offset: number, timeoutSeconds: number, signal: AbortSignal): Promise<unknown[]> {
    return this.call('getUpdates', () =>
      this.client.callApi(
        'getUpdates',
        { offset, timeout: timeoutSeconds, allowed_updates: [...ALLOWED_UPDATES] },
        // telegraf types the signal with the abort-controller polyfill; Node's own is what it passes on.
        { signal: signal as unknown as NonNullable<Parameters<Telegram['callApi']>[2]>['signal'] },
      ),
    );
  }

  /** A file's bytes: getFile for its path, then the download URL telegraf builds from it (under the API root). */
  async downloadFile(fileId: string): Promise<Buffer> {
    const link = await this.call('getFile', () => this.client.getFileLink(fileId));
    return downloadImage(link.toString());
  }

  private async call<T>(method: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toChannelApiError(err, method);
    }
  }
}

export function toChannelApiError(err: unknown, method: string): ChannelApiError {
  if (err instanceof TelegramError) {
    const status = err.code;
    const retryAfterS = err.parameters?.retry_after;
    const message = `telegram ${method}: ${err.message}`;
    if (status === 429) return new ChannelApiError(message, 429, 429, (retryAfterS ?? 1) * 1000);
    return new ChannelApiError(message, status, status);
  }
  // Network errors (refused, reset, DNS): no status, so the worker retries with backoff.
  return new ChannelApiError(`telegram ${method}: ${(err as Error)?.message ?? String(err)}`);
}
