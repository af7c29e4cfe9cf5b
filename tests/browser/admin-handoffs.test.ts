// 转人工 in headless Chromium: a web chat citizen asks for a person, the operator opens /admin/handoffs, sees
// the waiting conversation with its messages, replies (the citizen receives it in the chat) and releases it.
// The page must load with no script error, no console error and no CSP violation. Screenshot:
// tests/artifacts/admin-handoffs.png (gitignored).
//
// Chromium: `apt-get install -y chromium fonts-wqy-microhei` (or CHROMIUM_PATH). Without it the suite is skipped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { type Browser, type BrowserContext } from 'playwright-core';
import { ARTIFACTS, HAS_CHROMIUM, launchChromium, warnIfNoChromium } from '../helpers/browser.js';
import type { TestGateway } from '../helpers/gateway.js';
import { Script, WebchatCitizen } from '../helpers/webchat-client.js';


warnIfNoChromium('admin handoffs');

describe.skipIf(!HAS_CHROMIUM)('转人工 page in Chromium', () => {
  let gw: TestGateway;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const { startTestGateway } = await import('../helpers/gateway.js');
    gw = await startTestGateway({ WORKING_HOURS: '00:00-23:59', SPIKE_CHECK_MS: '0' });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
  }, 60_000);

  it('lists the waiting conversation, sends a reply into the chat, and releases it', async () => {
    const s = new Script(new WebchatCitizen(gw.url));
    await s.citizen.connect();
    await s.expect('转人工', /转接人工客服/);
    await s.send('我家楼下的拆迁补偿标准是怎么定的');
    await s.send('<b>不是标签</b> 附近邻居也想问');

    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('dialog', (d) => void d.accept());

    await page.goto(`${gw.url}/admin/handoffs`);
    expect(page.url()).toContain('/admin/login?next=%2Fadmin%2Fhandoffs');
    await page.fill('input[name=token]', gw.adminToken);
    await Promise.all([page.waitForURL('**/admin/handoffs'), page.click('button[type=submit]')]);
    expect(await page.locator('header nav a.active').textContent()).toBe('转人工');

    await expect.poll(() => page.locator('#handoff-list button.handoff-item').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.locator('#handoff-list').textContent()).toContain('网站对话');
    // The oldest (only) conversation opens by itself, with the whole conversation as plain text: the bot's
    // 转接人工客服 reply too.
    await expect.poll(() => page.locator('#handoff-thread li').count()).toBe(4);
    expect(await page.locator('#handoff-thread li.from-citizen .bubble').allTextContents()).toEqual(['转人工', '我家楼下的拆迁补偿标准是怎么定的', '<b>不是标签</b> 附近邻居也想问']);
    expect(await page.locator('#handoff-thread li.from-bot .bubble').textContent()).toMatch(/转接人工客服/);
    expect(await page.locator('#handoff-thread b').count()).toBe(0);

    await page.fill('#handoff-text', '您好，我是话务员小王。拆迁补偿标准按区里公布的方案执行，我帮您查一下。');
    await page.click('#handoff-send');
    await expect.poll(() => page.locator('#handoff-msg').textContent()).toBe('已发送。');
    await expect.poll(() => page.locator('#handoff-thread li.from-agent .bubble').allTextContents()).toEqual(['您好，我是话务员小王。拆迁补偿标准按区里公布的方案执行，我帮您查一下。']);
    expect(await page.locator('#handoff-text').inputValue()).toBe('');
    const pushed = await s.citizen.waitFor((m) => m.from === 'agent');
    expect(pushed.text).toContain('话务员小王');
    // One refresh round later the page still shows the same conversation (nothing flickers away).
    await page.waitForTimeout(4500);
    expect(await page.locator('#handoff-thread li').count()).toBe(5);
    await page.screenshot({ path: `${ARTIFACTS}admin-handoffs.png`, fullPage: true });

    await page.click('#handoff-release');
    await expect.poll(() => page.locator('#handoff-list').textContent()).toContain('目前没有等待人工的会话');
    await s.citizen.waitFor((m) => /人工服务已结束/.test(m.text));
    await page.screenshot({ path: `${ARTIFACTS}admin-handoffs-released.png`, fullPage: true });
    expect(errors).toEqual([]);
    s.citizen.close();
    await page.close();
  });
});
