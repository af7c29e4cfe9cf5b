// The accessibility audit (issue 22): axe-core's WCAG 2.1 A/AA rules — what GB/T 37668 asks of government
// sites — over the web chat widget in each state (closed, open, after an FAQ answer, at a confirmation, with a
// ticket card) on the demo portal, and over every console page (the login, each page of the console's
// navigation and route list, so a new page is audited without touching this file), at 1280×800 and 390×844.
// A serious or critical violation fails on every page, bull-board's dashboard included; every finding is
// printed and written to tests/artifacts/a11y-audit.json (page, viewport, rule, impact, element count).
//
// Chromium: `apt-get install -y chromium fonts-wqy-microhei` (or CHROMIUM_PATH). Without it the suite is skipped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, HAS_CHROMIUM, launchChromium, warnIfNoChromium } from '../helpers/browser.js';
import { auditPage, blocking, contrastRatio, describeFindings, type AxeFinding } from '../helpers/axe.js';
import { startConsoleFixture, type ConsoleFixture } from '../helpers/console-fixture.js';
import { NAV } from '../../src/http/admin/layout.js';
import { PAGES } from '../../src/http/admin/pages.js';

warnIfNoChromium('accessibility audit');

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/** Every console page: the login, the navigation, and the page routes (a `:param` filled from the fixture). */
function consolePaths(fx: ConsoleFixture): string[] {
  const routes = PAGES.map((p) => p.path.replace(':number', fx.ticketNumber));
  return [...new Set(['/admin/login', ...NAV.map((n) => n.href), ...routes])];
}

/**
 * Pages whose findings are printed but do not fail the suite. None: bull-board's dashboard (/admin/queues), a
 * third-party React app, is held to the same rules through the names and contrast its page shell adds
 * (src/http/admin/queues-board-view.ts).
 */
const THIRD_PARTY = new Set<string>();

const PANEL = '[data-jiesu="panel"]';
const REPLIES = `${PANEL} [data-jiesu="message"]:not([data-from="citizen"])`;

