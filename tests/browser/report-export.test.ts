// `jiesu report --format html` writes one file that opens offline with its charts drawn in as SVG, and
// `--format pdf` an A4 bulletin whose pages render with their Chinese text (pdftoppm, pdftotext).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { loadConfig, type Config } from '../../src/config.js';
import { runReportCommand } from '../../src/reports/report-command.js';
import { seedYear } from '../../scripts/seed-year.js';
import { createTestDatabase } from '../helpers/databases.js';
import { ARTIFACTS, CHROMIUM, HAS_CHROMIUM, launchChromium, warnIfNoChromium } from '../helpers/browser.js';

warnIfNoChromium('report export');

async function report(args: string[], config: Config): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await runReportCommand(args, config, { out: () => {}, err: (s) => (err += s) });
  return { code, err };
}

describe.runIf(HAS_CHROMIUM)('report export (HTML and PDF)', () => {
  let dir: string;
  let config: Config;
  let drop = async () => {};
  let browser: Browser;
  const day = '2026-11-20';

  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    await seedYear({ databaseUrl: db.url, tickets: 1200, days: 30, end: new Date('2026-11-21T16:00:00Z'), seed: 11 });
    dir = mkdtempSync(join(tmpdir(), 'jiesu-report-'));
    config = loadConfig({ DATABASE_URL: db.url, CHROMIUM_PATH: CHROMIUM });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('HTML: one self-contained file; offline, its charts are SVG and it asks for nothing', async () => {
    const file = join(dir, 'weekly.html');
    expect(await report(['weekly', '--date', day, '--format', 'html', '--out', file], config)).toMatchObject({ code: 0 });
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/<script|<link|src="http|href="http|@import/i);
    const page = await browser.newPage();
    const requests: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      requests.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(file).href);
    const shown = await page.evaluate(() => ({
      svgs: document.querySelectorAll('figure svg').length,
      empty: document.querySelectorAll('figure .empty').length,
      title: document.querySelector('h1')?.textContent ?? '',
    }));
    expect(requests).toEqual([]);
    expect(shown.svgs + shown.empty).toBe(4);
    expect(shown.svgs).toBeGreaterThanOrEqual(3);
    expect(shown.title).toMatch(/周汇总/);
    await page.screenshot({ path: join(ARTIFACTS, 'report-weekly-html.png'), fullPage: true });
    await page.close();
  });

  it('PDF: an A4 bulletin whose pages render, with its Chinese text', async () => {
    const file = join(dir, 'daily.pdf');
    expect(await report(['daily', '--date', day, '--format', 'pdf', '--out', file], config)).toMatchObject({ code: 0 });
    expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+594\.\d+ x 841\.\d+ pts \(A4\)/);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('12345市民服务热线');
    expect(text).toContain('日通报');
    expect(text).toContain('分渠道受理量');
    execFileSync('pdftoppm', ['-r', '50', '-png', '-f', '1', '-l', '1', file, join(dir, 'page')]);
    const png = join(dir, 'page-1.png');
    expect(statSync(png).size).toBeGreaterThan(10_000);
    copyFileSync(png, join(ARTIFACTS, 'report-daily-pdf-page1.png'));
  });

  it('PDF without Chromium: a clear message naming what to install, and no file', async () => {
    const file = join(dir, 'none.pdf');
    const r = await report(['daily', '--date', day, '--format', 'pdf', '--out', file], { ...config, chromiumPath: '/nonexistent/chromium' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Chromium.*apt-get install chromium/);
    expect(() => statSync(file)).toThrow();
  });

  it('PDF to a terminal is refused with the reason', async () => {
    const r = await report(['daily', '--format', 'pdf'], config);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/needs --out/);
  });
});
