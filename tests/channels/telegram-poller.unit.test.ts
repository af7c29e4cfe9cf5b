// The poller with the telegraf bot as its handler, against the fake Bot API: an update the intake could not
// take is not confirmed and comes again (telegraf's own polling would confirm it: see poller.ts), updates of
// one batch are taken in order, one at a time.
import { afterEach, describe, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import { TelegramPoller } from '../../channels/telegram/poller.js';
import { TelegramApi } from '../../channels/telegram/telegram-api.js';
import { createTelegramBot } from '../../channels/telegram/telegram-bot.js';
import type { InboundMessage } from '../../src/core/envelope.js';
import { IntakeUnavailableError } from '../../src/core/errors.js';
import { createLogger } from '../../src/log.js';
import { FakeTelegramApi } from '../fakes/telegram-api.js';
import { waitUntil } from '../helpers/webchat-client.js';

const log = createLogger('silent');
const leadAlways = { lead: (_role: string, lead: (s: AbortSignal) => Promise<void>, stop: AbortSignal) => lead(stop) };
let fake: FakeTelegramApi | undefined;
let poller: TelegramPoller | undefined;

afterEach(async () => {
  await poller?.stop();
  await fake?.stop();
});

const text = (chatId: number, messageId: number, body: string) => ({
  message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private' }, from: { id: chatId, is_bot: false, first_name: '市民' }, text: body },
});

async function start(take: (m: InboundMessage) => Promise<void>): Promise<FakeTelegramApi> {
  fake = await new FakeTelegramApi().start();
  const bot = createTelegramBot({ token: fake.token, apiRoot: fake.url, take, resolveAction: async (m) => m, log });
  const api = new TelegramApi(bot.telegram);
  poller = new TelegramPoller({ api, handleUpdate: (u) => bot.handleUpdate(u as Update), log, leadership: leadAlways, timeoutSeconds: 1, backoffMs: { min: 50, max: 200 } });
  poller.start();
  return fake;
}

describe('telegram poller through the bot', () => {
  it('does not confirm an update the intake could not take, and takes it when it comes again', async () => {
    const taken: string[] = [];
    let failures = 1;
    const f = await start(async (m) => {
      if (failures-- > 0) throw new IntakeUnavailableError('redis down');
      taken.push(m.id);
    });
    f.pushUpdate(text(3001, 1, '投诉'));
    await waitUntil(() => taken.length === 1, 10_000, 'taken on the second poll');
    expect(taken).toEqual(['telegram:3001:1']);
    await waitUntil(() => f.pendingUpdates() === 0, 10_000, 'confirmed once taken');
  });

  it('takes the updates of one batch in order, one at a time', async () => {
    const order: string[] = [];
    let inFlight = 0;
    let overlap = false;
    const f = await start(async (m) => {
      overlap ||= ++inFlight > 1;
      await new Promise((r) => setTimeout(r, 30));
      order.push(m.text);
      inFlight--;
    });
    for (const [i, body] of ['一', '二', '三'].entries()) f.pushUpdate(text(3002, 10 + i, body));
    await waitUntil(() => order.length === 3, 10_000, 'all taken');
    expect(order).toEqual(['一', '二', '三']);
    expect(overlap).toBe(false);
  });
});
