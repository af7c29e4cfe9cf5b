// 问题清单 in headless Chromium against a real gateway whose scheduled problem check runs over eight planted
// weeks (tests/integration/problems-fixture.ts): the planted recurring problem is offered as a candidate, an
// operator makes it a problem, a new matching ticket is proposed by the next run and linked by a click, the
// problem is marked solved, and the before/after chart (and its table) shows the drop. No script error, console
// error or CSP violation on the way. Screenshots: tests/artifacts/problems-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, HAS_CHROMIUM, launchChromium, warnIfNoChromium } from '../helpers/browser.js';
import type { TestGateway } from '../helpers/gateway.js';
import type { Database } from '../../src/tickets/db.js';

warnIfNoChromium('problem lists');

describe.skipIf(!HAS_CHROMIUM)('problem lists in Chromium', () => {
  let gw: TestGateway;
  let database: Database;
  let browser: Browser;
  let context: BrowserContext;
  const now = new Date();

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const { startTestGateway } = await import('../helpers/gateway.js');
    gw = await startTestGateway({ PROBLEM_CHECK_MS: '1000', SPIKE_CHECK_MS: '0' });
    const { openDatabase } = await import('../../src/tickets/db.js');
    database = await openDatabase({ databaseUrl: gw.databaseUrl });
    const { plantEightWeeks } = await import('../integration/problems-fixture.js');
    await plantEightWeeks(database.db, now);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await database?.close();
    await gw?.stop();
  }, 60_000);

  /** axe-core's WCAG 2 A/AA rules over the page as it is now: the violations' rule ids and targets. */
  async function axeViolations(page: Page): Promise<string[]> {
    const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    // Evaluated through the DevTools protocol, which the page's CSP does not govern (a <script> tag would be refused).
    await page.evaluate(source);
    const result = await page.evaluate(() => (window as unknown as { axe: { run(o: unknown): Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }> } }).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(' ')}`);
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}problems-${name}.png`, fullPage: true });

  it('a suggested recurring problem is made a problem, gets a new ticket linked, is solved, and the chart shows the drop', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));

    await page.goto(gw.url + '/admin/problems');
    await page.fill('input[name=token]', gw.adminToken);
    await Promise.all([page.waitForURL('**/admin/problems'), page.click('button[type=submit]')]);
    // The gateway's own scheduled check fills the candidates within a period or two (a run during the
    // planting sees part of the weeks: wait for one over all of them).
    const card = page.locator('#suggestions article', { hasText: '假日风景小区' });
    await expect
      .poll(async () => {
        await page.reload();
        await page.waitForLoadState('networkidle');
        return [await card.count(), await page.locator('#suggestions article').count()];
      }, { timeout: 30_000, interval: 1000 })
      .toEqual([1, 2]);
    expect(await card.locator('input[name=leadUnit]').inputValue()).toBe('卢沟桥街道办事处');
    await shot(page, 'suggestions');
    expect(await axeViolations(page)).toEqual([]);

    await Promise.all([page.waitForURL(/\/admin\/problems\/\d+$/), card.locator('button[type=submit]').click()]);
    await expect.poll(() => page.locator('#linked tbody tr').count(), { timeout: 15_000 }).toBe(8);
    expect(await page.locator('#problem-status').textContent()).toBe('待处理');

    // A citizen calls again about the lifts: the next run proposes the ticket, a person confirms it.
    const { plant } = await import('../integration/problems-fixture.js');
    const [fresh] = await plant(database.db, [{ week: 7, day: 6.9, text: '假日风景小区电梯又坏了，今天困人了', category: 'property', street: '卢沟桥街道' }], now, 'ui');
    const proposedRow = page.locator('#proposed tbody tr', { hasText: fresh.number });
    await expect
      .poll(async () => {
        await page.reload();
        await page.waitForLoadState('networkidle');
        return proposedRow.count();
      }, { timeout: 30_000, interval: 1000 })
      .toBe(1);
    await shot(page, 'proposed');
    await proposedRow.locator('button.link-yes').click();
    await expect.poll(() => page.locator('#linked tbody tr').count(), { timeout: 15_000 }).toBe(9);
    expect(await page.locator('#proposed tbody td.muted').textContent()).toContain('没有待确认');

    await page.selectOption('#p-status', 'solved');
    await page.click('#status-form button[type=submit]');
    await expect.poll(() => page.locator('#problem-status').textContent(), { timeout: 15_000 }).toBe('已解决');
    // Before: 9 tickets in the 8 weeks up to today; after: none. The chart's data is also a table.
    const rows = await page.locator('#trend tbody tr').allTextContents();
    expect(rows).toHaveLength(9);
    const counts = (phase: string) => rows.filter((r) => r.includes(phase)).map((r) => Number(/(\d+)$/.exec(r)![1]));
    expect(counts('解决前').reduce((a, b) => a + b, 0)).toBe(9);
    expect(counts('解决后')).toEqual([0]);
    expect(await page.locator('#trend .kpi').allTextContents()).toEqual(['解决前周均1.13', '解决后周均0', '解决后件数（1周）0']);
    expect(await page.locator('#trend canvas').count()).toBe(1);
    await page.fill('#e-notes', '已协调产权单位更换3台电梯，纳入老旧小区改造');
    await page.click('#edit-form button[type=submit]');
    await expect.poll(() => page.locator('#events li').last().textContent(), { timeout: 15_000 }).toContain('修改：备注');
    expect(await page.locator('#events li').allTextContents()).toEqual([
      expect.stringContaining('立为问题'),
      expect.stringContaining('关联工单：' + fresh.number),
      expect.stringContaining('状态变更：待处理 → 已解决'),
      expect.stringContaining('修改：备注'),
    ]);
    await shot(page, 'solved');
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(gw.url + '/admin/problems');
    await page.waitForLoadState('networkidle');
    expect(await page.locator('#problems tbody tr').first().textContent()).toContain('已解决');
    expect(await page.locator('#suggestions article').count()).toBe(1);
    await shot(page, 'list');
    expect(errors).toEqual([]);
  }, 120_000);
});
