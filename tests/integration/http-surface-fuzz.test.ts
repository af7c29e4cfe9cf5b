// Every route of the HTTP surface under generated input (fast-check): web chat, the channels' webhooks (signed
// as their platforms sign, so the fuzz gets past verification), the partner API, the hotline callback, the
// tickets API, the console and mentions APIs, reports and exports, the queues board. The route list is read
// from the app's own router, so a new route is fuzzed without editing this file. For every request: never a
// 5xx; and a 4xx stored nothing (ticket and ticket-event rows, Redis keys under the gateway's prefix).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { sql } from 'drizzle-orm';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { TEST_REDIS_URL } from '../helpers/databases.js';
import { listRoutes, openLazyRoutes, type RouteInfo } from '../helpers/routes.js';
import { ticketInput } from '../helpers/ticket-input.js';
import { FakeTelegramApi } from '../fakes/telegram-api.js';
import { FakeSlackApi, signSlackRequest, SIGNATURE_HEADER as SLACK_SIGNATURE, TIMESTAMP_HEADER as SLACK_TIMESTAMP } from '../fakes/slack-api.js';
import { FakeWechatApi } from '../fakes/wechat-api.js';
import { FakeWeiboApi } from '../fakes/weibo-api.js';
import { FakePartner } from '../fakes/partner-callback.js';
import { DEFAULT_KB_PATH } from '../../src/nlu/index.js';
import { queryRows } from '../../src/reports/sql-rows.js';
import { sign as signHotline } from '../../src/tickets/hotline-signature.js';
import { CALLBACK_HEADERS } from '../../src/tickets/hotline-contract.js';
import { signedHeaders as partnerHeaders } from '../../channels/api/hmac-signature.js';
import { SECRET_HEADER as TELEGRAM_SECRET_HEADER } from '../../channels/telegram/secret-token.js';
import { wechatSignature } from '../../channels/wechat/signature.js';
import { pushSignature } from '../../channels/weibo/push-signature.js';

