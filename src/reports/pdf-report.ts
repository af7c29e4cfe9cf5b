// A report as an A4 PDF: the self-contained HTML bulletin (./html-report.ts) printed by headless Chromium. No
// browser library is needed for one print: Chromium's own --print-to-pdf does it, and the HTML makes no
// network request, so the print works offline. Without Chromium on the machine the caller gets a clear error
// naming what to install, never a half-written file.
import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

export class PdfUnavailableError extends Error {
  readonly code = 'PDF_UNAVAILABLE';
}

async function executable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/** The Chromium to print with: the configured path, else the first of the usual names in `searchPath` (PATH). */
export async function findChromium(configured: string | undefined, searchPath: string[]): Promise<string | undefined> {
  if (configured) return (await executable(configured)) ? configured : undefined;
  for (const dir of searchPath)
    for (const name of CANDIDATES) if (await executable(join(dir, name))) return join(dir, name);
  return undefined;
}

/** `chromiumPath` and `searchPath` as in the configuration (CHROMIUM_PATH, PATH). */
export async function htmlToPdf(html: string, opts: { chromiumPath?: string; searchPath: string[]; timeoutMs?: number }): Promise<Buffer> {
  const chromium = await findChromium(opts.chromiumPath, opts.searchPath);
  if (!chromium)
    throw new PdfUnavailableError(
      'PDF needs Chromium, and none was found' +
        (opts.chromiumPath ? ` at CHROMIUM_PATH=${opts.chromiumPath}` : ` on PATH (${CANDIDATES.join(', ')})`) +
        '. Install it (Debian: apt-get install chromium fonts-wqy-microhei) or set CHROMIUM_PATH; --format html works without it.',
    );
  const dir = await mkdtemp(join(tmpdir(), 'jiesu-pdf-'));
  try {
    const page = join(dir, 'report.html');
    const pdf = join(dir, 'report.pdf');
    await writeFile(page, html, 'utf8');
    const args = [
      '--headless',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-pdf-header-footer',
      `--user-data-dir=${join(dir, 'profile')}`,
      `--print-to-pdf=${pdf}`,
      pathToFileURL(page).href,
    ];
    // Chromium refuses to run its sandbox as root (containers often run as root); elsewhere it stays on.
    if (process.getuid?.() === 0) args.unshift('--no-sandbox');
    try {
      await run(chromium, args, { timeout: opts.timeoutMs ?? 60_000 });
    } catch (err) {
      throw new PdfUnavailableError(`Chromium (${chromium}) could not print the report: ${(err as Error).message.split('\n')[0]}`);
    }
    const out = await readFile(pdf).catch(() => undefined);
    if (!out || out.subarray(0, 5).toString('latin1') !== '%PDF-') throw new PdfUnavailableError(`Chromium (${chromium}) wrote no PDF`);
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
