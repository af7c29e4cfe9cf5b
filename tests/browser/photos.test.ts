// Issue 17's photo "done when", in Chromium: a citizen on a phone picks a photo with the widget's photo button and
// sends it with a complaint; the ticket page shows it as a thumbnail, and the picture served carries no EXIF GPS.
// Also: a picture the widget refuses (wrong type) is explained in the citizen's language and nothing is sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import sharp from 'sharp';
import { type Browser } from 'playwright-core';
import { ARTIFACTS, HAS_CHROMIUM, launchChromium } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { jpegWithGps } from '../helpers/photos.js';

const PANEL = '[data-jiesu="panel"]';

describe.skipIf(!HAS_CHROMIUM)('photos from the widget', () => {
  let browser: Browser;
  let gw: TestGateway;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    gw = await startTestGateway({ CONFIRM_COMPLAINTS: '0' });
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
  }, 60_000);

  it('a photo sent from the widget shows as a thumbnail on the ticket, served without EXIF GPS', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${gw.url}/`);
    await page.locator('[data-jiesu="toggle"]').click();
    await expect.poll(() => page.locator(PANEL).isVisible()).toBe(true);

    // Refused in the browser: a GIF is not a type the hotline takes.
    await page.locator('[data-jiesu="photo-input"]').setInputFiles({ name: 'anim.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a') });
    await expect.poll(() => page.locator(PANEL).textContent()).toContain('只能发送 JPG、PNG 或 WebP 格式的图片');
    expect(await page.locator('[data-jiesu="photo"]').count()).toBe(0);

    const chooser = page.waitForEvent('filechooser');
    await page.locator('[data-jiesu="photo-button"]').click();
    await (await chooser).setFiles({ name: 'pothole.jpg', mimeType: 'image/jpeg', buffer: await jpegWithGps(1600, 1200) });
    await expect.poll(() => page.locator('[data-jiesu="photo"] img').count()).toBe(1);
    expect(await page.locator('[data-jiesu="photo"] button').getAttribute('aria-label')).toBe('移除第 1 张图片');
    await page.screenshot({ path: `${ARTIFACTS}photos-widget-chosen.png` });

    const input = page.locator('[data-jiesu="input"]');
    await input.fill('丰台区卢沟桥街道丰台北路上有个大坑，车都绕着走');
    await input.press('Enter');
    const ticket = page.locator(`${PANEL} [data-jiesu="ticket"]`).first();
    await expect.poll(async () => ((await ticket.count()) ? await ticket.textContent() : ''), { timeout: 30_000 }).toMatch(/\d{8}-\d{6}/);
    const n = ((await ticket.textContent()) ?? '').match(/\d{8}-\d{6}/)![0];
    expect(await page.locator('[data-jiesu="photo"]').count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}photos-widget-sent.png` });

    const admin = await browser.newPage();
    await admin.goto(`${gw.url}/admin/tickets/${n}`);
    await admin.fill('input[name=token]', gw.adminToken);
    await admin.locator('form button[type=submit]').click();
    const thumb = admin.locator('#ticket-photos img');
    await expect.poll(() => thumb.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(320);
    await admin.screenshot({ path: `${ARTIFACTS}photos-ticket.png`, fullPage: true });
    const href = await admin.locator('#ticket-photos a').getAttribute('href');
    const full = await admin.evaluate(async (url) => Array.from(new Uint8Array(await (await fetch(url!)).arrayBuffer())), href);
    const meta = await sharp(Buffer.from(full)).metadata();
    expect([meta.width, meta.height]).toEqual([1600, 1200]);
    expect(meta.exif).toBeUndefined();
    await context.close();
  });

  it('a picture the server cannot read is explained in the citizen\'s language (400 invalid_request, rule unreadable)', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${gw.url}/`);
    await page.locator('[data-jiesu="toggle"]').click();
    // A JPEG by name, type and magic number whose bytes are not a picture: only the server's decoder can tell.
    const broken = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('not a picture at all')]);
    await page.locator('[data-jiesu="photo-input"]').setInputFiles({ name: 'broken.jpg', mimeType: 'image/jpeg', buffer: broken });
    await expect.poll(() => page.locator('[data-jiesu="photo"]').count()).toBe(1);
    const input = page.locator('[data-jiesu="input"]');
    await input.fill('朝阳区望京街道路灯坏了');
    await input.press('Enter');
    await expect.poll(() => page.locator(PANEL).textContent(), { timeout: 15_000 }).toContain('这张图片无法识别，请换一张。');
    await context.close();
  });
});
