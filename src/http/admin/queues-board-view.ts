// bull-board's page shell, without its web font and with names for its icon buttons: the shipped index.ejs loads IBM Plex from Google's font host,
// which is blocked in mainland China (the page then waits on it) and would tell a third party who opens the
// console. The shell is derived from the installed package at start, not copied into the repository, because
// it names the package's hashed asset files, which change with every bull-board release.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const EXTERNAL_STYLESHEET = /<link\b[^>]*href="https?:\/\/[^"]*"[^>]*>\s*/gi;

/**
 * The shell's text with every stylesheet from another host removed, the page's language set to Chinese, and our
 * script that names the board's icon buttons for screen readers (public/queues-a11y.js) with a stylesheet that
 * fixes a contrast (public/queues-board.css).
 */
export function offlineShell(ejs: string, ours: BoardAssets): string {
  return ejs
    .replace(EXTERNAL_STYLESHEET, '')
    .replace('<html lang="en"', '<html lang="zh-CN"')
    .replace('</head>', `<link href="${ours.stylesheet}" rel="stylesheet"></head>`)
    .replace('</body>', `<script defer src="${ours.script}"></script></body>`);
}

/** Our additions to the board's page: a script naming its icon buttons, a stylesheet fixing a contrast. */
export interface BoardAssets {
  script: string;
  stylesheet: string;
}

/** A views directory holding the offline shell (written once per bull-board version), for setViewsPath. */
export function offlineBoardViews(ours: BoardAssets): string {
  const uiDist = join(dirname(createRequire(import.meta.url).resolve('@bull-board/ui/package.json')), 'dist');
  const shell = offlineShell(readFileSync(join(uiDist, 'index.ejs'), 'utf8'), ours);
  const dir = join(tmpdir(), `jiesu-bull-board-${createHash('sha256').update(shell).digest('hex').slice(0, 12)}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.ejs'), shell);
  return dir;
}
