// Redis not answering: a complaint must not be acknowledged (503 + Retry-After, so the widget retries),
// while FAQ answers keep working; once Redis is back, the same message id goes through.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { PrivateRedis } from '../helpers/processes.js';
import { WebchatCitizen, waitUntil } from '../helpers/webchat-client.js';

let redis: PrivateRedis;
let gw: TestGateway;

beforeAll(async () => {
  redis = await PrivateRedis.start();
  gw = await startTestGateway({ REDIS_URL: redis.url, CONFIRM_COMPLAINTS: '0' });
});
afterAll(async () => {
  await redis.start().catch(() => {});
  await gw?.stop();
  await redis.kill();
});

it('answers FAQs and refuses complaints with 503 while Redis is down, then recovers', async () => {
  const c = new WebchatCitizen(gw.url);
  await redis.kill();

  const complaint = await c.say('丰台区卢沟桥街道我家小区门口的井盖丢了好几天了', 'complaint-while-down-1');
  expect(complaint.status).toBe(503);
  expect(Number(complaint.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(complaint.body.reason).toMatch(/retry/);

  const started = Date.now();
  const faq = await c.say('社保卡丢了怎么补办');
  expect(faq.status).toBe(200);
  expect(faq.body.replies[0].kind).toBe('answer');
  expect(Date.now() - started).toBeLessThan(2000);

  const ready = await fetch(`${gw.url}/readyz`);
  expect(ready.status).toBe(503);

  await redis.start();
  await waitUntil(async () => (await c.say('丰台区卢沟桥街道我家小区门口的井盖丢了好几天了', 'complaint-while-down-1')).status === 200, 20_000, 'complaint accepted');
  await waitUntil(async () => (await gw.gateway.services.store.list({ senderId: c.sessionId })).total === 1, 20_000, 'ticket row');
});
