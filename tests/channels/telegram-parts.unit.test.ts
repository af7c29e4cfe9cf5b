// The Telegram adapter's small parts: configuration, the webhook secret check, splitting long replies,
// inline keyboards and what a failed Bot API call becomes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TelegramError } from 'telegraf';
import { loadTelegramConfig } from '../../channels/telegram/telegram-config.js';
import { checkSecretToken } from '../../channels/telegram/secret-token.js';
import { splitText, TELEGRAM_MAX_MESSAGE } from '../../channels/telegram/split-text.js';
import { inlineKeyboard } from '../../channels/telegram/inline-keyboard.js';
import { toChannelApiError } from '../../channels/telegram/telegram-api.js';
import { ConfigError } from '../../src/config.js';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

describe('telegram configuration', () => {
  it('is off without variables, polls with a token, uses a webhook with URL and secret', () => {
    expect(loadTelegramConfig({})).toBeUndefined();
    expect(loadTelegramConfig({ TELEGRAM_BOT_TOKEN: '' })).toBeUndefined();
    expect(loadTelegramConfig({ TELEGRAM_BOT_TOKEN: TOKEN })).toEqual({ token: TOKEN, apiRoot: 'https://api.telegram.org', pollTimeoutSeconds: 25 });
    const hook = loadTelegramConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_URL: 'https://12345.example.gov.cn/api/channels/telegram/webhook', TELEGRAM_WEBHOOK_SECRET: 's3cret-s3cret-s3cret' });
    expect(hook?.webhook).toEqual({ url: 'https://12345.example.gov.cn/api/channels/telegram/webhook', secret: 's3cret-s3cret-s3cret' });
  });

  it('refuses a half or wrong configuration with every reason', () => {
    expect(() => loadTelegramConfig({ TELEGRAM_BOT_TOKEN: 'nope' })).toThrow(ConfigError);
    expect(() => loadTelegramConfig({ TELEGRAM_WEBHOOK_URL: 'https://x.example/hook' })).toThrow(/TELEGRAM_BOT_TOKEN/);
    expect(() => loadTelegramConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_URL: 'https://x.example/hook' })).toThrow(/TELEGRAM_WEBHOOK_SECRET is required/);
    expect(() => loadTelegramConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_URL: 'http://x.example/hook', TELEGRAM_WEBHOOK_SECRET: 's3cret-s3cret-s3cret' })).toThrow(/https/);
  });
});

describe('telegram webhook secret', () => {
  it('matches only the exact secret', () => {
    expect(checkSecretToken('s3cret-s3cret-s3cret', 's3cret-s3cret-s3cret')).toEqual({ ok: true });
    for (const wrong of [undefined, '', 's3cret-s3cret-s3cre', 's3cret-s3cret-s3crett', ['s3cret-s3cret-s3cret']]) {
      expect(checkSecretToken(wrong as string | undefined, 's3cret-s3cret-s3cret').ok).toBe(false);
    }
  });
});

describe('splitting long replies', () => {
  it('leaves short text alone', () => {
    expect(splitText('您好')).toEqual(['您好']);
  });

  it('cuts at line breaks, then sentence ends, and loses nothing', () => {
    const para = '办理须知。'.repeat(300);
    const text = [para, para, para, para].join('\n');
    const parts = splitText(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(TELEGRAM_MAX_MESSAGE);
    expect(parts.join('\n')).toBe(text);
    const noBreaks = '社保卡补办请携带身份证到就近网点办理。'.repeat(400);
    const sentences = splitText(noBreaks);
    expect(sentences.every((p) => p.endsWith('。'))).toBe(true);
    expect(sentences.join('')).toBe(noBreaks);
  });

  it('keeps every part within the limit and never splits a surrogate pair', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 20_000 }), (text) => {
        const parts = splitText(text, 500);
        for (const p of parts) {
          expect(p.length).toBeLessThanOrEqual(500);
          expect(/^[\uDC00-\uDFFF]/.test(p) || /[\uD800-\uDBFF]$/.test(p)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('inline keyboards', () => {
  const encode = async (p: string) => (Buffer.byteLength(p) <= 64 ? p : '#key');

  it('puts short labels in one row and long ones in a row each', async () => {
    const short = await inlineKeyboard(
      [
        { label: '满意', payload: 'rate:20261128-000123:satisfied' },
        { label: '不满意', payload: 'rate:20261128-000123:unsatisfied' },
      ],
      encode,
    );
    expect(short).toEqual([[{ text: '满意', callback_data: 'rate:20261128-000123:satisfied' }, { text: '不满意', callback_data: 'rate:20261128-000123:unsatisfied' }]]);
    const long = await inlineKeyboard([{ label: '社保卡丢失如何补办', payload: 'faq:' + 'x'.repeat(80) }, { label: '社保卡如何激活', payload: 'faq:b' }], encode);
    expect(long).toEqual([[{ text: '社保卡丢失如何补办', callback_data: '#key' }], [{ text: '社保卡如何激活', callback_data: 'faq:b' }]]);
  });
});

describe('bot API errors', () => {
  it('carries the wait of a 429, retries 5xx and network errors, gives up on other 4xx', () => {
    const limited = toChannelApiError(new TelegramError({ error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } }), 'sendMessage');
    expect(limited).toMatchObject({ status: 429, retryAfterMs: 7000 });
    expect(toChannelApiError(new TelegramError({ error_code: 502, description: 'Bad Gateway' }), 'sendMessage')).toMatchObject({ status: 502, retryAfterMs: undefined });
    expect(toChannelApiError(new TelegramError({ error_code: 403, description: 'Forbidden: bot was blocked by the user' }), 'sendMessage')).toMatchObject({ status: 403 });
    expect(toChannelApiError(new Error('connect ECONNREFUSED'), 'sendMessage')).toMatchObject({ status: undefined });
  });
});
