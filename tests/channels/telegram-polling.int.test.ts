// Telegram in long-polling mode (no public URL) against a fake Bot API: updates are fetched with getUpdates,
// confirmed by offset once their replies are queued, and the loop rides out API failures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { waitUntil } from '../helpers/webchat-client.js';
import { FakeTelegramApi } from '../fakes/telegram-api.js';

let fake: FakeTelegramApi;
let gw: TestGateway;
let nextMessageId = 1;

function textUpdate(chatId: number, text: string) {
  const from = { id: chatId, is_bot: false, first_name: '市民' };
  return { message: { message_id: nextMessageId++, from, chat: { id: chatId, type: 'private', first_name: '市民' }, date: Math.floor(Date.now() / 1000), text } };
}

beforeAll(async () => {
  fake = await new FakeTelegramApi().start();
  // A webhook left over from an earlier run in webhook mode: polling must remove it first.
  fake.webhook = { url: 'https://old.example/api/channels/telegram/webhook' };
  gw = await startTestGateway({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.url, TELEGRAM_POLL_TIMEOUT_S: '1' });
});

afterAll(async () => {
  await gw?.stop();
  await fake?.stop();
});

describe('telegram long polling', () => {
  it('removes a leftover webhook, fetches an update, answers it and confirms it', async () => {
    await waitUntil(() => fake.webhook === undefined, 10_000, 'deleteWebhook');
    fake.pushUpdate(textUpdate(2001, '社保卡丢了怎么补办'));
    expect((await fake.waitForSent((m) => m.chatId === '2001')).text).toMatch(/社保卡/);
    await waitUntil(() => fake.pendingUpdates() === 0, 10_000, 'update confirmed by offset');
  });

  it('keeps polling through API failures', async () => {
    fake.failNext('getUpdates', { status: 502, description: 'Bad Gateway' }, { status: 500 });
    await waitUntil(() => fake.callsOf('getUpdates').filter((c) => c.status >= 500).length === 2, 10_000, 'two failed polls');
    fake.pushUpdate(textUpdate(2002, '你好'));
    expect((await fake.waitForSent((m) => m.chatId === '2002', 20_000)).text).toMatch(/您好/);
  });

  it('takes a complaint through to its ticket number', async () => {
    fake.pushUpdate(textUpdate(2003, '朝阳区望京街道有个饭馆油烟太大了，熏得开不了窗，投诉'));
    await fake.waitForSent((m) => m.chatId === '2003' && /请确认/.test(m.text));
    fake.pushUpdate(textUpdate(2003, '确认'));
    const confirmation = await fake.waitForSent((m) => m.chatId === '2003' && /\d{8}-\d{6}/.test(m.text));
    const { items } = await gw.gateway.services.store.list({ senderId: '2003' });
    expect(items).toHaveLength(1);
    expect(confirmation.text).toContain(items[0].number);
  });

  it('stops promptly while a long poll is waiting', async () => {
    const started = Date.now();
    await gw.gateway.services.channels.get('telegram').stop();
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
