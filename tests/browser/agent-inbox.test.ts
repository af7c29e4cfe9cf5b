// The agent inbox in headless Chromium (issue 17 §3, done-when): a citizen talks to the bot in the real widget
// (an FAQ answer, then 转人工); operator 王芳 signs in, sees the conversation waiting, claims it; operator 李强 sees
// that 王芳 has it; 王芳 reads the transcript from before 转人工, sees the unread count of the citizen's new
// message drop when she reads it, answers with a canned reply from the knowledge base, and leaves an internal
// note. The citizen's widget shows the canned reply and never the note (not on screen, not pushed, not in its
// history); a reload of the widget shows the same. Screenshots: tests/artifacts/agent-inbox-*.png (gitignored).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, HAS_CHROMIUM, launchChromium, warnIfNoChromium } from '../helpers/browser.js';
import type { TestGateway } from '../helpers/gateway.js';
import { StaffStore } from '../../src/tickets/staff-store.js';
import { auditPage, blocking, describeFindings } from '../helpers/axe.js';
import { focusIs, tabTo } from '../helpers/keyboard.js';

warnIfNoChromium('agent inbox');

const PANEL = '[data-jiesu="panel"]';
const REPLIES = `${PANEL} [data-jiesu="message"]:not([data-from="citizen"])`;
const INPUT = '[data-jiesu="input"]';
const NOTE = '内部备注：市民反映情况属实，已电话核实';

