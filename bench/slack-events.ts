// Signed Events API posts to the Slack request URL of a real gateway (Redis, PostgreSQL, workers, the fake
// Web API): per-request latency from Slack's side, the durable intake included, one request at a time.
// `node bin/run-ts.mjs bench/slack-events.ts [count]`; prints p50/p90/p99 in milliseconds.
import { startTestGateway } from '../tests/helpers/gateway.js';
import { FakeSlackApi, SlackSender } from '../tests/fakes/slack-api.js';
import { FAQ_TEXTS } from './texts.js';

const SECRET = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const count = Number(process.argv[2] ?? 200);
const warmup = 20;

const fake = await new FakeSlackApi().start();
const gw = await startTestGateway({
  SLACK_BOT_TOKEN: fake.token,
  SLACK_SIGNING_SECRET: SECRET,
  SLACK_API_URL: fake.url,
  SENDER_LIMIT_PER_MINUTE: '1000000',
  IP_LIMIT_PER_MINUTE: '1000000',
});
const slack = new SlackSender(gw.url, SECRET);
let ts = 1_764_600_000;

async function post(i: number): Promise<number> {
  const user = `U0BEN${String(i).padStart(5, '0')}`;
  const channel = `D0BEN${String(i).padStart(5, '0')}`;
  const t = `${ts++}.000100`;
  const body = {
    type: 'event_callback',
    event_id: `Ev${i}`,
    team_id: 'T0J1F6H2K',
    event: { type: 'message', channel_type: 'im', user, channel, text: FAQ_TEXTS[i % FAQ_TEXTS.length], ts: t },
  };
  const started = process.hrtime.bigint();
  const r = await slack.event(body);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 200) throw new Error(`post ${i}: ${r.status} ${JSON.stringify(r.body)}`);
  return ms;
}

try {
  for (let i = 0; i < warmup; i++) await post(i);
  const times: number[] = [];
  for (let i = warmup; i < warmup + count; i++) times.push(await post(i));
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2);
  console.log(`slack events: ${count} signed posts, p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`);
} finally {
  await gw.stop();
  await fake.stop();
}
process.exit(0);
