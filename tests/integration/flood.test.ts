// One sender flooding the web chat is slowed and told so; another sender at the same time is not.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { WebchatCitizen } from '../helpers/webchat-client.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ SENDER_LIMIT_PER_MINUTE: '30' });
});
afterAll(async () => {
  await gw?.stop();
});

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

it('throttles a flooding sender with 429 and a reason, while another sender is unaffected', async () => {
  const flooder = new WebchatCitizen(gw.url);
  const other = new WebchatCitizen(gw.url);
  const timeOther = async () => {
    const t = performance.now();
    const r = await other.say('社保卡丢了怎么补办');
    expect(r.status).toBe(200);
    return performance.now() - t;
  };
  const quiet: number[] = [];
  for (let i = 0; i < 10; i++) quiet.push(await timeOther());

  // 1,000 messages a minute is ~17 a second: send 200 as fast as they go, with the other sender alongside.
  const during: number[] = [];
  const statuses: number[] = [];
  let reason = '';
  let retryAfter = '';
  const flood = (async () => {
    for (let i = 0; i < 200; i++) {
      const r = await flooder.say(`社保卡丢了怎么补办 ${i}`);
      statuses.push(r.status);
      if (r.status === 429) {
        reason = r.body.reason;
        retryAfter = r.headers.get('retry-after') ?? '';
      }
    }
  })();
  const others = (async () => {
    for (let i = 0; i < 15; i++) during.push(await timeOther());
  })();
  await Promise.all([flood, others]);

  expect(statuses.filter((s) => s === 200)).toHaveLength(30);
  expect(statuses.filter((s) => s === 429)).toHaveLength(170);
  expect(reason).toMatch(/太频繁/);
  expect(Number(retryAfter)).toBeGreaterThan(0);
  // The throttled messages were not taken: nothing of them is in the flooder's history beyond the first 30.
  expect((await flooder.history()).filter((m) => m.from === 'citizen')).toHaveLength(30);
  console.log(
    `[flood] other sender p50 ${percentile(quiet, 50).toFixed(1)} ms / p95 ${percentile(quiet, 95).toFixed(1)} ms quiet; ` +
      `p50 ${percentile(during, 50).toFixed(1)} ms / p95 ${percentile(during, 95).toFixed(1)} ms during the flood`,
  );
});