describe.skipIf(!HAS_CHROMIUM)('agent inbox in Chromium', () => {
  let gw: TestGateway;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function context(): Promise<BrowserContext> {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await ctx.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    contexts.push(ctx);
    return ctx;
  }
  /** Script errors, console errors and the HTTP failures (which the browser also reports on the console). */
  const failed: string[] = [];
  function watch(page: Page, errors: string[]): void {
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console: ${m.text()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    page.on('dialog', (d) => void d.accept());
  }
  async function signIn(page: Page, user: string, password: string): Promise<void> {
    await page.goto(`${gw.url}/admin/handoffs`);
    await page.fill('input[name=user]', user);
    await page.fill('input[name=password]', password);
    await Promise.all([page.waitForURL('**/admin/handoffs'), page.click('button[type=submit]')]);
  }
  async function say(page: Page, text: string, expected: RegExp): Promise<void> {
    const before = await page.locator(REPLIES).count();
    await page.fill(INPUT, text);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator(REPLIES).count(), { timeout: 15_000 }).toBeGreaterThan(before);
    await expect.poll(async () => (await page.locator(REPLIES).last().textContent()) ?? '', { timeout: 15_000 }).toMatch(expected);
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const { startTestGateway } = await import('../helpers/gateway.js');
    gw = await startTestGateway({ WORKING_HOURS: '00:00-23:59', SPIKE_CHECK_MS: '0' });
    const accounts = new StaffStore(gw.gateway.services.database.db, { isKnownUnit: () => true });
    await accounts.add({ name: '王芳', role: 'admin', password: 'wangfang-pass-1' });
    await accounts.add({ name: '李强', role: 'admin', password: 'liqiang-pass-1' });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await gw?.stop();
  }, 60_000);

  it('an operator claims a handoff, reads the pre-handoff transcript, answers with a canned reply and leaves a note the citizen never sees', async () => {
    const errors: string[] = [];
    // The citizen, in the real widget: an FAQ answer first, then a person.
    const citizen = await (await context()).newPage();
    watch(citizen, errors);
    const pushed: string[] = [];
    citizen.on('websocket', (ws) => ws.on('framereceived', (f) => pushed.push(String(f.payload))));
    await citizen.goto(`${gw.url}/`);
    await citizen.locator('[data-jiesu="toggle"]').click();
    await say(citizen, '社保卡丢了怎么补办', /社保卡/);
    await say(citizen, '转人工', /转接人工客服/);

    // 王芳 opens the inbox: the conversation waits, unclaimed, with the whole transcript.
    const wang = await (await context()).newPage();
    watch(wang, errors);
    await signIn(wang, '王芳', 'wangfang-pass-1');
    await expect.poll(() => wang.locator('#handoff-list button.handoff-item').count(), { timeout: 15_000 }).toBe(1);
    expect(await wang.locator('#handoff-list').textContent()).toContain('未认领');
    await expect.poll(() => wang.locator('#handoff-thread li.from-bot').count(), { timeout: 15_000 }).toBe(2);
    const before = await wang.locator('#handoff-thread li.before-handoff .bubble').allTextContents();
    expect(before[0]).toBe('社保卡丢了怎么补办');
    expect(before[1]).toMatch(/社保卡/);
    expect(await wang.locator('#handoff-thread li.handoff-mark').count()).toBe(1);
    expect(await wang.locator('#handoff-thread li.from-bot .turn-tags').first().textContent()).toContain('知识库');

    await wang.click('#handoff-claim');
    await expect.poll(() => wang.locator('#handoff-claim-msg').textContent()).toBe('已认领。');
    await expect.poll(() => wang.locator('#handoff-claim-info').textContent()).toContain('处理人：王芳');
    expect(await wang.locator('#handoff-claim').isHidden()).toBe(true);

    // 李强 sees who has it, and cannot take it by claiming.
    const li = await (await context()).newPage();
    watch(li, errors);
    await signIn(li, '李强', 'liqiang-pass-1');
    await expect.poll(() => li.locator('#handoff-list').textContent(), { timeout: 15_000 }).toContain('王芳 处理中');
    await expect.poll(() => li.locator('#handoff-claim-info').textContent()).toContain('处理人：王芳');
    await li.click('#handoff-claim');
    await expect.poll(() => li.locator('#handoff-claim-msg').textContent()).toContain('王芳');

    // 王芳 looks at another page; the citizen writes again; 李强 sees it unread by the holder. When 王芳 opens the
    // conversation again she reads it, and the count goes for everyone.
    await wang.goto(`${gw.url}/admin/tickets`);
    await citizen.fill(INPUT, '补办要带什么证件');
    await citizen.keyboard.press('Enter');
    await expect.poll(() => li.locator('#handoff-list .badge.unread').textContent(), { timeout: 15_000 }).toBe('1 条未读');
    await wang.goto(`${gw.url}/admin/handoffs`);
    await expect.poll(() => wang.locator('#handoff-thread li.from-citizen .bubble').last().textContent(), { timeout: 15_000 }).toBe('补办要带什么证件');
    await expect.poll(() => li.locator('#handoff-list .badge.unread').count(), { timeout: 15_000 }).toBe(0);

    // A canned reply from the knowledge base, sent as is.
    await wang.click('#handoff-canned summary');
    await wang.fill('#canned-q', '社保卡丢了');
    await wang.click('#canned-search');
    await expect.poll(() => wang.locator('#canned-list li button.canned-use').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const canned = (await wang.locator('#canned-list li .canned-text').first().textContent()) ?? '';
    expect(canned).toMatch(/社保卡/);
    // 使用 by keyboard puts the answer in the reply box and the focus there.
    await wang.locator('#canned-list li button.canned-use').first().focus();
    await wang.keyboard.press('Enter');
    expect(await wang.locator('#handoff-text').inputValue()).toBe(canned);
    expect(await focusIs(wang, '#handoff-text')).toBe(true);
    await wang.click('#handoff-send');
    await expect.poll(() => wang.locator('#handoff-msg').textContent()).toBe('已发送。');
    await expect.poll(() => wang.locator('#handoff-thread li.from-agent .when').last().textContent(), { timeout: 15_000 }).toContain('话务员 王芳');

    // The internal note, by keyboard: both operators see it.
    await tabTo(wang, '#note-text', { max: 80 });
    await wang.keyboard.type(NOTE);
    await wang.keyboard.press('Tab');
    expect(await focusIs(wang, '#note-add')).toBe(true);
    await wang.keyboard.press('Enter');
    await expect.poll(() => wang.locator('#note-msg').textContent()).toBe('备注已保存（市民不可见）。');
    await expect.poll(() => wang.locator('#handoff-notes .note-text').allTextContents()).toEqual([NOTE]);
    await expect.poll(() => li.locator('#handoff-notes .note-text').allTextContents(), { timeout: 15_000 }).toEqual([NOTE]);
    // 保存为快捷回复: a reply typed once is found again by 李强, who can delete it.
    await wang.fill('#handoff-text', '您好，已为您登记，请保持电话畅通。');
    await wang.fill('#canned-title', '登记后提醒');
    await wang.click('#canned-save');
    await expect.poll(() => wang.locator('#handoff-msg').textContent()).toBe('已保存为快捷回复。');
    await li.click('#handoff-canned summary');
    await li.fill('#canned-q', '登记');
    await li.click('#canned-search');
    await expect.poll(() => li.locator('#canned-list li strong').allTextContents(), { timeout: 15_000 }).toContain('登记后提醒');
    await li.locator('#canned-list li button.canned-delete').first().click();
    await expect.poll(() => li.locator('#canned-list li button.canned-delete').count(), { timeout: 15_000 }).toBe(0);
    expect(await li.locator('#canned-list li strong').allTextContents()).not.toContain('登记后提醒');
    await wang.fill('#handoff-text', '');
    await wang.screenshot({ path: `${ARTIFACTS}agent-inbox-wang.png`, fullPage: true });
    await li.screenshot({ path: `${ARTIFACTS}agent-inbox-li.png`, fullPage: true });

    // The citizen's widget shows the canned reply and never the note: not on screen, not pushed, not after a reload.
    const agentReply = `${PANEL} [data-jiesu="message"][data-from="agent"]`;
    await expect.poll(() => citizen.locator(agentReply).last().textContent(), { timeout: 15_000 }).toContain(canned.slice(0, 20));
    await citizen.waitForTimeout(4500); // a refresh round of the inbox and the widget's own polling
    expect(await citizen.locator(PANEL).textContent()).not.toContain('内部备注');
    expect(pushed.length).toBeGreaterThan(0);
    expect(pushed.some((p) => p.includes('内部备注'))).toBe(false);
    await citizen.reload();
    await citizen.locator('[data-jiesu="toggle"]').click();
    await expect.poll(() => citizen.locator(agentReply).count(), { timeout: 15_000 }).toBe(1);
    expect(await citizen.locator(PANEL).textContent()).not.toContain('内部备注');
    await citizen.screenshot({ path: `${ARTIFACTS}agent-inbox-citizen.png`, fullPage: true });
    expect(errors).toEqual([]);
    // The one refusal: 李强's claim of 王芳's conversation.
    expect(failed).toEqual(['409 /api/admin/console/handoffs/claim']);
  }, 180_000);

  it('a ticket page shows the conversation that produced it, axe-clean at 1280 and 390 wide', async () => {
    const citizen = await (await context()).newPage();
    await citizen.goto(`${gw.url}/`);
    await citizen.locator('[data-jiesu="toggle"]').click();
    await say(citizen, '社保卡丢了怎么补办', /社保卡/);
    await say(citizen, '路灯坏了好几天了晚上特别黑', /哪个区、哪个街道/);
    await say(citizen, '卢沟桥街道假日风景小区', /请确认/);
    await say(citizen, '确认', /正在为您登记工单|工单号/);
    await expect.poll(() => citizen.locator(`${PANEL} [data-jiesu="ticket"]`).count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const number = /\d{8}-\d{6,}/.exec((await citizen.locator(`${PANEL} [data-jiesu="ticket"]`).last().textContent()) ?? '')?.[0];
    expect(number).toBeTruthy();

    for (const [width, height] of [[1280, 800], [390, 844]]) {
      const ctx = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', reducedMotion: 'reduce' });
      contexts.push(ctx);
      const page = await ctx.newPage();
      const errors: string[] = [];
      watch(page, errors);
      await page.goto(`${gw.url}/admin/tickets/${number}`);
      await page.fill('input[name=user]', '王芳');
      await page.fill('input[name=password]', 'wangfang-pass-1');
      await Promise.all([page.waitForURL(`**/admin/tickets/${number}`), page.click('button[type=submit]')]);
      await expect.poll(() => page.locator('#ticket-thread li').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      // The whole conversation: the FAQ question before the complaint, and the complaint marked as the source.
      expect(await page.locator('#ticket-thread li.from-citizen .bubble').first().textContent()).toBe('社保卡丢了怎么补办');
      expect(await page.locator('#ticket-thread li.source-turn .bubble').textContent()).toBe('路灯坏了好几天了晚上特别黑');
      expect(await page.locator('#ticket-thread').textContent()).toContain(number!);
      const findings = await auditPage(page);
      expect(blocking(findings), `${width}: ${describeFindings(findings)}`).toEqual([]);
      await page.screenshot({ path: `${ARTIFACTS}agent-inbox-ticket-${width}.png`, fullPage: true });
      expect(errors).toEqual([]);
    }
  }, 180_000);
});
