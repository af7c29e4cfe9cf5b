// Keyboard-only use of the web chat widget and the console (issue 22): only Tab, Shift+Tab, Enter, Escape and
// typing, asserting where the focus is after each step. The widget: open it, ask, confirm a complaint, edit it,
// cancel one, close it, at 1280×800 and at 390×844 where the full-screen panel must keep the focus inside; a
// reply arriving while it is closed is read out. The console: edit a knowledge-base entry, act on a ticket,
// drill down from the heat map through its table, reply to a handed-over conversation and to a Weibo mention.
//
// Chromium: `apt-get install -y chromium fonts-wqy-microhei` (or CHROMIUM_PATH). Without it the suite is skipped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { HAS_CHROMIUM, launchChromium, warnIfNoChromium } from '../helpers/browser.js';
import { focused, focusIs, tabTo } from '../helpers/keyboard.js';
import { startConsoleFixture, type ConsoleFixture } from '../helpers/console-fixture.js';
import { TEST_ADMIN_TOKEN } from '../helpers/gateway.js';
import { postJson } from '../helpers/webchat-client.js';

warnIfNoChromium('keyboard');

const PANEL = '[data-jiesu="panel"]';
const REPLIES = `${PANEL} [data-jiesu="message"]:not([data-from="citizen"])`;
const INPUT = '[data-jiesu="input"]';
const TOGGLE = '[data-jiesu="toggle"]';

