// Debian's chromium for the browser tests, launched the way this closed network needs (no background
// networking, no component updates — their connections would be refused), and where screenshots go.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
/** tests/artifacts/ (gitignored). */
export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Says why a suite is skipped, so a CI log without Chromium is not mistaken for a pass. */
export function warnIfNoChromium(suite: string): void {
  if (!HAS_CHROMIUM) console.warn(`[browser] SKIPPED ${suite}: no Chromium at ${CHROMIUM} (apt-get install -y chromium fonts-wqy-microhei, or CHROMIUM_PATH)`);
}
