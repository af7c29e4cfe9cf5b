// The console's failed-jobs page (失败任务) in headless Chromium: a complaint that could not be filed is listed
// with its text and reserved number, and its retry button queues it again under its message's job id. The page
// must load with no script error, console error or CSP violation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { ARTIFACTS, HAS_CHROMIUM, launchChromium, warnIfNoChromium } from '../helpers/browser.js';
import type { TestGateway } from '../helpers/gateway.js';
import { jobIdFor } from '../../src/core/job-id.js';
import type { TicketJob } from '../../src/queue/queues.js';

warnIfNoChromium('admin dead letters');

describe.skipIf(!HAS_CHROMIUM)('failed jobs page in Chromium', () => {
  let gw: TestGateway;
  let browser: Browser;

  beforeAll(async () => {
    const { startTestGateway } = await import('../helpers/gateway.js');
    // No workers: the retried job stays queued where the test can see it.
    gw = await startTestGateway({ RUN_WORKERS: '0', SPIKE_CHECK_MS: '0' });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
  });

  it('lists a complaint that could not be filed and retries it', async () => {
    const sourceMessageId = 'telegram:dead-1';
    const job: TicketJob = {
      message: { id: sourceMessageId, channel: 'telegram', conversationId: '42', sender: { id: '42' }, text: '丰台区卢沟桥街道井盖丢了\uFFFD', isPublic: false, receivedAt: new Date().toISOString() },
      decision: { kind: 'ticket', score: 0.9, candidates: [], category: 'municipal', tier: '7d', lang: 'zh' },
      number: '20261128-000042',
    };
    const at = new Date();
    await gw.gateway.services.tickets.deadLetterStore.record({
      sourceMessageId,
      channel: 'telegram',
      job: job as unknown as Record<string, unknown>,
      error: 'new row for relation "tickets" violates check constraint',
      attempts: 45,
      queuedAt: at,
      failedAt: at,
    });

    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    const page: Page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
    await page.goto(`${gw.url}/admin/dead-letters`);
    await page.fill('input[name=token]', gw.adminToken);
    await Promise.all([page.waitForURL('**/admin/dead-letters'), page.click('button[type=submit]')]);
    await expect.poll(() => page.locator('#dead-letters-body table').first().textContent(), { timeout: 20_000 }).toContain('井盖丢了');
    const row = page.locator('#dead-letters-body table').first().locator('tbody tr').first();
    expect(await row.textContent()).toContain('20261128-000042');
    expect(await page.locator('nav a[aria-current=page]').textContent()).toBe('失败任务');
    await page.screenshot({ path: `${ARTIFACTS}admin-dead-letters.png`, fullPage: true });

    await row.locator('button').click();
    await expect.poll(() => page.locator('[role=status]').textContent()).toBe('已重新排队。');
    const queued = await gw.gateway.services.queues.tickets.getJob(jobIdFor(sourceMessageId));
    expect(queued?.data).toMatchObject({ number: '20261128-000042', message: { text: job.message.text } });
    expect(errors).toEqual([]);
    await context.close();
  });
});
