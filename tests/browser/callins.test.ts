// Issue 17's first "done when", in Chromium: a citizen's complaint goes to 卢沟桥街道; a user of that street
// office signs in, sees only its tickets, and calls in (吹哨) 丰台区城市管理委员会 from the ticket page; a user of
// that department sees the ticket marked 协办 and reports (报到); the street resolves it; the citizen gets the
// result in the widget.
// Chromium: `apt-get install -y chromium fonts-wqy-microhei` (or CHROMIUM_PATH); skipped without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, HAS_CHROMIUM, launchChromium, warnIfNoChromium } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { WebchatCitizen } from '../helpers/webchat-client.js';
import { StaffStore } from '../../src/tickets/staff-store.js';
import { knownUnits } from '../../src/tickets/dispatch.js';
import { loadDispatchTable } from '../../src/tickets/dispatch-table.js';

/**
 * The unit accounts below sign in with their passwords and see only what the access rules give them (the tickets
 * dispatched to their unit or that they are called in to); false takes each unit's steps in an admin-token
 * session instead, where the department finds its 协办 tickets with the list's 协办单位 filter.
 */
const UNIT_ACCOUNTS_SIGN_IN = true;

const PANEL = '[data-jiesu="panel"]';
const REPLIES = `${PANEL} [data-jiesu="message"]:not([data-from="citizen"])`;
const STREET = '卢沟桥街道';
const DEPT = '丰台区城市管理委员会';
const PASSWORD = 'callin-test-password-0123';

