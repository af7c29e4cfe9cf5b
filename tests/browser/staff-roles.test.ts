// Each role in Chromium (issue 17): a 卢沟桥街道 unit user logs in with their password, lands on their own open
// tickets soonest due first, sees no other unit's ticket in the list and gets 404 opening one by number, reads
// the citizen's phone masked and reveals it with 显示 (recorded in the audit log); the navigation shows only what
// each role may use and stays whole at phone width; the users and audit pages are axe-clean at 1280 and 390 px
// and usable from the keyboard. Screenshots of every role's landing page: tests/artifacts/roles-*.png, and in
// SCREENS_DIR when set.
//
// Chromium: `apt-get install -y chromium fonts-wqy-microhei` (or CHROMIUM_PATH). Without it the suite is skipped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, HAS_CHROMIUM, launchChromium, warnIfNoChromium } from '../helpers/browser.js';
import { auditPage, blocking, describeFindings } from '../helpers/axe.js';
import { tabTo } from '../helpers/keyboard.js';
import { ticketInput } from '../helpers/ticket-input.js';
import type { TestGateway } from '../helpers/gateway.js';
import { StaffStore, type StaffRole } from '../../src/tickets/staff-store.js';

warnIfNoChromium('staff roles');

const PASSWORD = 'role-test-password';
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

