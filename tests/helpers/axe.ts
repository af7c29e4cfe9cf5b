// axe-core in a page under test: the WCAG 2.1 A/AA rules (the level GB/T 37668 asks of government sites), run
// through the DevTools protocol so the pages' CSP (no inline script) does not block it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeFinding {
  id: string;
  impact: string;
  /** How many elements break the rule. */
  nodes: number;
  /** The offending elements (CSS selectors), with axe's figures where it gives them (contrast ratios). */
  targets: string[];
  help: string;
}

export async function auditPage(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[]; any: { data?: { contrastRatio?: number; fgColor?: string; bgColor?: string } | null }[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact ?? 'minor', help: v.help, nodes: v.nodes.length, targets: v.nodes.map((n) => {
      const d = n.any[0]?.data;
      return n.target.map(String).join(' ') + (d?.contrastRatio ? ` (${d.fgColor} on ${d.bgColor} ${d.contrastRatio}:1)` : '');
    }) }));
  }, WCAG_TAGS);
  return violations;
}

/** The ones that fail the audit. */
export const blocking = (f: AxeFinding[]) => f.filter((v) => v.impact === 'serious' || v.impact === 'critical');

/** "rule (impact) ×count" per line, for the log and the note. */
export function describeFindings(f: AxeFinding[]): string {
  return f.length ? f.map((v) => `${v.id} (${v.impact}) ×${v.nodes}: ${v.targets.slice(0, 6).join(', ')}`).join('\n') : 'none';
}

/** WCAG contrast ratio of two CSS colours as getComputedStyle gives them ("rgb(r, g, b)"). */
export function contrastRatio(a: string, b: string): number {
  const lum = (css: string) => {
    const [r, g, bl] = (css.match(/\d+(\.\d+)?/g) ?? ['0', '0', '0']).slice(0, 3).map((x) => Number(x) / 255);
    const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(bl);
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