warnIfNoChromium('callins');
describe.skipIf(!HAS_CHROMIUM)('吹哨报到 in the console', () => {
  let browser: Browser;
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({ CONFIRM_COMPLAINTS: '0' });
    const units = knownUnits(loadDispatchTable());
    const staff = new StaffStore(gw.gateway.services.database.db, { isKnownUnit: (u) => units.has(u) });
    await staff.add({ name: 'lugouqiao', role: 'unit', unit: STREET, password: PASSWORD });
    await staff.add({ name: 'ftcgw', role: 'unit', unit: DEPT, password: PASSWORD });
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
  }, 60_000);

  async function signIn(user: string, next: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${gw.url}/admin/login?next=${encodeURIComponent(next)}`);
    if (UNIT_ACCOUNTS_SIGN_IN) {
      await page.fill('input[name=user]', user);
      await page.fill('input[name=password]', PASSWORD);
    } else {
      await page.fill('input[name=token]', gw.adminToken);
    }
    await Promise.all([page.waitForURL(`**${next}`), page.click('button[type=submit]')]);
    return { context, page };
  }

  it('the street calls in the department, the department reports, the street resolves, the citizen hears', async () => {
    // The citizen, in the widget.
    const citizenContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    const widget = await citizenContext.newPage();
    await widget.goto(`${gw.url}/`);
    await widget.locator('[data-jiesu="toggle"]').click();
    const input = widget.locator('[data-jiesu="input"]');
    await input.fill('丰台区卢沟桥街道丰台北路上的井盖丢了，晚上很危险，请尽快处理');
    await input.press('Enter');
    const ticketMark = widget.locator(`${PANEL} [data-jiesu="ticket"]`).first();
    await expect.poll(async () => ((await ticketMark.count()) ? await ticketMark.textContent() : ''), { timeout: 30_000 }).toMatch(/\d{8}-\d{6}/);
    const number = ((await ticketMark.textContent()) ?? '').match(/\d{8}-\d{6}/)![0];
    // Another street's ticket, which 卢沟桥街道 must not see.
    const elsewhere = new WebchatCitizen(gw.url);
    await elsewhere.connect();
    await elsewhere.say('朝阳区望京街道花家地西里的垃圾好几天没人清运了');
    const otherNumber = (await elsewhere.waitFor((m) => m.kind === 'ticket')).ticketNumber as string;
    elsewhere.close();

    // 卢沟桥街道 signs in and finds its ticket in the list.
    const street = await signIn('lugouqiao', '/admin/tickets');
    const listed = () => street.page.locator('#results table a').evaluateAll((as) => as.map((a) => a.textContent));
    await expect.poll(listed, { timeout: 10_000 }).toContain(number);
    if (UNIT_ACCOUNTS_SIGN_IN) {
      // The scoping assertion — a unit sees only the tickets dispatched to it or called in to it.
      expect(await listed()).not.toContain(otherNumber);
    }

    // It calls in the department suggested for the category, with a note.
    await street.page.click(`#results a[href="/admin/tickets/${number}"]`);
    await street.page.waitForURL(`**/admin/tickets/${number}`);
    const suggested = street.page.locator(`#callin-form input[name=suggested][value="${DEPT}"]`);
    await suggested.check();
    await street.page.fill('#callin-form textarea[name=callin-note]', '井盖缺失，请城管委协调更换');
    await street.page.click('#callin-form button[type=submit]');
    await expect.poll(() => street.page.locator('#callins .callins li').first().textContent(), { timeout: 10_000 }).toContain('待报到');
    expect(await street.page.locator('#callins .callins li').first().textContent()).toContain(DEPT);
    await street.page.screenshot({ path: `${ARTIFACTS}callins-called.png`, fullPage: true });

    // The department sees the ticket marked 协办 in its list, and reports.
    const deptList = UNIT_ACCOUNTS_SIGN_IN ? '/admin/tickets' : `/admin/tickets?calledIn=${encodeURIComponent(DEPT)}`;
    const dept = await signIn('ftcgw', deptList);
    const row = dept.page.locator('#results tr', { has: dept.page.locator(`a[href="/admin/tickets/${number}"]`) });
    await expect.poll(() => row.locator('.badge.callin').textContent(), { timeout: 10_000 }).toBe('协办');
    await dept.page.screenshot({ path: `${ARTIFACTS}callins-assist-list.png`, fullPage: true });
    await row.locator(`a[href="/admin/tickets/${number}"]`).click();
    await dept.page.waitForURL(`**/admin/tickets/${number}`);
    // An admin's session names the unit it reports for; a unit user's reports for its own unit.
    if (await dept.page.locator('#report-form select[name=report-unit]').count()) await dept.page.selectOption('#report-form select[name=report-unit]', DEPT);
    await dept.page.fill('#report-form textarea[name=report-note]', '已到现场，井盖今日更换完毕');
    await dept.page.click('#report-form button[type=submit]');
    await expect.poll(() => dept.page.locator('#callins .callins li').first().textContent(), { timeout: 10_000 }).toContain('已报到');
    expect(await dept.page.locator('#callins').textContent()).toContain('已到现场，井盖今日更换完毕');
    expect(await dept.page.locator('#report-form').count()).toBe(0);

    // The street resolves the ticket; its timeline shows the call-in and the report.
    await street.page.reload();
    const timeline = () => street.page.locator('#timeline strong').evaluateAll((ns) => ns.map((n) => n.textContent));
    await expect.poll(timeline, { timeout: 10_000 }).toEqual(expect.arrayContaining(['吹哨', '报到']));
    await street.page.selectOption('#actions select[name=status]', 'resolved');
    await street.page.fill('#actions textarea[name=note]', '井盖已由城管委更换，道路恢复安全');
    await street.page.click('#actions button[type=submit]');
    await expect.poll(() => street.page.locator('h1 .badge').first().textContent(), { timeout: 10_000 }).toBe('已办结');
    await expect.poll(timeline, { timeout: 10_000 }).toEqual(expect.arrayContaining(['吹哨', '报到', '办结']));
    await street.page.screenshot({ path: `${ARTIFACTS}callins-resolved.png`, fullPage: true });

    // The citizen gets the result on their own channel, with the return-visit question.
    const replies = () => widget.locator(REPLIES).evaluateAll((ns) => ns.map((n) => n.textContent ?? '').join('\n'));
    await expect.poll(replies, { timeout: 15_000 }).toContain('井盖已由城管委更换，道路恢复安全');
    await expect.poll(replies, { timeout: 15_000 }).toContain('请您对工单');
    await widget.screenshot({ path: `${ARTIFACTS}callins-citizen.png` });
    await Promise.all([street.context.close(), dept.context.close(), citizenContext.close()]);
  });
});