/** Runs per route: enough to hit every field with every kind of bad value now and then, within two minutes. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const HOTLINE_SECRET = 'hotline-shared-secret-fuzz-0123456';
const SLACK_SECRET = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const TELEGRAM_SECRET = 'telegram-webhook-secret-fuzz-0123';
const WECHAT_TOKEN = 'wechatFuzzToken01';
const WEIBO_SECRET = 'weibo-app-secret-fuzz-01';

let gw: TestGateway;
let redis: Redis;
let dir: string;
let ticketNumber = '';
let routes: RouteInfo[] = [];
const fakes = { telegram: new FakeTelegramApi(), slack: new FakeSlackApi(), wechat: new FakeWechatApi(), weibo: new FakeWeiboApi(), partner: new FakePartner() };

beforeAll(async () => {
  await Promise.all(Object.values(fakes).map((f) => f.start()));
  dir = mkdtempSync(join(tmpdir(), 'jiesu-fuzz-'));
  const kbPath = join(dir, 'faq.yaml');
  // The knowledge base is seeded from a copy of the repository's.
  copyFileSync(DEFAULT_KB_PATH, kbPath);
  // Every accepted knowledge-base change is measured on the eval cases first; a few keep the fuzz quick.
  const casesPath = join(dir, 'cases.jsonl');
  writeFileSync(casesPath, ['{"text":"社保卡丢了怎么挂失","expect":"social-card-loss"}', '{"text":"你好","expect":"chitchat"}'].join('\n'));
  gw = await startTestGateway(
    fakes.weibo.gatewayEnv({
      // No workers: nothing changes the rows or keys between a request and the counts taken around it.
      RUN_WORKERS: '0',
      SPIKE_CHECK_MS: '0',
      KB_PATH: kbPath,
      KB_EVAL_CASES: casesPath,
      SENDER_LIMIT_PER_MINUTE: '1000000',
      IP_LIMIT_PER_MINUTE: '1000000',
      HOTLINE_SECRET,
      API_PARTNERS: JSON.stringify([fakes.partner.config()]),
      SLACK_BOT_TOKEN: fakes.slack.token,
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_API_URL: fakes.slack.url,
      TELEGRAM_BOT_TOKEN: fakes.telegram.token,
      TELEGRAM_API_ROOT: fakes.telegram.url,
      TELEGRAM_WEBHOOK_URL: 'https://jiesu.example.gov.cn/api/channels/telegram/webhook',
      TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
      WECHAT_TOKEN,
      WECHAT_APP_ID: fakes.wechat.appId,
      WECHAT_APP_SECRET: fakes.wechat.appSecret,
      WECHAT_API_BASE: fakes.wechat.url,
      WEIBO_APP_SECRET: WEIBO_SECRET,
      WEIBO_POLL_MS: '3600000',
    }),
  );
  redis = new Redis(TEST_REDIS_URL);
  ticketNumber = (await gw.gateway.services.store.createFromMessage(ticketInput())).ticket.number;
  await openLazyRoutes(gw);
  routes = listRoutes(gw.gateway.app);
}, 180_000);

afterAll(async () => {
  redis?.disconnect();
  await gw?.stop();
  await Promise.all(Object.values(fakes).map((f) => f.stop()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ---- what is stored -------------------------------------------------------------------------------------

// The guards' own records are written for refused requests too, by design: flood-limit counters (an abuser is
// throttled whatever they send), failed-credential counters (the lockout counts failures) and the replay guard's
// seen signatures (a signed URL is used once, whatever body it first came with).
const COUNTS_REFUSED = /:(limit|auth-failures|wechat:replay|weibo:replay):/;

async function stored(): Promise<{ tickets: number; events: number; keys: string[] }> {
  const [row] = await queryRows<{ t: number; e: number }>(
    gw.gateway.services.database.db,
    sql`select (select count(*)::int from tickets) as t, (select count(*)::int from ticket_events) as e`,
  );
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${gw.prefix}:*`, 'COUNT', 1000);
    keys.push(...batch.filter((k) => !COUNTS_REFUSED.test(k)));
    cursor = next;
  } while (cursor !== '0');
  return { tickets: Number(row.t), events: Number(row.e), keys: keys.sort() };
}

// ---- generated input ------------------------------------------------------------------------------------

const HOSTILE = [
  '\u0000', 'a\u0000b', '\uD800', 'x\uDFFFy', '\uFFFE', '\u202e', '9'.repeat(400), '1e309', '-1', '0', '1.5', 'NaN', 'Infinity',
  '2026-02-30', '275760-09-13', '0001-01-01', '9999-12-31', '2026-03-01', '2026-03-10', '2026-03-01T08:00:00+08:00', '',
  ' ', 'true', 'null', '[]', '{}', '=HYPERLINK("http://evil/")', '+1+1', '../../etc/passwd', '<x/>', '井'.repeat(3000),
];
/** Values routes expect somewhere, so generated input sometimes gets past the first check. */
const PLAUSIBLE = [
  'dispatched', 'in_progress', 'resolved', 'returned', 'rejected', 'received', 'visited', 'webchat', 'weibo', 'api', 'telegram',
  'fuzz-session-0001', 'm-00000001', '卢沟桥街道办事处', '丰台区', '卢沟桥街道', 'greening', '7d', 'zh', 'street', 'unit', 'all', 'text',
  'daily', 'tickets', 'failed', 'admin',
];
const FIELDS = [
  'sessionId', 'messageId', 'text', 'action', 'status', 'note', 'unit', 'actor', 'eventId', 'number', 'occurredAt', 'channel',
  'conversationId', 'operator', 'id', 'topic', 'questions', 'answer', 'lang', 'category', 'tier', 'sender', 'location',
  'attachments', 'user', 'password', 'token', 'next', '_csrf', 'payload', 'type', 'event', 'update_id', 'message',
  'callback_query', 'challenge', 'command', 'name', 'data', 'delay', 'priority', 'concurrency', 'from', 'to', 'date',
  'district', 'street', 'q', 'limit', 'offset', 'page', 'size', 'table', 'top', 'by', 'show', 'overdue', 'echostr',
];

const text = fc.oneof(fc.constantFrom(...HOSTILE), fc.constantFrom(...PLAUSIBLE), fc.constant(() => ticketNumber).map((f) => f()), fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 8 }));
const fieldName = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...FIELDS) }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) });
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'value' },
    text,
    fc.constantFrom(0, -1, 1.5, 2 ** 53 + 1, 1e308, -1e308, true, false, null),
    fc.integer(),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fieldName, tie('value'), { maxKeys: 3 }),
  ),
}));

