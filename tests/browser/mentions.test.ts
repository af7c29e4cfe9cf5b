// Browser test of the social-media team's mentions console (issue 6): headless Debian Chromium against a real
// gateway polling a fake Weibo API. The console lists the mentions live (newest first), shows what the
// gateway did, the category and urgency, the waiting counter and the poller's state; filters work; a manual
// reply goes out as a comment; "ignore" and "make a ticket" act; citizen text never runs as HTML; no CSP
// violation. Screenshots go to tests/artifacts/mentions-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { type Browser } from 'playwright-core';
import { ARTIFACTS, HAS_CHROMIUM, launchChromium } from '../helpers/browser.js';
import { loginSession, startTestGateway, TEST_ADMIN_TOKEN, type TestGateway } from '../helpers/gateway.js';
import { waitUntil } from '../helpers/webchat-client.js';
import { FakeWeiboApi } from '../fakes/weibo-api.js';
import { SESSION_COOKIE } from '../../src/http/admin/session.js';
import type { WeiboAdapter } from '../../channels/weibo/weibo-adapter.js';


describe.skipIf(!HAS_CHROMIUM)('weibo mentions console in Chromium', () => {
  let browser: Browser;
  let fake: FakeWeiboApi;
  let gw: TestGateway;
  let weibo: WeiboAdapter;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    fake = await new FakeWeiboApi().start();
    gw = await startTestGateway(fake.gatewayEnv({ WEIBO_POLL_MS: '400', WEIBO_BACKOFF_MS: '200' }));
    weibo = gw.gateway.services.channels.get('weibo') as WeiboAdapter;
    const at = (minAgo: number) => new Date(Date.now() - minAgo * 60_000);
    ids.faq = fake.addStatusMention({ text: '@北京12345 社保卡丢了怎么补办？', name: '海淀小王', createdAt: at(9) }).idstr as string;
    ids.urgent = fake.addStatusMention({ text: '@北京12345 朝阳区潘家园街道华威北路上有个井盖没了，就在机动车道中间，晚上车过去太危险了，赶紧来人', name: '潘家园的老张', createdAt: at(8) }).idstr as string;
    ids.lamp = fake.addStatusMention({ text: '@北京12345 我们小区门口的路灯坏了快一个月了，晚上黑漆漆的，老人都不敢出门遛弯', name: '望京居民', createdAt: at(7) }).idstr as string;
    ids.repost = fake.addStatusMention({ text: '转发微博', repostOf: ids.lamp, name: '路过的网友', createdAt: at(6) }).idstr as string;
    ids.spam = fake.addStatusMention({ text: '@北京12345 兼职日结，加微信领红包 http://a.cn/1', name: '推广号', createdAt: at(5) }).idstr as string;
    ids.xss = fake.addStatusMention({ text: '@北京12345 <img src=x onerror=alert(1)> 谢谢你们', name: '<b>测试</b>', createdAt: at(4) }).idstr as string;
    ids.comment = fake.addCommentMention({ text: '@北京12345 公积金怎么提取？租房的', name: '通州租客', createdAt: at(3) }).idstr as string;
    await waitUntil(async () => (await weibo.mentions.summary()).total >= 7, 20_000, 'mentions polled');
    await waitUntil(async () => (await gw.gateway.services.store.count()) >= 2, 20_000, 'tickets filed');
    // One mention whose reply keeps failing (Weibo answering 5xx): it stays waiting, as staff would see it.
    const waiting = fake.addStatusMention({ text: '@北京12345 地铁几点运营？', name: '早起的人', createdAt: at(1) });
    ids.waiting = waiting.idstr as string;
    fake.brokenStatuses.add(ids.waiting);
    await waitUntil(async () => (await weibo.mentions.summary()).total >= 8, 20_000, 'last mention polled');

    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
    await fake?.stop();
  }, 60_000);

  it('is behind the admin login', async () => {
    const res = await fetch(`${gw.url}/admin/mentions`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^\/admin\/login\?next=/);
    expect((await fetch(`${gw.url}/api/admin/mentions`)).status).toBe(401);
    // A logged-in cookie without the CSRF token cannot change anything; the bearer token (scripts) can read.
    const cookie = await loginSession(gw);
    const forged = await fetch(`${gw.url}/api/admin/mentions/weibo:status:${ids.faq}/ignore`, { method: 'POST', headers: { cookie: `${SESSION_COOKIE}=${cookie}`, 'content-type': 'application/json' }, body: '{}' });
    expect(forged.status).toBe(403);
    const read = await fetch(`${gw.url}/api/admin/mentions?show=all`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { items: unknown[] }).items.length).toBeGreaterThanOrEqual(7);
  });

  it('lists the mentions live, acts on them, and takes a screenshot', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    // Logged in as the console's login leaves us: the session cookie.
    const cookie = await loginSession(gw);
    await context.addCookies([{ name: SESSION_COOKIE, value: cookie, url: gw.url, httpOnly: true, sameSite: 'Strict' }]);
    await context.addInitScript(() => {
      const w = window as unknown as { __csp: string[] };
      w.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const page = await context.newPage();
    const errors: string[] = [];
    const dialogs: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void (d.type() === 'confirm' ? d.accept() : d.dismiss());
    });

    await page.goto(`${gw.url}/admin/mentions`);
    const rows = page.locator('#list tbody tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(8);
    const row = (platformId: string, kind = 'status') => page.locator(`#list tbody tr[data-id="weibo:${kind}:${platformId}"]`);

    // Newest first.
    expect(await rows.first().getAttribute('data-id')).toBe(`weibo:status:${ids.waiting}`);
    // What the gateway did.
    await expect.poll(() => row(ids.urgent).locator('.badge').textContent(), { timeout: 15_000 }).toMatch(/已立工单 \d{8}-\d{6}/);
    expect(await row(ids.urgent).locator('.tier').textContent()).toContain('紧急');
    expect(await row(ids.urgent).getAttribute('class')).toContain('urgent');
    expect(await row(ids.faq).locator('.badge').textContent()).toBe('已答复');
    expect(await row(ids.faq).locator('.cat').textContent()).toBe('政策咨询');
    expect(await row(ids.faq).locator('.delay').textContent()).toMatch(/秒|分/);
    expect(await row(ids.repost).locator('.reason').textContent()).toContain('转发无内容');
    expect(await row(ids.spam).locator('.reason').textContent()).toContain('广告');
    expect(await row(ids.comment, 'comment').locator('.kind').textContent()).toBe('评论');
    expect(await row(ids.faq).locator('a.author').getAttribute('href')).toMatch(new RegExp(`^https://weibo\\.com/\\d+/${ids.faq}$`));
    // Citizen text is text.
    expect(await row(ids.xss).locator('.text').textContent()).toContain('<img src=x onerror=alert(1)>');
    expect(await row(ids.xss).locator('.text img').count()).toBe(0);
    // Counters and the poller.
    await expect.poll(() => page.locator('[data-field="waiting"]').textContent(), { timeout: 10_000 }).toBe('1');
    expect(await page.locator('[data-field="oldest"]').textContent()).toMatch(/分|秒/);
    await expect.poll(() => page.locator('[data-field="poller"]').textContent(), { timeout: 10_000 }).toBe('正常');
    expect(await page.locator('[data-field="poller-detail"]').textContent()).toContain('本小时调用');
    await page.screenshot({ path: `${ARTIFACTS}mentions-console.png`, fullPage: true });

    // Filters: urgent shows the manhole only; unhandled shows the waiting one.
    const shown = () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')));
    await page.locator('input[name="show"][value="urgent"]').check();
    await expect.poll(shown, { timeout: 10_000 }).toEqual([`weibo:status:${ids.urgent}`]);
    await page.locator('input[name="show"][value="unhandled"]').check();
    await expect.poll(shown, { timeout: 10_000 }).toEqual([`weibo:status:${ids.waiting}`]);
    expect(await rows.first().locator('.reason').textContent()).toContain('发送失败');
    expect(await rows.first().locator('.badge').textContent()).toContain('待发出');
    await page.locator('input[name="show"][value="all"]').check();
    await page.locator('select[name="category"]').selectOption('faq');
    await expect.poll(async () => [...new Set(await page.locator('#list tbody tr .cat').allTextContents())], { timeout: 10_000 }).toEqual(['政策咨询']);
    await page.locator('button[type="reset"]').click();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(8);

    // A manual reply goes out as a comment; personal data is refused.
    const box = row(ids.faq).locator('textarea');
    await box.fill('请拨打 13912345678 咨询');
    await row(ids.faq).locator('form.reply button').click();
    await expect.poll(() => page.locator('#error').textContent(), { timeout: 5_000 }).toContain('不能包含电话');
    await box.fill('您好，补办进度可在“北京人社”APP查询，有问题欢迎私信。');
    await row(ids.faq).locator('form.reply button').click();
    await waitUntil(() => fake.commentsOn(ids.faq).some((c) => c.text.includes('北京人社')), 15_000, 'manual comment posted');
    await expect.poll(() => row(ids.faq).locator('.replies li.manual').count(), { timeout: 10_000 }).toBe(1);

    // Ignore the stuck one, and make a ticket of an answered one.
    await row(ids.waiting).locator('[data-op="ignore"]').click();
    await expect.poll(() => row(ids.waiting).locator('.badge').textContent(), { timeout: 10_000 }).toBe('已忽略');
    expect(await row(ids.waiting).locator('.reason').textContent()).toContain('人工忽略');
    await expect.poll(() => page.locator('[data-field="waiting"]').textContent(), { timeout: 10_000 }).toBe('0');
    await row(ids.comment, 'comment').locator('[data-op="ticket"]').click();
    await expect.poll(() => row(ids.comment, 'comment').locator('.badge').textContent(), { timeout: 15_000 }).toMatch(/已立工单/);
    expect(dialogs).toEqual(['将这条提及立为工单？']);

    // Live: a new mention appears without reload — and the list rebuilt under someone typing keeps their draft,
    // and the refusal they are reading.
    const draft = row(ids.urgent).locator('textarea');
    await draft.fill('已转交潘家园街道，正在处理');
    await row(ids.lamp).locator('textarea').fill('电话 13912345678');
    await row(ids.lamp).locator('form.reply button').click();
    await expect.poll(() => page.locator('#error').textContent(), { timeout: 5_000 }).toContain('不能包含电话');
    await draft.focus();
    const fresh = fake.addStatusMention({ text: '@北京12345 你好', name: '新来的' }).idstr as string;
    await expect.poll(() => row(fresh).count(), { timeout: 15_000 }).toBe(1);
    expect(await draft.inputValue()).toBe('已转交潘家园街道，正在处理');
    expect(await page.evaluate(() => (document.activeElement as HTMLTextAreaElement | null)?.value)).toBe('已转交潘家园街道，正在处理');
    expect(await page.locator('#error').textContent()).toContain('不能包含电话');
    await page.screenshot({ path: `${ARTIFACTS}mentions-console-after.png`, fullPage: true });

    expect(errors).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
    await context.close();
  }, 120_000);
});
