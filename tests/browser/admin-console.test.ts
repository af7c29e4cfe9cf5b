// The operators' console in headless Chromium against a real gateway holding a seeded stretch of tickets
// (scripts/seed-year.ts, a small count): log in, then every page — tickets, one ticket with a status change,
// knowledge base with "try a question", the three reports, heat map (a cell opens the filtered list), rates
// and ranking, spikes, queues. Each page must load with no script error, no console error and no CSP
// violation, and show its key content. Screenshots go to tests/artifacts/admin-*.png (gitignored).
//
// Chromium: `apt-get install -y chromium fonts-wqy-microhei` (or CHROMIUM_PATH). Without it the suite is skipped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ARTIFACTS, HAS_CHROMIUM, launchChromium, warnIfNoChromium } from '../helpers/browser.js';
import type { TestGateway } from '../helpers/gateway.js';


warnIfNoChromium('admin console');

describe.skipIf(!HAS_CHROMIUM)('admin console in Chromium', () => {
  let gw: TestGateway;
  let browser: Browser;
  let context: BrowserContext;
  let dir: string;
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'jiesu-admin-ui-'));
    const { DEFAULT_KB_PATH } = await import('../../src/nlu/index.js');
    copyFileSync(DEFAULT_KB_PATH, join(dir, 'faq.yaml'));
    const { startTestGateway } = await import('../helpers/gateway.js');
    gw = await startTestGateway({ KB_PATH: join(dir, 'faq.yaml'), SPIKE_CHECK_MS: '0', RUN_WORKERS: '0' });
    const { seedYear } = await import('../../scripts/seed-year.js');
    // Two months up to now, with the "last 24 hours" spike the seeder plants.
    await seedYear({ databaseUrl: gw.databaseUrl, tickets: 6000, days: 60, end: new Date(), seed: 7 });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  /** A page that records script errors and console errors; `allow` filters known, harmless ones. */
  async function open(path: string, allow: RegExp[] = []): Promise<{ page: Page; errors: string[] }> {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !allow.some((a) => a.test(m.text() + ' ' + (m.location().url ?? '')))) errors.push(`console: ${m.text()}`);
    });
    page.on('dialog', (d) => void d.accept());
    await page.goto(gw.url + path);
    return { page, errors };
  }

  async function settle(page: Page): Promise<void> {
    await page.waitForLoadState('networkidle').catch(() => {});
    await expect.poll(() => page.locator('.loading').count(), { timeout: 30_000 }).toBe(0);
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}admin-${name}.png`, fullPage: true });

  it('asks for a login, refuses a wrong token, and logs in with the admin token', async () => {
    const { page, errors } = await open('/admin/reports');
    expect(page.url()).toContain('/admin/login?next=%2Fadmin%2Freports');
    await page.fill('input[name=token]', 'wrong-token-wrong-token');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('.error').textContent()).toContain('令牌或用户名、密码不正确');
    await shot(page, 'login-refused');
    await page.fill('input[name=token]', gw.adminToken);
    await Promise.all([page.waitForURL('**/admin/reports'), page.click('button[type=submit]')]);
    await settle(page);
    // The 401 of the refused login is expected; nothing else may fail.
    expect(errors.filter((e) => !/401/.test(e))).toEqual([]);
    await page.close();
  });

  it('tickets: list with overdue first, filters, and one ticket moved along its lifecycle', async () => {
    const { page, errors } = await open('/admin/tickets');
    await settle(page);
    await expect.poll(() => page.locator('#results tbody tr').count()).toBe(50);
    expect(await page.locator('#results .summary').textContent()).toMatch(/共 \d+ 件，其中逾期未办结 \d+ 件/);
    await shot(page, 'tickets');
    await page.selectOption('select[name=status]', 'dispatched');
    await Promise.all([page.waitForURL(/status=dispatched/), page.click('#filters button[type=submit]')]);
    await settle(page);
    const number = (await page.locator('#results tbody tr a').first().textContent())!.trim();
    expect(number).toMatch(/^\d{8}-\d{6}$/);
    await page.goto(`${gw.url}/admin/tickets/${number}`);
    await settle(page);
    expect(await page.locator('h1').textContent()).toContain(number);
    expect(await page.locator('#timeline li').count()).toBeGreaterThanOrEqual(2);
    await page.selectOption('#actions select[name=status]', 'in_progress');
    await page.fill('#actions textarea[name=note]', '已电话联系市民，正在处理');
    await page.click('#actions button[type=submit]');
    await expect.poll(() => page.locator('#timeline li').last().textContent(), { timeout: 15_000 }).toContain('已电话联系市民');
    expect(await page.locator('h1 .badge').first().textContent()).toBe('办理中');
    // Correcting the category: the ticket takes it and the correction is training data.
    const other = await page.locator('#category-fix option:not([selected])').first().getAttribute('value');
    await page.selectOption('#category-fix select', other!);
    await page.click('#category-fix button[type=submit]');
    await expect.poll(() => page.locator('#category-fix [role=status]').textContent(), { timeout: 15_000 }).toContain('已更正');
    expect((await (await fetch(`${gw.url}/api/admin/review`, { headers: { authorization: `Bearer ${gw.adminToken}` } })).json()).items.some((i: { kind: string; toCategory: string }) => i.kind === 'recategorized' && i.toCategory === other)).toBe(true);
    await shot(page, 'ticket');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('knowledge base: entries, try a question with scored candidates, review queue, a regression confirmed, a version restored', async () => {
    // The regression is a 409 the page shows; Chromium logs every 4xx response as a console error.
    const { page, errors } = await open('/admin/kb', [/status of 409/]);
    await settle(page);
    expect(await page.locator('#kb-list li').count()).toBeGreaterThan(20);
    await page.fill('#kb-search', '社保卡');
    expect(await page.locator('#kb-list li').count()).toBeGreaterThan(0);
    await page.locator('#kb-list li').first().click();
    expect(await page.locator('#kb-form input[name=id]').inputValue()).toMatch(/^[a-z0-9-]+$/);
    await page.fill('#kb-try-input', '社保卡丢了怎么补办');
    await page.click('#kb-try button[type=submit]');
    await expect.poll(() => page.locator('#kb-try-result').textContent()).toContain('直接答复');
    expect(await page.locator('#kb-try-result tbody tr').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('#kb-review').textContent()).toContain('待处理问题');
    await expect.poll(() => page.locator('#kb-versions').textContent()).toContain('初始导入');
    await expect.poll(() => page.locator('#kb-stats').textContent()).toContain('条目效果');
    await shot(page, 'kb');
    // Deleting an entry the eval cases need is shown as a regression, published only when confirmed.
    await page.fill('#kb-search', 'social-card-loss');
    await page.locator('#kb-list li').first().click();
    await page.click('#kb-form button.danger');
    await expect.poll(() => page.locator('#kb-editor').textContent()).toContain('有退步');
    expect(await page.locator('#kb-editor .kb-diff tbody tr').count()).toBeGreaterThan(0);
    await shot(page, 'kb-regression');
    await page.click('#kb-editor button.danger:has-text("仍然发布")');
    await expect.poll(() => page.locator('#kb-editor').textContent()).toContain('已确认并发布为第 2 版');
    // Restoring the first version brings it back; it too is measured first (a case the deletion had fixed
    // breaks again, so it asks for confirmation).
    await expect.poll(() => page.locator('#kb-versions tbody tr').count()).toBe(2);
    await page.click('#kb-versions button:has-text("恢复此版")');
    await expect.poll(() => page.locator('#kb-versions').textContent()).toContain('变对');
    await page.click('#kb-versions button.danger:has-text("仍然发布")');
    await expect.poll(() => page.locator('#kb-versions').textContent()).toContain('已确认并发布为第 3 版');
    await expect.poll(async () => (await gw.gateway.nlu.entry('social-card-loss')) !== undefined).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  for (const kind of ['daily', 'weekly', 'monthly'] as const) {
    it(`reports: the ${kind} report with charts, tables and exports`, async () => {
      const { page, errors } = await open(`/admin/reports?kind=${kind}`);
      await settle(page);
      expect(await page.locator('#report-body h2').first().textContent()).toMatch(/12345热线(日通报|周汇总|月度分析)/);
      await expect.poll(() => page.locator('#report-body canvas').count()).toBeGreaterThanOrEqual(3);
      expect(await page.locator('.kpi').count()).toBeGreaterThanOrEqual(5);
      expect(await page.locator('#report-body table').count()).toBeGreaterThanOrEqual(4);
      const csv = await page.request.get(gw.url + (await page.locator('a', { hasText: '导出CSV' }).getAttribute('href'))!);
      expect(csv.headers()['content-type']).toContain('text/csv');
      // Chart titles above the charts (never inside, where legends ran into them); the period shown is in the
      // date field as yyyy/mm/dd whatever the browser's locale.
      expect(await page.locator('#report-body .chart-title').count()).toBeGreaterThanOrEqual(3);
      expect(await page.locator('input[name=date]').inputValue()).toMatch(/^\d{4}\/\d{2}\/\d{2}$/);
      const html = await page.request.get(gw.url + (await page.locator('a', { hasText: '导出HTML' }).getAttribute('href'))!);
      expect(html.headers()['content-type']).toContain('text/html');
      expect(await html.text()).toContain('<svg');
      if (kind === 'daily') {
        const pdf = await page.request.get(gw.url + (await page.locator('a', { hasText: '导出PDF' }).getAttribute('href'))!);
        expect(pdf.headers()['content-type']).toBe('application/pdf');
        expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      }
      await shot(page, `reports-${kind}`);
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it('reports: a period without tickets says 暂无数据 instead of drawing bare axes; a date that is not yyyy/mm/dd is refused in words', async () => {
    const { page, errors } = await open('/admin/reports?kind=daily');
    await settle(page);
    await page.fill('input[name=date]', '2020/01/01');
    await Promise.all([page.waitForURL(/date=2020-01-01/), page.click('form.toolbar button[type=submit]')]);
    await settle(page);
    await expect.poll(() => page.locator('#report-body .chart-empty').count()).toBe(3);
    expect(await page.locator('#report-body canvas').count()).toBe(0);
    await page.fill('input[name=date]', '01/02/2020');
    await page.click('form.toolbar button[type=submit]');
    await expect.poll(() => page.locator('input[name=date]').evaluate((i) => (i as HTMLInputElement).validationMessage)).toContain('请按 yyyy/mm/dd');
    expect(page.url()).toContain('date=2020-01-01');
    await shot(page, 'reports-empty');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('at phone width every page of the navigation is on screen; at 1280 px a complaint\'s words are shown whole', async () => {
    const { page, errors } = await open('/admin/tickets');
    await settle(page);
    await page.setViewportSize({ width: 390, height: 844 });
    const outside = await page.evaluate(() =>
      [...document.querySelectorAll('header.top nav a')]
        .map((a) => ({ text: a.textContent, r: a.getBoundingClientRect() }))
        .filter(({ r }) => r.left < 0 || r.right > window.innerWidth || r.width === 0)
        .map(({ text }) => text),
    );
    expect(outside).toEqual([]);
    await shot(page, 'phone-nav');
    await page.setViewportSize({ width: 1280, height: 800 });
    const cut = await page.evaluate(() =>
      [...document.querySelectorAll('#results td.text')].filter((td) => td.scrollWidth > td.clientWidth + 1 || td.getBoundingClientRect().right > document.documentElement.clientWidth).length,
    );
    expect(cut).toBe(0);
    await shot(page, 'tickets-1280');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('heat map: streets × categories, a cell opens the filtered ticket list', async () => {
    const { page, errors } = await open('/admin/heatmap');
    await settle(page);
    await expect.poll(() => page.locator('#heatmap canvas').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    // Dates as Chinese readers write them, whatever the browser's locale.
    expect(await page.locator('input[name=from]').inputValue()).toMatch(/^\d{4}\/\d{2}\/\d{2}$/);
    await shot(page, 'heatmap');
    // A cell with tickets, found where ECharts drew it (the layout is the chart's business, not the test's).
    const box = (await page.locator('#heatmap .chart').boundingBox())!;
    const cell = await page.evaluate(() => {
      const chart = (window as unknown as { echarts: { getInstanceByDom(el: Element): { getOption(): { series: { data: number[][] }[] }; convertToPixel(f: object, v: number[]): number[] } } }).echarts.getInstanceByDom(document.querySelector('#heatmap .chart')!);
      const first = chart.getOption().series[0].data.find((d) => d[2] > 0)!;
      return chart.convertToPixel({ seriesIndex: 0 }, [first[0], first[1]]);
    });
    await Promise.all([page.waitForURL(/\/admin\/tickets\?street=/, { timeout: 45_000 }), page.mouse.click(box.x + cell[0], box.y + cell[1])]);
    await settle(page);
    const url = new URL(page.url());
    expect(url.searchParams.get('category')).toBeTruthy();
    expect(await page.locator('select[name=category]').inputValue()).toBe(url.searchParams.get('category'));
    expect(await page.locator('#results tbody tr').count()).toBeGreaterThan(0);
    await shot(page, 'heatmap-drilldown');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('rates: the three rates and the four-class ranking of streets', async () => {
    const { page, errors } = await open('/admin/rates');
    await settle(page);
    expect(await page.locator('.kpi .label').allTextContents()).toEqual(['先进类', '较好类', '一般类', '治理类', '样本不足未排名']);
    expect(await page.locator('#rates-body tbody tr').count()).toBeGreaterThan(10);
    await shot(page, 'rates');
    await page.selectOption('select[name=by]', 'unit');
    await Promise.all([page.waitForURL(/by=unit/), page.click('form.toolbar button[type=submit]')]);
    await settle(page);
    expect(await page.locator('#rates-body th').first().textContent()).toBe('承办单位');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('spikes: the planted 24-hour spike is listed, and checking raises it as an alert', async () => {
    const { page, errors } = await open('/admin/spikes');
    await settle(page);
    expect(await page.locator('#spikes-body').textContent()).toContain('水电气');
    await page.click('#spike-check');
    await expect.poll(() => page.locator('[role=status]').textContent()).toMatch(/新发出 \d+ 条预警|没有新的预警/);
    await expect.poll(() => page.locator('#spikes-body table').nth(1).locator('tbody tr').count()).toBeGreaterThan(0);
    await shot(page, 'spikes');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('queues: the BullMQ dashboard behind the login, asking no other host for anything, with a way back', async () => {
    const outside: string[] = [];
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return route.continue();
      outside.push(url.href);
      return route.abort();
    });
    const { page, errors } = await open('/admin/queues');
    await page.waitForLoadState('networkidle').catch(() => {});
    await expect.poll(() => page.locator('body').textContent(), { timeout: 20_000 }).toContain('outbound');
    await shot(page, 'queues');
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.evaluate(() => (JSON.parse(document.getElementById('__UI_CONFIG__')!.textContent!) as { miscLinks: { url: string }[] }).miscLinks.map((l) => l.url))).toContain('/admin');
    await context.unroute('**/*');
    await page.close();
  });

  afterAll(() => {
    if (problems.length) console.warn(problems.join('\n'));
  });
});
