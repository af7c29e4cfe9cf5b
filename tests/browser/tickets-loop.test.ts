// Issue 4's "done when", in Chromium: a complaint from the widget is followed from "已受理" to the
// satisfaction question, each step driven through the admin API, and the citizen answers with the button; the
// console's ticket page then shows each of those changes as delivered to the city's hotline system.
// Chromium: `apt-get install -y chromium fonts-wqy-microhei` (or CHROMIUM_PATH); skipped without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { type Browser, type Page } from 'playwright-core';
import { ARTIFACTS, HAS_CHROMIUM, launchChromium } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { postJson } from '../helpers/webchat-client.js';
import { FakeHotline } from '../fakes/hotline-server.js';

const PANEL = '[data-jiesu="panel"]';
const REPLIES = `${PANEL} [data-jiesu="message"]:not([data-from="citizen"])`;

describe.skipIf(!HAS_CHROMIUM)('ticket loop in the widget', () => {
  let browser: Browser;
  let gw: TestGateway;
  let hotline: FakeHotline;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    hotline = await new FakeHotline('loop-hotline-secret-0123456789').start();
    gw = await startTestGateway({ CONFIRM_COMPLAINTS: '0', HOTLINE_URL: hotline.url, HOTLINE_SECRET: 'loop-hotline-secret-0123456789', HOTLINE_BACKOFF_MS: '100' });
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
    await hotline?.stop();
  }, 60_000);

  const replyTexts = (page: Page) => page.locator(REPLIES).evaluateAll((ns) => ns.map((n) => n.textContent ?? ''));
  const lastReply = async (page: Page) => (await replyTexts(page)).at(-1) ?? '';
  const postEvent = (n: string, body: unknown) => postJson(`${gw.url}/api/tickets/${n}/events`, body, { authorization: `Bearer ${gw.adminToken}` });

  it('已受理 → 已派至 → 开始办理 → 已办结 + 满意度 → 满意', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${gw.url}/`);
    await page.locator('[data-jiesu="toggle"]').click();
    await expect.poll(() => page.locator(PANEL).isVisible()).toBe(true);

    const input = page.locator('[data-jiesu="input"]');
    await input.fill('丰台区卢沟桥街道假日风景小区门口的大树倒了，挡住了路，请尽快处理');
    await input.press('Enter');
    await expect.poll(() => lastReply(page), { timeout: 15_000 }).toMatch(/已受理|已登记/);
    const ticket = page.locator(`${PANEL} [data-jiesu="ticket"]`).first();
    await expect.poll(async () => ((await ticket.count()) ? await ticket.textContent() : ''), { timeout: 30_000 }).toMatch(/\d{8}-\d{6}/);
    const n = ((await ticket.textContent()) ?? '').match(/\d{8}-\d{6}/)![0];
    expect(await lastReply(page)).toMatch(/已派至卢沟桥街道/);

    expect((await postEvent(n, { status: 'in_progress', actor: '卢沟桥街道' })).status).toBe(200);
    await expect.poll(() => lastReply(page), { timeout: 15_000 }).toContain('卢沟桥街道已开始办理');
    expect((await postEvent(n, { status: 'resolved', note: '倒伏树木已清理，道路已恢复通行' })).status).toBe(200);
    await expect.poll(() => lastReply(page), { timeout: 15_000 }).toContain('请您对工单');
    const buttons = page.locator(REPLIES).last().locator('[data-jiesu="quick-reply"]');
    expect(await buttons.evaluateAll((bs) => bs.map((b) => b.textContent))).toEqual(['满意', '基本满意', '不满意']);
    await page.screenshot({ path: `${ARTIFACTS}tickets-visit-question.png` });

    await buttons.filter({ hasText: /^满意$/ }).click();
    await expect.poll(() => lastReply(page), { timeout: 15_000 }).toContain('感谢您的评价（满意）');
    await page.screenshot({ path: `${ARTIFACTS}tickets-visited.png` });
    const t = (await (await fetch(`${gw.url}/api/tickets/${n}`, { headers: { authorization: `Bearer ${gw.adminToken}` } })).json()) as any;
    expect(t).toMatchObject({ status: 'visited', rating: 'satisfied' });

    // The console: the three changes made here, each marked as delivered to the hotline system.
    const admin = await browser.newPage();
    await admin.goto(`${gw.url}/admin/tickets/${n}`);
    await admin.fill('input[name=token]', gw.adminToken);
    await Promise.all([admin.waitForURL(`**/admin/tickets/${n}`), admin.click('button[type=submit]')]);
    const synced = () => admin.locator('#timeline .hotline-sync').evaluateAll((ns) => ns.map((x) => x.textContent));
    await expect.poll(async () => (await admin.reload(), await synced()), { timeout: 20_000 }).toEqual(['已同步至12345系统', '已同步至12345系统', '已同步至12345系统']);
    expect(await admin.locator('#ticket-info').textContent()).toMatch(/12345系统已同步/);
    // Who did what, in an operator's words, not as stored.
    expect(await admin.locator('#timeline .when:not(.hotline-sync)').evaluateAll((ns) => ns.map((x) => (x.textContent ?? '').replace(/^.* · /, '')))).toEqual([
      '市民来信（网站对话）',
      '系统',
      '卢沟桥街道（管理台）',
      // ADMIN_TOKEN is the bootstrap administrator: its changes are signed with its name and role.
      'admin（管理员）',
      '市民（网站对话）',
    ]);
    expect(hotline.eventsFor(n).map((e) => e.toStatus)).toEqual(['in_progress', 'resolved', 'visited']);
    await admin.screenshot({ path: `${ARTIFACTS}tickets-hotline-synced.png`, fullPage: true });
    await admin.close();
    await context.close();
  });
});
