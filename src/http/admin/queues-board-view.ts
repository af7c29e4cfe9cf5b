// bull-board's page shell, without its web font: the shipped index.ejs loads IBM Plex from Google's font host,
// which is blocked in mainland China (the page then waits on it) and would tell a third party who opens the
// console. The shell is derived from the installed package at start, not copied into the repository, because
// it names the package's hashed asset files, which change with every bull-board release.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const EXTERNAL_STYLESHEET = /<link\b[^>]*href="https?:\/\/[^"]*"[^>]*>\s*/gi;

/** The shell's text with every stylesheet from another host removed, and the page's language set to Chinese. */
export function offlineShell(ejs: string): string {
  return ejs.replace(EXTERNAL_STYLESHEET, '').replace('<html lang="en"', '<html lang="zh-CN"');
}

/** A views directory holding the offline shell (written once per bull-board version), for setViewsPath. */
export function offlineBoardViews(): string {
  const uiDist = join(dirname(createRequire(import.meta.url).resolve('@bull-board/ui/package.json')), 'dist');
  const shell = offlineShell(readFileSync(join(uiDist, 'index.ejs'), 'utf8'));
  const dir = join(tmpdir(), `jiesu-bull-board-${createHash('sha256').update(shell).digest('hex').slice(0, 12)}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.ejs'), shell);
  return dir;
}