describe.skipIf(!HAS_CHROMIUM)('accessibility audit (axe-core, WCAG 2.1 AA)', () => {
  let fx: ConsoleFixture;
  let browser: Browser;
  const results: { page: string; viewport: string; findings: AxeFinding[] }[] = [];

  beforeAll(async () => {
    fx = await startConsoleFixture();
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    writeFileSync(`${ARTIFACTS}a11y-audit.json`, JSON.stringify(results, null, 2));
    console.log(
      results
        .map((r) => `[a11y] ${r.viewport} ${r.page}: ${r.findings.length ? r.findings.map((f) => `${f.id}/${f.impact}×${f.nodes}`).join(' ') : 'clean'}`)
        .join('\n'),
    );
    await browser?.close();
    await fx?.stop();
  }, 60_000);

  async function check(page: Page, name: string, viewport: string): Promise<void> {
    const findings = await auditPage(page);
    results.push({ page: name, viewport, findings });
    await page.screenshot({ path: `${ARTIFACTS}a11y-${viewport}-${name.replace(/[^a-z0-9]+/gi, '_')}.png` });
    expect(blocking(findings), `${viewport} ${name}:\n${describeFindings(findings)}`).toEqual([]);
  }

  async function newContext(vp: (typeof VIEWPORTS)[number]): Promise<BrowserContext> {
    return browser.newContext({ viewport: { width: vp.width, height: vp.height }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', reducedMotion: 'reduce' });
  }

  for (const vp of VIEWPORTS) {
    describe(`${vp.name} ${vp.width}×${vp.height}`, () => {
      let context: BrowserContext;
      let page: Page;
      beforeAll(async () => {
        context = await newContext(vp);
        page = await context.newPage();
      });
      afterAll(() => context?.close());

      const replies = () => page.locator(REPLIES).count();
      async function ask(text: string): Promise<void> {
        const before = await replies();
        await page.locator('[data-jiesu="input"]').fill(text);
        await page.locator('[data-jiesu="input"]').press('Enter');
        await expect.poll(replies, { timeout: 15_000 }).toBeGreaterThan(before);
        await expect.poll(() => page.locator(`${PANEL} .jiesu-msg--pending`).count()).toBe(0);
      }

      it('widget: closed on the portal page', async () => {
        await page.goto(`${fx.gw.url}/`);
        await expect.poll(() => page.locator('[data-jiesu="toggle"]').isVisible()).toBe(true);
        await check(page, 'widget closed', vp.name);
      });

      it('widget: open', async () => {
        await page.locator('[data-jiesu="toggle"]').click();
        await expect.poll(() => page.locator(PANEL).isVisible()).toBe(true);
        await check(page, 'widget open', vp.name);
      });

      it('widget: after an FAQ answer', async () => {
        await ask('社保卡丢了怎么补办');
        await check(page, 'widget FAQ answer', vp.name);
      });

      it('widget: at a confirmation', async () => {
        await ask('我家小区门口的井盖丢了好几天了');
        await ask('朝阳区望京街道阜通东大街6号');
        await expect.poll(() => page.locator(REPLIES).last().textContent()).toMatch(/请确认/);
        await check(page, 'widget confirmation', vp.name);
      });

      it('widget: what axe does not check — structure, the typing indicator, non-text contrast', async () => {
        const facts = await page.evaluate(() => {
          const panel = document.querySelector('[data-jiesu="panel"]')!;
          const log = panel.querySelector('[role="log"]');
          const input = panel.querySelector<HTMLElement>('[data-jiesu="input"]')!;
          const styleOf = (el: Element) => getComputedStyle(el);
          return {
            logHoldsWelcomeAndList: !!log?.querySelector('[data-jiesu="welcome"]') && !!log?.querySelector('ol.jiesu-log'),
            listRole: panel.querySelector('ol.jiesu-log')!.getAttribute('role'),
            headers: panel.querySelectorAll('header').length,
            typingText: panel.querySelector('[data-jiesu="typing"]')!.textContent!.trim(),
            quickGroupsUnnamed: [...panel.querySelectorAll('[role="group"]')].filter((g) => !g.getAttribute('aria-label')).length,
            inputBorder: styleOf(input).borderTopColor,
            panelBg: styleOf(panel).backgroundColor,
          };
        });
        expect(facts.logHoldsWelcomeAndList).toBe(true);
        expect(facts.listRole).toBeNull();
        expect(facts.headers).toBe(0);
        expect(facts.typingText).not.toBe('');
        expect(facts.quickGroupsUnnamed).toBe(0);
        expect(contrastRatio(facts.inputBorder, facts.panelBg)).toBeGreaterThanOrEqual(3);
        // The focus ring (here on the red header's close button): a white inner ring, which stands out on the red,
        // inside an outline that stands out on the white panel.
        await page.locator('[data-jiesu="close"]').focus();
        await page.keyboard.press('Shift+Tab');
        await page.keyboard.press('Tab');
        const ring = await page.evaluate(() => {
          const el = document.activeElement!;
          const s = getComputedStyle(el);
          return { outline: s.outlineColor, shadow: s.boxShadow };
        });
        expect(ring.shadow).toMatch(/rgb\(255, 255, 255\)/);
        expect(contrastRatio(ring.outline, facts.panelBg)).toBeGreaterThanOrEqual(3);
        await page.locator('[data-jiesu="input"]').focus();
      });

      it('widget: with a ticket card', async () => {
        await page.locator(REPLIES).last().locator('[data-jiesu="quick-reply"]').filter({ hasText: '确认' }).click();
        await expect.poll(() => page.locator(`${PANEL} [data-jiesu="ticket"]`).count(), { timeout: 30_000 }).toBeGreaterThan(0);
        await check(page, 'widget ticket card', vp.name);
      });

      it('every console page', async () => {
        const failures: string[] = [];
        for (const path of consolePaths(fx)) {
          if (path !== '/admin/login') await fx.logIn(context); // the login page is seen logged out
          await page.goto(fx.gw.url + path);
          await page.waitForLoadState('networkidle', { timeout: 8_000 }).catch(() => {});
          await expect.poll(() => page.locator('.loading').count(), { timeout: 30_000 }).toBe(0);
          if (await page.locator('#app canvas, #report-body, #heatmap').count()) await page.waitForTimeout(800); // charts animate in
          const findings = await auditPage(page);
          const name = path.replace(fx.ticketNumber, ':number');
          results.push({ page: name, viewport: vp.name, findings });
          await page.screenshot({ path: `${ARTIFACTS}a11y-${vp.name}-${name.replace(/[^a-z0-9]+/gi, '_')}.png`, fullPage: true });
          if (blocking(findings).length && !THIRD_PARTY.has(path)) failures.push(`${name}:\n${describeFindings(blocking(findings))}`);
        }
        expect(failures, failures.join('\n\n')).toEqual([]);
      }, 240_000);
    });
  }
});