describe.skipIf(!HAS_CHROMIUM)('keyboard only', () => {
  let fx: ConsoleFixture;
  let browser: Browser;

  beforeAll(async () => {
    fx = await startConsoleFixture();
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await fx?.stop();
  }, 60_000);

  async function context(width: number, height: number): Promise<BrowserContext> {
    return browser.newContext({ viewport: { width, height }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', reducedMotion: 'reduce' });
  }

  /** The focus is on `selector` (polled: some actions move it when their request returns). */
  async function expectFocus(page: Page, selector: string): Promise<void> {
    await expect.poll(async () => ((await focusIs(page, selector)) ? selector : await focused(page)), { timeout: 10_000 }).toBe(selector);
  }

  const replies = (page: Page) => page.locator(REPLIES).count();
  /** Types into the focused input and presses Enter; waits for the bot's answer. */
  async function say(page: Page, text: string, expected: RegExp): Promise<void> {
    const before = await replies(page);
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
    await expect.poll(() => replies(page), { timeout: 15_000 }).toBeGreaterThan(before);
    await expect.poll(async () => (await page.locator(REPLIES).last().textContent()) ?? '', { timeout: 15_000 }).toMatch(expected);
  }
  /** Shift+Tab back from the input to a quick reply of the last bot message, then Enter. */
  async function press(page: Page, payload: string, expected: RegExp): Promise<void> {
    const before = await replies(page);
    await tabTo(page, `${PANEL} [data-jiesu="quick-reply"][data-payload="${payload}"]:not(:disabled)`, { back: true, max: 12 });
    await page.keyboard.press('Enter');
    await expect.poll(() => replies(page), { timeout: 15_000 }).toBeGreaterThan(before);
    await expect.poll(async () => (await page.locator(REPLIES).last().textContent()) ?? '', { timeout: 15_000 }).toMatch(expected);
  }

  it('widget at 1280×800: open, ask, confirm a complaint, edit it, close; a reply while closed is read out', async () => {
    const ctx = await context(1280, 800);
    const page = await ctx.newPage();
    await page.goto(`${fx.gw.url}/`);
    await expect.poll(() => page.locator(TOGGLE).isVisible()).toBe(true);

    // The launcher is the page's last control: one Shift+Tab from the top.
    await tabTo(page, TOGGLE, { back: true, max: 2 });
    await page.keyboard.press('Enter');
    await expectFocus(page, INPUT);

    // 发送 by keyboard: the focus comes back to the input, not to <body>.
    const before = await replies(page);
    await page.keyboard.type('社保卡丢了怎么补办');
    await page.keyboard.press('Tab');
    await expectFocus(page, '[data-jiesu="send"]');
    await page.keyboard.press('Enter');
    await expectFocus(page, INPUT);
    await expect.poll(() => replies(page), { timeout: 15_000 }).toBeGreaterThan(before);

    await say(page, '我家小区门口的井盖丢了好几天了', /哪个区/);
    await say(page, '朝阳区望京街道阜通东大街6号', /请确认/);
    await press(page, 'confirm:edit', /修改/);
    await expectFocus(page, INPUT);
    await say(page, '朝阳区望京街道阜通东大街8号', /请确认.*8号/s);
    await press(page, 'confirm:yes', /已受理|工单/);
    await expectFocus(page, INPUT);
    await expect.poll(() => page.locator(`${PANEL} [data-jiesu="ticket"]`).count(), { timeout: 30_000 }).toBeGreaterThan(0);

    // Ask for a person, close with Escape: the focus returns to the launcher.
    await say(page, '转人工', /转接人工客服/);
    await page.keyboard.press('Escape');
    expect(await page.locator(PANEL).isVisible()).toBe(false);
    await expectFocus(page, TOGGLE);
    expect(await page.locator(TOGGLE).getAttribute('aria-expanded')).toBe('false');

    // The operator answers while the panel is closed: the polite live region outside the panel says so.
    const sessionId = await page.evaluate(() => (window as unknown as { Jiesu: { sessionId: string } }).Jiesu.sessionId);
    const sent = await postJson(`${fx.gw.url}/api/admin/handoffs/reply`, { channel: 'webchat', conversationId: sessionId, text: '您好，我是话务员小李。' }, { authorization: `Bearer ${TEST_ADMIN_TOKEN}` });
    expect(sent.status).toBe(202);
    const announce = page.locator('[data-jiesu="announce"]');
    await expect.poll(() => announce.textContent(), { timeout: 15_000 }).toContain('话务员小李');
    expect(await announce.getAttribute('aria-live')).toBe('polite');
    await ctx.close();
  }, 120_000);

  it('widget at 390×844: the full-screen panel is modal and keeps the focus; 修改 then 取消; Escape closes', async () => {
    const ctx = await context(390, 844);
    const page = await ctx.newPage();
    await page.goto(`${fx.gw.url}/`);
    await expect.poll(() => page.locator(TOGGLE).isVisible()).toBe(true);
    await tabTo(page, TOGGLE, { back: true, max: 2 });
    await page.keyboard.press('Enter');
    // At phone width the close button takes the focus (no keyboard popping up over the welcome).
    await expectFocus(page, '[data-jiesu="close"]');
    expect(await page.locator(PANEL).getAttribute('aria-modal')).toBe('true');

    // Round and round: Tab and Shift+Tab never leave the panel.
    const outside: string[] = [];
    for (const key of [...Array(12).fill('Tab'), ...Array(12).fill('Shift+Tab')]) {
      await page.keyboard.press(key);
      if (!(await page.evaluate((sel) => !!document.activeElement?.closest(sel), PANEL))) outside.push(await focused(page));
    }
    expect(outside).toEqual([]);
    expect(await page.evaluate(() => (document.querySelector('main') as HTMLElement & { inert: boolean }).inert)).toBe(true);

    await tabTo(page, INPUT, { max: 6 });
    await say(page, '我家楼道里的灯坏了一个星期了', /哪个区/);
    await say(page, '海淀区中关村街道丹棱街3号', /请确认/);
    await press(page, 'confirm:edit', /修改/);
    await expectFocus(page, INPUT);
    await press(page, 'confirm:cancel', /取消|撤销|不再/);
    await expectFocus(page, INPUT);

    await page.keyboard.press('Escape');
    await expectFocus(page, TOGGLE);
    expect(await page.locator(PANEL).getAttribute('aria-modal')).toBeNull();
    expect(await page.evaluate(() => (document.querySelector('main') as HTMLElement & { inert: boolean }).inert)).toBe(false);
    await ctx.close();
  }, 120_000);

  describe('console at 1280×800', () => {
    let ctx: BrowserContext;
    let page: Page;
    beforeAll(async () => {
      ctx = await context(1280, 800);
      await fx.logIn(ctx);
      page = await ctx.newPage();
      page.on('dialog', (d) => void d.accept());
    });
    afterAll(() => ctx?.close());

    async function open(path: string): Promise<void> {
      await page.goto(fx.gw.url + path);
      await expect.poll(() => page.locator('.loading').count(), { timeout: 30_000 }).toBe(0);
    }

    it('knowledge base: find an entry, open it, add a question, save', async () => {
      await open('/admin/kb');
      await tabTo(page, '#kb-search');
      await page.keyboard.type('社保卡');
      await tabTo(page, '#kb-list button.kb-item');
      const id = ((await page.evaluate(() => document.activeElement?.querySelector('.id')?.textContent)) ?? '').split(' · ')[0];
      await page.keyboard.press('Enter');
      await expectFocus(page, '#kb-form textarea[name=questions]');
      expect(await page.locator('#kb-form input[name=id]').inputValue()).toBe(id);
      await page.keyboard.press('Control+End');
      await page.keyboard.type('\n社保卡被偷了去哪里补');
      await tabTo(page, '#kb-form button[type=submit]');
      await page.keyboard.press('Enter');
      // Published as a new version once the eval cases have run; a regression would first ask, its 仍然发布 focused.
      const editorText = () => page.locator('#kb-editor').textContent();
      await expect.poll(editorText, { timeout: 15_000 }).toMatch(/已发布为第|仍然发布/);
      if ((await editorText())?.includes('仍然发布')) {
        await expectFocus(page, '#kb-editor button.danger');
        await page.keyboard.press('Enter');
        await expect.poll(editorText, { timeout: 15_000 }).toContain('已确认并发布');
      }
      await expectFocus(page, '#kb-form textarea[name=questions]');
      expect(await page.locator('#kb-form textarea[name=questions]').inputValue()).toContain('社保卡被偷了去哪里补');
    });

    it('ticket: a status change with a note', async () => {
      await open(`/admin/tickets/${fx.ticketNumber}`);
      // Counted once the timeline is drawn: counted before, the later check raced the page's own load.
      await expect.poll(() => page.locator('#timeline li').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      const events = await page.locator('#timeline li').count();
      await tabTo(page, '#actions select[name=status]');
      await tabTo(page, '#actions textarea[name=note]');
      await page.keyboard.type('键盘操作：已电话联系市民');
      await tabTo(page, '#actions button[type=submit]');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('#timeline li').count(), { timeout: 15_000 }).toBeGreaterThan(events);
      expect(await page.locator('#timeline li').last().textContent()).toContain('键盘操作');
      // The page is rebuilt: the focus lands on the next action (or the title), not on <body>.
      await expectFocus(page, '#actions select[name=status], #app h1');
    });

    it('heat map: the table opens and a count leads to the filtered tickets', async () => {
      await open('/admin/heatmap');
      await tabTo(page, '#heatmap-table summary');
      await page.keyboard.press('Enter');
      await tabTo(page, '#heatmap-table a');
      const label = (await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))) ?? '';
      await Promise.all([page.waitForURL(/\/admin\/tickets\?street=/, { timeout: 30_000 }), page.keyboard.press('Enter')]);
      const n = Number(label.match(/(\d+) 件$/)?.[1]);
      expect(n).toBeGreaterThan(0);
      // Polled: right after the navigation the list may not have started loading yet (no .loading, no rows).
      await expect.poll(() => page.locator('#results tbody tr').count(), { timeout: 30_000 }).toBe(Math.min(n, 50));
    });

    it('转人工: reply to the waiting citizen', async () => {
      await open('/admin/handoffs');
      await expect.poll(() => page.locator('#handoff-thread li').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      await tabTo(page, '#handoff-text');
      await page.keyboard.type('您好，我是话务员小王，键盘回复。');
      await page.keyboard.press('Tab');
      await expectFocus(page, '#handoff-send');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('#handoff-msg').textContent(), { timeout: 15_000 }).toBe('已发送。');
      await expectFocus(page, '#handoff-text');
      await expect.poll(() => fx.citizen.pushed.some((m) => m.from === 'agent' && /键盘回复/.test(m.text)), { timeout: 15_000 }).toBe(true);
    });

    it('微博提及: reply to a mention', async () => {
      await open('/admin/mentions');
      await expect.poll(() => page.locator('#list tbody tr').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      await tabTo(page, '#list tbody tr textarea');
      const row = page.locator('#list tbody tr', { has: page.locator('textarea:focus') });
      const id = await row.getAttribute('data-id');
      await page.keyboard.type('您好，已收到，键盘回复。');
      await page.keyboard.press('Tab');
      await expectFocus(page, 'form.reply button');
      await page.keyboard.press('Enter');
      const sameRow = page.locator(`#list tbody tr[data-id="${id}"]`);
      await expect.poll(() => sameRow.locator('.replies li.manual').count(), { timeout: 20_000 }).toBe(1);
      // Still in that row, with the list rebuilt around it.
      expect(await page.evaluate((rowId) => document.activeElement?.closest('tr')?.getAttribute('data-id'), id)).toBe(id);
    });
  });
});