/** A query string value, percent-encoded; some are encodings no well-formed text has. */
const queryValue = fc.oneof(
  { weight: 6, arbitrary: text.map((s) => encodeURIComponent(s.toWellFormed())) },
  { weight: 1, arbitrary: fc.constantFrom('%00', '%FF', '%ED%A0%80', '%E4%B8', '%', '%zz', '+') },
);
const query = fc.array(fc.tuple(fieldName.map(encodeURIComponent), queryValue), { maxLength: 5 });

const xmlEscape = (s: string) => s.replace(/[<>&]/g, (c) => `&#${c.charCodeAt(0)};`);
type Body = { type: string; raw: string };
const body: fc.Arbitrary<Body> = fc.oneof(
  { weight: 5, arbitrary: fc.dictionary(fieldName, value, { maxKeys: 6 }).map((o) => ({ type: 'application/json', raw: JSON.stringify(o) })) },
  { weight: 1, arbitrary: value.map((v) => ({ type: 'application/json', raw: JSON.stringify(v) ?? 'null' })) },
  { weight: 1, arbitrary: fc.constantFrom('{"limit": 1e999}', '{"a":', '\u0000', '[[[[[[[[]]]]]]]]', '{"text": "\\ud800"}').map((raw) => ({ type: 'application/json', raw })) },
  {
    weight: 1,
    arbitrary: fc.dictionary(fieldName, text, { maxKeys: 5 }).map((o) => ({ type: 'application/x-www-form-urlencoded', raw: new URLSearchParams(Object.entries(o).map(([k, v]) => [k, v.toWellFormed()])).toString() })),
  },
  {
    weight: 1,
    arbitrary: fc.dictionary(fc.constantFrom('ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'Content', 'MsgId', 'Event', 'EventKey', 'Encrypt'), text, { maxKeys: 6 })
      .map((o) => ({ type: 'text/xml', raw: `<xml>${Object.entries(o).map(([k, v]) => `<${k}><![CDATA[${xmlEscape(v.toWellFormed())}]]></${k}>`).join('')}</xml>` })),
  },
);

/** A path parameter: ids the app has, names its routes know, and hostile segments. */
const segment = fc.oneof(
  fc.constantFrom('daily', 'weekly.csv', 'monthly.md', 'daily.json', 'tickets', 'outbound', 'failed', 'completed', 'fuzz-session-0001', '20261128-000123', 'faq-unknown'),
  fc.constant(() => ticketNumber).map((f) => f()),
  fc.constantFrom('%00', '%FF', '%ED%A0%80', '..', '%2F', 'a'.repeat(300), '%', '%E4%B8'),
  fc.string({ maxLength: 10 }).map((s) => encodeURIComponent(s.toWellFormed()) || 'x'),
);

// ---- signing, as each platform does, so that the fuzz reaches past verification -------------------------

const now = () => String(Math.floor(Date.now() / 1000));
const nonce = () => String(Math.floor(Math.random() * 1e9));
type Signed = { query: [string, string][]; headers: Record<string, string> };
const SIGNATURE_PARAMS = new Set(['signature', 'timestamp', 'nonce', 'msg_signature']);
const withQuerySignature = (q: [string, string][], sig: (ts: string, n: string) => string): [string, string][] => {
  const ts = now();
  const n = nonce();
  return [...q.filter(([k]) => !SIGNATURE_PARAMS.has(k)), ['signature', sig(ts, n)], ['timestamp', ts], ['nonce', n]];
};
const SIGNERS: [RegExp, (q: [string, string][], raw: string) => Signed][] = [
  [/^\/api\/hotline\/callback$/, (query, raw) => {
    const ts = now();
    return { query, headers: { [CALLBACK_HEADERS.timestamp]: ts, [CALLBACK_HEADERS.signature]: signHotline(HOTLINE_SECRET, ts, raw) } };
  }],
  [/^\/api\/channels\/api\//, (query, raw) => ({ query, headers: partnerHeaders(fakes.partner.id, fakes.partner.secret, raw) })],
  [/^\/api\/channels\/slack\//, (query, raw) => {
    const ts = now();
    return { query, headers: { [SLACK_TIMESTAMP]: ts, [SLACK_SIGNATURE]: signSlackRequest(SLACK_SECRET, ts, raw) } };
  }],
  [/^\/api\/channels\/telegram\//, (query) => ({ query, headers: { [TELEGRAM_SECRET_HEADER]: TELEGRAM_SECRET } })],
  [/^\/api\/channels\/wechat/, (query) => ({ query: withQuerySignature(query, (ts, n) => wechatSignature([WECHAT_TOKEN, ts, n])), headers: {} })],
  [/^\/api\/channels\/weibo\/push/, (query) => ({ query: withQuerySignature(query, (ts, n) => pushSignature(WEIBO_SECRET, ts, n)), headers: {} })],
];

interface Attempt {
  path: string[];
  query: [string, string][];
  body: Body;
}

async function send(route: RouteInfo, a: Attempt): Promise<{ status: number; text: string; url: string }> {
  let i = 0;
  const path = route.path.replace(/:\w+|\*\w+/g, () => a.path[i++ % a.path.length]);
  const hasBody = !['GET', 'HEAD', 'DELETE'].includes(route.method);
  const raw = hasBody ? a.body.raw : '';
  const signer = SIGNERS.find(([re]) => re.test(route.path))?.[1];
  const signed = signer ? signer(a.query, raw) : { query: a.query, headers: {} };
  const qs = signed.query.map(([k, v]) => `${k}=${v}`).join('&');
  const url = `${gw.url}${path}${qs ? `?${qs}` : ''}`;
  const res = await fetch(url, {
    method: route.method,
    redirect: 'manual',
    // The admin bearer token opens every console and API route; the Origin is the console's own.
    headers: { authorization: `Bearer ${gw.adminToken}`, origin: gw.url, ...(hasBody ? { 'content-type': a.body.type } : {}), ...signed.headers },
    body: hasBody ? raw : undefined,
  });
  const shown = `${url.slice(0, 300)}${hasBody ? ` ${a.body.type} ${raw.slice(0, 200)}` : ''}`;
  return { status: res.status, text: (await res.text()).slice(0, 300), url: shown };
}

const attempt = fc.record({ path: fc.array(segment, { minLength: 3, maxLength: 3 }), query, body });

describe('the HTTP surface under generated input', () => {
  it('lists the routes from the app itself, channels and console included', () => {
    const paths = new Set(routes.map((r) => `${r.method} ${r.path}`));
    for (const p of ['POST /api/webchat/messages', 'POST /api/channels/api/messages', 'POST /api/hotline/callback', 'GET /api/tickets', 'GET /api/admin/tickets.csv', 'GET /api/admin/reports/:file', 'POST /api/channels/slack/events', 'POST /api/channels/telegram/webhook', 'POST /api/channels/wechat', 'POST /api/channels/weibo/push', 'GET /api/admin/mentions'])
      expect(paths, p).toContain(p);
  });

  it('answers every route without a 5xx, and a 4xx stores nothing', async () => {
    // What start-up writes in the background (the microblog poller's first round, webhook registration) is done first.
    let last = await stored();
    for (let settled = 0, i = 0; settled < 3 && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const now = await stored();
      settled = JSON.stringify(now) === JSON.stringify(last) ? settled + 1 : 0;
      last = now;
    }
    const failures: string[] = [];
    /** The statuses each route answered: a route that only ever said 401/403 was never fuzzed past its door. */
    const statuses = new Map<string, Set<number>>();
    for (const route of routes) {
      const seen = new Set<number>();
      statuses.set(`${route.method} ${route.path}`, seen);
      const result = await fc.check(
        fc.asyncProperty(attempt, async (a) => {
          // What is stored after each request is what the next one starts from: one count per request.
          const before = last;
          const r = await send(route, a);
          seen.add(r.status);
          last = await stored();
          if (r.status >= 500) throw new Error(`${route.method} ${r.url} → ${r.status} ${r.text}`);
          if (r.status >= 400) {
            const after = last;
            const added = after.keys.filter((k) => !before.keys.includes(k));
            const removed = before.keys.filter((k) => !after.keys.includes(k));
            if (after.tickets !== before.tickets || after.events !== before.events || added.length || removed.length)
              throw new Error(
                `${route.method} ${r.url} → ${r.status} ${r.text} changed what is stored: tickets ${before.tickets} → ${after.tickets}, events ${before.events} → ${after.events}, keys +${added.join(' +')} -${removed.join(' -')}`,
              );
          }
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
      if (result.failed) failures.push(`${route.method} ${route.path}: ${String((result.errorInstance as Error)?.message ?? result.errorInstance)}`);
    }
    expect(failures).toEqual([]);
    const neverPastAuth = [...statuses].filter(([, seen]) => [...seen].every((s) => s === 401 || s === 403)).map(([route]) => route);
    expect(neverPastAuth).toEqual([]);
  }, 600_000);
});