describe.skipIf(!HAS_CHROMIUM)('each staff role in the console (Chromium)', () => {
  let gw: TestGateway;
  let browser: Browser;
  const own: string[] = [];
  let other = '';
  const errors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const { startTestGateway } = await import('../helpers/gateway.js');
    gw = await startTestGateway({ SPIKE_CHECK_MS: '0', RUN_WORKERS: '0', KB_PATH: 'intents/faq.zh.yaml' });
    const { services } = gw.gateway;
    const make = async (unit: string, tier: '2h' | '24h' | '7d', text: string) => {
      const t = await services.store.createFromMessage(ticketInput({ tier, text, phone: '13812345678' }));
      await services.tickets.lifecycle.change({ number: t.ticket.number, to: 'dispatched', unit, actor: 'operator' });
      return t.ticket.number;
    };
    // Created in this order, due in the other: the 2-hour one must head the unit's list.
    own.push(await make('卢沟桥街道', '7d', '卢沟桥街道小区门口路灯坏了一周'));
    own.unshift(await make('卢沟桥街道', '2h', '卢沟桥街道假日风景小区门口大树倒了，挡住了路'));
    other = await make('太平桥街道', '24h', '太平桥街道菜市场噪音扰民');
    const staff = new StaffStore(services.database.db, { isKnownUnit: () => true });
    const users: [string, StaffRole, string?][] = [
      ['lgq-wang', 'unit', '卢沟桥街道'],
      ['op-li', 'operator'],
      ['wb-zhao', 'social'],
      ['an-sun', 'analyst'],
      ['boss', 'admin'],
    ];
    for (const [name, role, unit] of users) await staff.add({ name, role, ...(unit ? { unit } : {}), password: PASSWORD });
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
  }, 60_000);

  async function logIn(user: string, viewport: (typeof VIEWPORTS)[number] = VIEWPORTS[0]): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', reducedMotion: 'reduce' });
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(`${user}: ${e.message}`));
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${gw.url}/admin/login`);
    await page.getByLabel('用户名').fill(user);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForLoadState('networkidle');
    return { context, page };
  }

  const navLabels = (page: Page) => page.locator('header.top nav a').allTextContents();
  const screens = async (page: Page, name: string) => {
    await page.screenshot({ path: join(ARTIFACTS, `roles-${name}.png`), fullPage: true });
    if (process.env.SCREENS_DIR) await page.screenshot({ path: join(process.env.SCREENS_DIR, `${name}.png`), fullPage: true });
  };

  it('a unit user lands on its own open tickets, soonest due first, and never sees another unit’s', async () => {
    const { context, page } = await logIn('lgq-wang');
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/admin/tickets?open=1&sort=due');
    await expect.poll(() => page.locator('#results tbody tr').count()).toBe(2);
    expect(await page.locator('h1').textContent()).toBe('我的待办工单');
    const numbers = await page.locator('#results tbody tr td:first-child').allTextContents();
    expect(numbers.map((n) => n.trim())).toEqual(own);
    expect(await page.locator('body').textContent()).not.toContain(other);
    expect(await navLabels(page)).toEqual(['工单']);
    await screens(page, 'unit-landing');

    // Another unit's ticket by number: as if it did not exist.
    const res = await page.goto(`${gw.url}/admin/tickets/${other}`);
    expect(res?.status()).toBe(404);
    expect(await page.locator('#app').textContent()).toContain('没有这个工单，或它不由本单位承办');
    expect(await page.locator('#app').textContent()).not.toContain('太平桥');
    const api = await page.evaluate(async (n) => (await fetch(`/api/admin/tickets/${n}`)).status, other);
    expect(api).toBe(404);
    await context.close();
  });

  it('a unit user reads the phone masked until 显示, which the audit log records', async () => {
    const { context, page } = await logIn('lgq-wang');
    await page.goto(`${gw.url}/admin/tickets/${own[0]}`);
    await expect.poll(() => page.locator('#ticket-phone').textContent()).toBe('138****5678');
    await screens(page, 'unit-ticket-masked-1280');
    await tabTo(page, 'button.reveal');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#ticket-phone').textContent()).toBe('13812345678');
    // A unit may start its ticket but not dispatch it elsewhere.
    const options = await page.locator('#actions select[name=status] option').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value));
    expect(options).not.toContain('dispatched');
    await screens(page, 'unit-ticket-revealed-1280');
    await context.close();
    const audit = (await (await fetch(`${gw.url}/api/admin/audit?action=reveal_phone`, { headers: { authorization: `Bearer ${gw.adminToken}` } })).json()) as { items: { user: string; role: string; ticketNumber: string }[] };
    expect(audit.items[0]).toMatchObject({ user: 'lgq-wang', role: 'unit', ticketNumber: own[0] });
  });

  it('each role lands on its own work, with only its own navigation, whole at phone width', async () => {
    const cases: [string, string, RegExp, string[]][] = [
      ['op-li', 'operator', /\/admin\/tickets\?status=received$/, ['工单', '转人工', '知识库', '分析报告', '热力图', '三率排名', '突发预警', '问题清单', '失败任务']],
      ['wb-zhao', 'social', /\/admin\/mentions$/, ['工单', '转人工', '微博提及']],
      ['an-sun', 'analyst', /\/admin\/reports$/, ['工单', '分析报告', '热力图', '三率排名', '突发预警', '问题清单']],
      ['boss', 'admin', /\/admin\/tickets$/, ['工单', '转人工', '微博提及', '知识库', '分析报告', '热力图', '三率排名', '突发预警', '问题清单', '失败任务', '队列', '账号', '审计日志']],
      ['lgq-wang', 'unit', /\/admin\/tickets\?open=1&sort=due$/, ['工单']],
    ];
    for (const [user, role, landing, nav] of cases)
      for (const vp of VIEWPORTS) {
        const { context, page } = await logIn(user, vp);
        expect(page.url()).toMatch(landing);
        expect(await navLabels(page)).toEqual(nav);
        // Every link of the navigation inside the window: nothing cut off at the edge.
        const outside = await page.locator('header.top nav a').evaluateAll((as) => as.filter((a) => a.getBoundingClientRect().right > window.innerWidth + 0.5).map((a) => a.textContent));
        expect(outside, `${role} ${vp.name}`).toEqual([]);
        await page.waitForTimeout(300);
        await screens(page, `${role}-landing-${vp.width}`);
        // A page the role may not use says so, with the way back to its own work.
        if (role !== 'admin') {
          const res = await page.goto(`${gw.url}/admin/users`);
          expect(res?.status()).toBe(403);
          expect(await page.locator('main').textContent()).toContain('回到我的工作台');
        }
        await context.close();
      }
  }, 180_000);

  it('the users page: add an account, a token shown once, revoke; users and audit pages axe-clean at 1280 and 390', async () => {
    for (const vp of VIEWPORTS) {
      const { context, page } = await logIn('boss', vp);
      await page.goto(`${gw.url}/admin/users`);
      await expect.poll(() => page.locator('#users-body tbody tr').count()).toBeGreaterThanOrEqual(5);
      const findings = await auditPage(page);
      expect(blocking(findings), `users ${vp.name}:\n${describeFindings(findings)}`).toEqual([]);
      if (vp.name === 'desktop') {
        // From the keyboard: name, role, unit, then add.
        await tabTo(page, '#users-add input[name=name]');
        await page.keyboard.type('ft-unit');
        await page.locator('#users-add select[name=role]').selectOption('unit');
        await page.locator('#users-add input[name=unit]').fill('丰台区城市管理委员会');
        await page.locator('#users-add input[name=password]').fill('fengtai-password');
        await page.locator('#users-add input[name=password]').press('Enter');
        await expect.poll(() => page.locator('#users-status').textContent()).toContain('已添加账号 ft-unit');
        const row = page.locator('#users-body tbody tr', { hasText: 'ft-unit' });
        await row.getByRole('button', { name: '新令牌' }).click();
        await expect.poll(() => page.locator('#users-new-token').inputValue()).toMatch(/^jst_/);
        const token = await page.locator('#users-new-token').inputValue();
        expect((await fetch(`${gw.url}/api/tickets`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
        await page.reload();
        // The token's last use (stamped to the minute) shows beside the account.
        await expect.poll(() => row.locator('td').nth(5).textContent()).not.toBe('从未');
        await page.locator('#users-body tbody tr', { hasText: 'ft-unit' }).getByRole('button', { name: '吊销令牌' }).click();
        await expect.poll(() => page.locator('#users-status').textContent()).toContain('已吊销 1 个令牌');
        expect((await fetch(`${gw.url}/api/tickets`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(403);
        // A new password from the keyboard, in a masked field; the old one stops working.
        await page.locator('#users-body tbody tr', { hasText: 'ft-unit' }).getByRole('button', { name: '重置密码' }).click();
        await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('users-new-password');
        expect(await page.locator('#users-new-password').getAttribute('type')).toBe('password');
        await page.keyboard.type('fengtai-password-2');
        await page.keyboard.press('Enter');
        await expect.poll(() => page.locator('#users-status').textContent()).toContain('ft-unit 的密码已重置');
        const login = (password: string) => fetch(`${gw.url}/admin/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ user: 'ft-unit', password }) });
        expect((await login('fengtai-password')).status).toBe(401);
        expect((await login('fengtai-password-2')).status).toBe(303);
        await row.getByRole('button', { name: '新令牌' }).click();
        await expect.poll(() => page.locator('#users-new-token').inputValue()).toMatch(/^jst_/);
        await screens(page, 'admin-users-1280');
      }
      await page.goto(`${gw.url}/admin/audit`);
      await expect.poll(() => page.locator('#audit-body tbody tr').count()).toBeGreaterThan(0);
      const auditFindings = await auditPage(page);
      expect(blocking(auditFindings), `audit ${vp.name}:\n${describeFindings(auditFindings)}`).toEqual([]);
      await screens(page, `admin-audit-${vp.width}`);
      await context.close();
    }
    expect(errors).toEqual([]);
  }, 180_000);
});
