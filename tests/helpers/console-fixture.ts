// A gateway whose console has something on every page, for the accessibility and keyboard tests: a few
// hundred seeded tickets over a month (reports, heat map, rates, spikes), a web chat citizen waiting for a
// person (转人工), Weibo mentions from a fake Weibo API (微博提及), a copy of the knowledge base to edit, and
// a logged-in session cookie.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { FakeWeiboApi } from '../fakes/weibo-api.js';
import { loginSession, startTestGateway, TEST_ADMIN_TOKEN, type TestGateway } from './gateway.js';
import { Script, WebchatCitizen, waitUntil } from './webchat-client.js';
import { SESSION_COOKIE } from '../../src/http/admin/session.js';
import { DEFAULT_KB_PATH } from '../../src/nlu/index.js';
import type { WeiboAdapter } from '../../channels/weibo/weibo-adapter.js';

export interface ConsoleFixture {
  gw: TestGateway;
  weibo: FakeWeiboApi;
  /** The citizen waiting in 转人工. */
  citizen: WebchatCitizen;
  /** A seeded ticket still in progress (for /admin/tickets/:number). */
  ticketNumber: string;
  logIn(context: BrowserContext): Promise<void>;
  stop(): Promise<void>;
}

export async function startConsoleFixture(): Promise<ConsoleFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'jiesu-console-fixture-'));
  copyFileSync(DEFAULT_KB_PATH, join(dir, 'faq.yaml'));
  const weibo = await new FakeWeiboApi().start();
  const gw = await startTestGateway(
    weibo.gatewayEnv({ KB_PATH: join(dir, 'faq.yaml'), SPIKE_CHECK_MS: '0', WORKING_HOURS: '00:00-23:59', WEIBO_POLL_MS: '500' }),
  );
  const { seedYear } = await import('../../scripts/seed-year.js');
  await seedYear({ databaseUrl: gw.databaseUrl, tickets: 800, days: 30, end: new Date(), seed: 11 });

  const at = (minAgo: number) => new Date(Date.now() - minAgo * 60_000);
  weibo.addStatusMention({ text: '@北京12345 社保卡丢了怎么补办？', name: '海淀小王', createdAt: at(9) });
  weibo.addStatusMention({ text: '@北京12345 我们小区门口的路灯坏了快一个月了，晚上黑漆漆的', name: '望京居民', createdAt: at(7) });
  weibo.addCommentMention({ text: '@北京12345 公积金怎么提取？租房的', name: '通州租客', createdAt: at(3) });
  const adapter = gw.gateway.services.channels.get('weibo') as WeiboAdapter;
  await waitUntil(async () => (await adapter.mentions.summary()).total >= 3, 20_000, 'mentions polled');

  const citizen = new WebchatCitizen(gw.url);
  await citizen.connect();
  const script = new Script(citizen);
  await script.expect('转人工', /转接人工客服/);
  await script.send('我家楼下的拆迁补偿标准是怎么定的');

  // One still being handled, so it has status actions left.
  const res = await fetch(`${gw.url}/api/tickets?status=in_progress&limit=1`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
  const body = (await res.json()) as { items?: { number: string }[]; tickets?: { number: string }[] };
  const ticketNumber = (body.items ?? body.tickets ?? [])[0]?.number;
  if (!ticketNumber) throw new Error(`no seeded ticket: ${JSON.stringify(body).slice(0, 200)}`);

  return {
    gw,
    weibo,
    citizen,
    ticketNumber,
    async logIn(context) {
      const cookie = await loginSession(gw);
      await context.addCookies([{ name: SESSION_COOKIE, value: cookie, url: gw.url, httpOnly: true, sameSite: 'Strict' }]);
    },
    async stop() {
      citizen.close();
      await gw.stop();
      await weibo.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
