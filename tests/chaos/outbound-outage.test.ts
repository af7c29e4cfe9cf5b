// The platform API down for a minute: complaints are still acknowledged (the webhook needs only Redis), their
// confirmations wait in `outbound`, and once the API is back each is delivered exactly once.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { FakeTelegramApi, postUpdate } from '../fakes/telegram-api.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { waitUntil } from '../helpers/webchat-client.js';

const SECRET = 'outage-webhook-secret-0123456789';
const OUTAGE_MS = Number(process.env.OUTAGE_MS ?? 60_000);
const N = 40;

let telegram: FakeTelegramApi;
let proxy: TcpProxy;
let gw: TestGateway;

beforeAll(async () => {
  telegram = await new FakeTelegramApi().start();
  proxy = await TcpProxy.to(telegram.url);
  gw = await startTestGateway({
    CONFIRM_COMPLAINTS: '0',
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: proxy.url(),
    TELEGRAM_WEBHOOK_URL: 'https://hotline.example.gov.cn/api/channels/telegram/webhook',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
  });
});
afterAll(async () => {
  await gw?.stop();
  await proxy?.close();
  await telegram?.stop();
});

it(`delivers every confirmation once after the platform API was down for ${OUTAGE_MS / 1000} s`, { timeout: OUTAGE_MS + 180_000 }, async () => {
  proxy.down();
  const started = Date.now();
  for (let i = 0; i < N; i++) {
    const chat = 880_000 + i;
    const update = { update_id: 300_000 + i, message: { message_id: 10 + i, date: Math.floor(Date.now() / 1000), chat: { id: chat, type: 'private' }, from: { id: chat, is_bot: false, first_name: '市民' }, text: `丰台区卢沟桥街道的路灯坏了好几天了（${i}）` } };
    const r = await postUpdate(gw.url, update, SECRET);
    expect(r.status).toBe(200);
  }
  await waitUntil(async () => (await gw.gateway.services.store.count()) === N, 30_000, 'tickets');
  await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - started))));
  expect(telegram.sent.filter((m) => /\d{8}-\d{6}/.test(m.text))).toEqual([]);
  proxy.restore();
  const restored = Date.now();

  const { items } = await gw.gateway.services.store.list({ limit: 500 });
  const numbers = items.map((t) => t.number);
  await waitUntil(() => numbers.every((n) => telegram.sent.some((m) => m.text.includes(n))), 90_000, 'all confirmations delivered');
  await new Promise((r) => setTimeout(r, 3000));
  for (const t of items) {
    const withNumber = telegram.sent.filter((m) => m.text.includes(t.number));
    expect(withNumber, t.number).toHaveLength(1);
    expect(withNumber[0].chatId).toBe(t.conversationId);
  }
  console.log(`[outage] ${N} confirmations held for ${((restored - started) / 1000).toFixed(0)} s, all delivered ${((Date.now() - restored) / 1000).toFixed(1)} s after the API came back, once each`);
});
