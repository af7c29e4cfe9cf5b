// Browser test of the web chat widget: headless Debian Chromium (playwright-core) against a real gateway.
// Scenario (issue 2): the demo page at phone width → FAQ answer → complaint "已受理" then a ticket number over the
// WebSocket → reload keeps the conversation → an XSS payload renders as literal text. Plus the desktop layout.
//
// Chromium: `apt-get install -y chromium fonts-wqy-microhei` (or CHROMIUM_PATH). Without it the suite is skipped.
// JIESU_BROWSER_URL=http://host:port runs against an already running gateway instead of starting one.
// Screenshots go to tests/artifacts/ (gitignored).
import { ARTIFACTS, HAS_CHROMIUM, launchChromium, warnIfNoChromium } from '../helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';


const FAQ = '社保卡丢了怎么补办';
const COMPLAINT = '我家小区门口的井盖丢了好几天了';
const XSS = '<img src=x onerror=alert(1)>';
const TICKET_RE = /\d{8}-\d{6}/;

const PANEL = '[data-jiesu="panel"]';
const MESSAGES = `${PANEL} [data-jiesu="message"]`;
const REPLIES = `${PANEL} [data-jiesu="message"]:not([data-from="citizen"])`;

warnIfNoChromium('web chat widget');

describe.skipIf(!HAS_CHROMIUM)(
  'web chat widget in Chromium',
  () => {
    let browser: Browser;
    let baseUrl: string;
    let stopGateway: (() => Promise<void>) | undefined;
    let phoneState: Awaited<ReturnType<BrowserContext['storageState']>> | undefined;

    beforeAll(async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      if (process.env.JIESU_BROWSER_URL) {
        baseUrl = process.env.JIESU_BROWSER_URL.replace(/\/+$/, '');
      } else {
        const { startTestGateway } = await import('../helpers/gateway.js');
        const gw = await startTestGateway();
        baseUrl = gw.url.replace(/\/+$/, '');
        stopGateway = () => gw.stop();
      }
      browser = await launchChromium();
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await stopGateway?.();
    }, 60_000);

    /** A page that records what must never happen: dialogs, script errors, CSP violations. */
    async function watchedPage(context: BrowserContext) {
      await context.addInitScript(() => {
        const w = window as unknown as { __cspViolations: string[] };
        w.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => {
          w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
        });
      });
      const page = await context.newPage();
      const dialogs: string[] = [];
      const errors: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(`${d.type()}: ${d.message()}`);
        void d.dismiss().catch(() => {});
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      const cspViolations = () =>
        page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations ?? []);
      return { page, dialogs, errors, cspViolations };
    }

    async function openWidget(page: Page) {
      await page.locator('[data-jiesu="toggle"]').click();
      await visibleSoon(page.locator(PANEL));
    }

    async function visibleSoon(locator: ReturnType<Page['locator']>, timeout = 15_000) {
      await expect.poll(() => locator.isVisible(), { timeout }).toBe(true);
    }

    async function send(page: Page, text: string) {
      const input = page.locator('[data-jiesu="input"]');
      await input.fill(text);
      await input.press('Enter');
    }

    /** Texts of bot/agent messages, in order. */
    const replyTexts = (page: Page) => page.locator(REPLIES).evaluateAll((ns) => ns.map((n) => n.textContent ?? ''));

    async function waitForNewReply(page: Page, before: number, timeout = 15_000) {
      await expect.poll(() => page.locator(REPLIES).count(), { timeout }).toBeGreaterThan(before);
    }

    const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}webchat-${name}.png` });

    it('phone: FAQ answer, complaint ticket over the WebSocket, reload keeps it, XSS stays text', async () => {
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        locale: 'zh-CN',
      });
      const { page, dialogs, errors, cspViolations } = await watchedPage(context);

      await page.goto(`${baseUrl}/`);
      await visibleSoon(page.locator('[data-jiesu="toggle"]'));
      expect(await page.locator('[data-jiesu="toggle"]').textContent()).toContain('12345 在线咨询');
      await shot(page, 'phone-portal');

      await openWidget(page);
      // Full-screen at phone width.
      const box = await page.locator(PANEL).boundingBox();
      expect(box?.width).toBeCloseTo(390, 0);
      expect(box?.height).toBeCloseTo(844, 0);
      expect(await page.locator('[data-jiesu="welcome"]').textContent()).toContain('12345');
      await shot(page, 'phone-open');

      // 1. FAQ → an answer right away.
      let t0 = Date.now();
      let before = await page.locator(REPLIES).count();
      await send(page, FAQ);
      await visibleSoon(page.locator(MESSAGES).filter({ hasText: FAQ }).first());
      await waitForNewReply(page, before);
      const faqMs = Date.now() - t0;
      const answer = (await replyTexts(page)).at(-1) ?? '';
      expect(answer.trim().length).toBeGreaterThan(0);
      await shot(page, 'phone-faq');

      // 2. Complaint → "已受理" and a question for the place; the place → a summary to confirm; 确认 → the
      //    ticket number a moment later over the WebSocket.
      t0 = Date.now();
      before = await page.locator(REPLIES).count();
      await send(page, COMPLAINT);
      await waitForNewReply(page, before);
      expect((await replyTexts(page)).at(-1)).toMatch(/已受理.*哪个区/s);
      before = await page.locator(REPLIES).count();
      await send(page, '朝阳区望京街道阜通东大街6号');
      await waitForNewReply(page, before);
      expect((await replyTexts(page)).at(-1)).toMatch(/请确认.*望京街道/s);
      await shot(page, 'phone-confirm');
      const confirm = page.locator(REPLIES).last().locator('[data-jiesu="quick-reply"]').filter({ hasText: '确认' });
      await confirm.click();
      const ackMs = Date.now() - t0;
      const ticket = page.locator(`${PANEL} [data-jiesu="ticket"]`).first();
      await expect.poll(async () => ((await ticket.count()) ? await ticket.textContent() : ''), { timeout: 30_000 }).toMatch(TICKET_RE);
      const ticketMs = Date.now() - t0;
      const ticketNumber = ((await ticket.textContent()) ?? '').match(TICKET_RE)![0];
      await ticket.scrollIntoViewIfNeeded();
      await shot(page, 'phone-ticket');
      console.log(`[browser] FAQ round trip ${faqMs} ms; complaint → 已受理 ${ackMs} ms → ticket ${ticketNumber} ${ticketMs} ms`);

      // 3. Reload: the conversation comes back from history (same session in localStorage).
      const sessionId = await page.evaluate(() => localStorage.getItem('jiesu.sessionId'));
      expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
      const countBefore = await page.locator(MESSAGES).count();
      await page.reload();
      if (!(await page.locator(PANEL).isVisible())) await openWidget(page);
      await expect.poll(() => page.locator(MESSAGES).count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(countBefore);
      expect(await page.evaluate(() => localStorage.getItem('jiesu.sessionId'))).toBe(sessionId);
      const restored = (await page.locator(PANEL).textContent()) ?? '';
      expect(restored).toContain(FAQ);
      expect(restored).toContain(COMPLAINT);
      expect(restored).toContain(ticketNumber);
      expect(restored).toContain(answer.trim().slice(0, 10));
      // Every message rendered once (deduped by id).
      const ids = await page.locator(`${MESSAGES}[data-id]`).evaluateAll((ns) => ns.map((n) => n.getAttribute('data-id')));
      expect(new Set(ids).size).toBe(ids.length);
      await shot(page, 'phone-reloaded');

      // 4. XSS: shown as literal text, nothing executed, no <img> in the panel.
      before = await page.locator(REPLIES).count();
      await send(page, XSS);
      const mine = page.locator(`${MESSAGES}[data-from="citizen"]`).filter({ hasText: XSS }).last();
      await visibleSoon(mine);
      await waitForNewReply(page, before).catch(() => {}); // whatever the server answers, it is text too
      await expect.poll(() => mine.getAttribute('class'), { timeout: 15_000 }).not.toMatch(/pending|failed/);
      await page.waitForTimeout(500); // give an onerror handler every chance to fire
      expect(await mine.locator('[data-jiesu="bubble"]').textContent()).toBe(XSS);
      expect(await page.locator(`${PANEL} img`).count()).toBe(0);
      expect(await page.locator('img[src="x"]').count()).toBe(0);
      expect(dialogs).toEqual([]);
      await shot(page, 'phone-xss');

      expect(errors).toEqual([]);
      expect(await cspViolations()).toEqual([]);
      phoneState = await context.storageState();
      await context.close();
    }, 120_000);

    it('shows message times on the hotline\'s clock, not the browser\'s (a visitor in New York sees Beijing time)', async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'America/New_York' });
      const { page, errors } = await watchedPage(context);
      await page.goto(`${baseUrl}/`);
      await openWidget(page);
      const before = await page.locator(REPLIES).count();
      await send(page, FAQ);
      await waitForNewReply(page, before);
      const shown = await page.locator(`${REPLIES} .jiesu-time`).last().textContent();
      const at = Number(await page.locator(REPLIES).last().getAttribute('data-at'));
      const beijing = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
      const newYork = new Intl.DateTimeFormat('zh-CN', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
      expect(shown).toContain(beijing);
      expect(shown).not.toContain(newYork);
      expect(errors).toEqual([]);
      await context.close();
    });

    it('desktop: 380×560 panel at the bottom right with the same conversation', async () => {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 800 },
        locale: 'zh-CN',
        storageState: phoneState,
      });
      const { page, errors, cspViolations } = await watchedPage(context);
      await page.goto(`${baseUrl}/`);
      await shot(page, 'desktop-portal');
      await openWidget(page);
      const box = (await page.locator(PANEL).boundingBox())!;
      expect(box.width).toBeCloseTo(380, 0);
      expect(box.height).toBeCloseTo(560, 0);
      expect(box.x + box.width).toBeGreaterThan(1280 - 40);
      expect(box.y + box.height).toBeGreaterThan(800 - 120);
      if (phoneState) {
        await expect
          .poll(() => page.locator(`${PANEL} [data-jiesu="ticket"]`).count(), { timeout: 15_000 })
          .toBeGreaterThan(0);
      }
      // Shift+Enter is a newline, not a send; the counter follows the text.
      const input = page.locator('[data-jiesu="input"]');
      await input.click();
      await page.keyboard.type('第一行');
      await page.keyboard.press('Shift+Enter');
      await page.keyboard.type('第二行');
      expect(await input.inputValue()).toBe('第一行\n第二行');
      expect(await page.locator('[data-jiesu="counter"]').textContent()).toBe('7/2000');
      await shot(page, 'desktop-open');
      await input.fill('');
      expect(errors).toEqual([]);
      expect(await cspViolations()).toEqual([]);
      await context.close();
    }, 60_000);
  },
);
