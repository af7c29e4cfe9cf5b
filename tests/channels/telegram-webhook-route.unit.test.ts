// The Telegram webhook on its own: telegraf's webhookCallback behind the secret check, with a scripted intake,
// and what Telegram is answered for each outcome of handing an update over.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramBot } from '../../channels/telegram/telegram-bot.js';
import { telegramWebhookRouter } from '../../channels/telegram/webhook-route.js';
import { ReplyDispatchError } from '../../channels/reply-dispatch.js';
import type { InboundMessage } from '../../src/core/envelope.js';
import { IntakeUnavailableError } from '../../src/core/errors.js';
import { createLogger } from '../../src/log.js';
import { postUpdate } from '../fakes/telegram-api.js';

const SECRET = 'route-secret-0123456789';
let server: Server | undefined;

const textUpdate = (text: string) => ({
  update_id: 1,
  message: { message_id: 7, date: 1_764_300_000, chat: { id: 1001, type: 'private' }, from: { id: 1001, is_bot: false, first_name: '市民' }, text },
});

async function serve(take: (m: InboundMessage) => Promise<void>, apiRoot = 'http://127.0.0.1:1'): Promise<string> {
  const log = createLogger('silent');
  const bot = createTelegramBot({ token: '7000000001:AAHfakeFAKEfakeFAKEfakeFAKEfake01', apiRoot, take, resolveAction: async (m) => m, log });
  bot.botInfo = { id: 7000000001, is_bot: true, first_name: '12345', username: 'Beijing12345Bot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };
  const app = express();
  app.use(telegramWebhookRouter(bot, SECRET, log));
  server = createServer(app);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(): Promise<void> {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
}

afterEach(close);

describe('telegram webhook route', () => {
  it('checks the secret before reading the body, then hands the update to the bot', async () => {
    const taken: InboundMessage[] = [];
    const url = await serve(async (m) => void taken.push(m));
    expect((await postUpdate(url, '{not json', 'wrong-secret-0123456789')).status).toBe(401);
    expect((await postUpdate(url, textUpdate('你好'), undefined)).status).toBe(401);
    expect((await postUpdate(url, textUpdate('你好'), SECRET)).status).toBe(200);
    expect(taken.map((m) => [m.id, m.text])).toEqual([['telegram:1001:7', '你好']]);
  });

  it('acknowledges an update with nothing to answer without calling the intake', async () => {
    let calls = 0;
    const url = await serve(async () => void calls++);
    expect((await postUpdate(url, { update_id: 1, edited_message: {} }, SECRET)).status).toBe(200);
    expect(calls).toBe(0);
  });

  it('answers 200 only after the intake took the update', async () => {
    let release!: () => void;
    const url = await serve(() => new Promise<void>((r) => (release = r)));
    let answered = false;
    const post = postUpdate(url, textUpdate('你好'), SECRET).then((r) => ((answered = true), r));
    await new Promise((r) => setTimeout(r, 200));
    expect(answered).toBe(false);
    release();
    expect((await post).status).toBe(200);
  });

  it('answers 503 with Retry-After when the update could not be taken, so Telegram redelivers it', async () => {
    for (const err of [new IntakeUnavailableError('redis down', 7), new ReplyDispatchError('neither queued nor sent')]) {
      const url = await serve(async () => {
        throw err;
      });
      const r = await postUpdate(url, textUpdate('你好'), SECRET);
      expect(r.status).toBe(503);
      expect(r.headers['retry-after']).toBe(err instanceof IntakeUnavailableError ? '7' : '5');
      await close();
    }
  });

  it('answers 400 invalid_request naming the field of an update that cannot be read, and takes nothing', async () => {
    let calls = 0;
    const url = await serve(async () => void calls++);
    const r = await postUpdate(url, { update_id: 1, message: { message_id: 'x', chat: {} } }, SECRET);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ error: 'invalid_request', field: 'message_id', reason: expect.stringMatching(/^telegram message: message_id: /) });
    const notJson = await postUpdate(url, '{"update_id": ', SECRET);
    expect([notJson.status, JSON.parse(notJson.body)]).toEqual([400, { error: 'invalid_request', field: 'body', reason: 'body: is not valid JSON' }]);
    expect(calls).toBe(0);
  });

  it('answers 503 when telegraf cannot learn who the bot is (getMe unreachable)', async () => {
    const log = createLogger('silent');
    const bot = createTelegramBot({ token: '7000000001:AAHfakeFAKEfakeFAKEfakeFAKEfake01', apiRoot: 'http://127.0.0.1:1', take: async () => {}, resolveAction: async (m) => m, log });
    const app = express();
    app.use(telegramWebhookRouter(bot, SECRET, log));
    server = createServer(app);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const r = await postUpdate(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, textUpdate('你好'), SECRET);
    expect(r.status).toBe(503);
  });
});
