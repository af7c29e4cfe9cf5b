// Keyboard-only walking for the browser tests: only Tab / Shift+Tab / Enter / Space / Escape and typing, and
// where the focus is after each step (document.activeElement), described so a failure says where it went.
import type { Page } from 'playwright-core';

/** A short description of the focused element: tag, id, data-jiesu, name, text. */
export function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'body';
    const bits = [el.tagName.toLowerCase()];
    if (el.id) bits.push(`#${el.id}`);
    for (const a of ['data-jiesu', 'name', 'data-op', 'aria-label']) if (el.getAttribute(a)) bits.push(`[${a}=${el.getAttribute(a)}]`);
    const text = (el.textContent ?? '').trim().slice(0, 20);
    if (text && el.tagName !== 'TEXTAREA') bits.push(`"${text}"`);
    return bits.join('');
  });
}

/** Whether the focused element matches a CSS selector. */
export function focusIs(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => !!document.activeElement && document.activeElement !== document.body && document.activeElement.matches(sel), selector);
}

/**
 * Presses Tab (or Shift+Tab) until the focus is on `selector`, at most `max` times; throws with the path walked
 * when it never gets there.
 */
export async function tabTo(page: Page, selector: string, opts: { back?: boolean; max?: number } = {}): Promise<void> {
  const path: string[] = [];
  for (let i = 0; i < (opts.max ?? 60); i++) {
    await page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
    if (await focusIs(page, selector)) return;
    path.push(await focused(page));
  }
  throw new Error(`Tab never reached ${selector}; walked: ${path.join(' → ')}`);
}
