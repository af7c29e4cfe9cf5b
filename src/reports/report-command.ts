// `jiesu report daily|weekly|monthly [--date YYYY-MM-DD] [--format md|csv|json] [--out FILE] [--table ID]`:
// builds the report from the ticket database (DATABASE_URL, else the PGlite in DATA_DIR) and prints it or
// writes it to a file. Returns the process exit code. It never creates a database: with neither DATABASE_URL
// nor a PGlite database in DATA_DIR it says where it looked and fails; and it cannot open a PGlite directory a
// running gateway holds (PGlite is single-process), so it says which process holds it and how to get the report.
import { parseArgs } from 'node:util';
import { writeFile, rename } from 'node:fs/promises';
import type { Config } from '../config.js';
import { DirectoryLockedError } from '../tickets/directory-lock.js';
import { DatabaseMissingError, openDatabase, type Database } from '../tickets/db.js';
import { buildReport, isReportKind, REPORT_KINDS } from './build-report.js';
import { isLocalDate } from './period.js';
import { renderReport, type ReportFormat } from './render.js';
import { reportToHtml } from './html-report.js';
import { htmlToPdf, PdfUnavailableError } from './pdf-report.js';

export const REPORT_USAGE = `usage: jiesu report ${REPORT_KINDS.join('|')} [--date YYYY-MM-DD] [--format md|csv|json|html|pdf] [--out FILE] [--table ID]
  --date     a day inside the period (default: yesterday / last week / last month, Beijing time)
  --format   md (default), csv (all tables, or --table ID), json, html (one self-contained file with its
             charts), pdf (an A4 bulletin; needs Chromium, and --out)
  --out      write to FILE instead of standard output`;

const FORMATS = ['md', 'csv', 'json', 'html', 'pdf'];

export async function runReportCommand(args: string[], config: Config, io: { out?: (s: string) => void; err?: (s: string) => void } = {}): Promise<number> {
  const out = io.out ?? ((s: string) => process.stdout.write(s));
  const err = io.err ?? ((s: string) => process.stderr.write(s));
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { date: { type: 'string' }, format: { type: 'string', default: 'md' }, out: { type: 'string' }, table: { type: 'string' } },
    });
  } catch (e) {
    err(`jiesu report: ${(e as Error).message}\n${REPORT_USAGE}\n`);
    return 2;
  }
  const [kind] = parsed.positionals;
  const { date, format, table } = parsed.values;
  if (!isReportKind(kind)) {
    err(`${REPORT_USAGE}\n`);
    return 2;
  }
  if (date !== undefined && !isLocalDate(date)) {
    err(`jiesu report: --date must be a real date as YYYY-MM-DD (got ${date})\n`);
    return 2;
  }
  if (!FORMATS.includes(format)) {
    err(`jiesu report: --format must be one of ${FORMATS.join(', ')} (got ${format})\n`);
    return 2;
  }
  if (format === 'pdf' && !parsed.values.out) {
    err(`jiesu report: --format pdf needs --out FILE (a PDF is not written to a terminal)\n`);
    return 2;
  }
  let database: Database;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, mustExist: true, owner: 'jiesu report' });
  } catch (e) {
    if (e instanceof DatabaseMissingError) {
      err(`jiesu report: no ticket database: DATABASE_URL is not set and there is no PGlite database in ${e.dir} (DATA_DIR=${config.dataDir}).\n` +
        `  Set DATABASE_URL to the PostgreSQL server, or DATA_DIR to the gateway's data directory.\n`);
      return 1;
    }
    if (e instanceof DirectoryLockedError) {
      err(`${e.refusal('report')}\n` +
        `  Get the report from that gateway (GET /api/admin/reports/${kind}.${format}), stop it first, or use PostgreSQL (DATABASE_URL).\n`);
      return 1;
    }
    throw e;
  }
  try {
    await database.migrate();
    const report = await buildReport(database.db, kind, { date, timeZone: config.timeZone });
    let text: string | Buffer;
    try {
      if (format === 'html') text = reportToHtml(report);
      else if (format === 'pdf') text = await htmlToPdf(reportToHtml(report), { chromiumPath: config.chromiumPath, searchPath: config.searchPath });
      else text = renderReport(report, format as ReportFormat, table);
    } catch (e) {
      err(`jiesu report: ${(e as Error).message}\n`);
      return e instanceof PdfUnavailableError ? 1 : 2;
    }
    if (parsed.values.out) {
      // Written beside the target and renamed, so a reader never sees half a report.
      const tmp = `${parsed.values.out}.${process.pid}.tmp`;
      await writeFile(tmp, text);
      await rename(tmp, parsed.values.out);
      err(`${report.meta.title} → ${parsed.values.out}\n`);
    } else {
      const s = String(text);
      out(s.endsWith('\n') ? s : `${s}\n`);
    }
    return 0;
  } finally {
    await database.close();
  }
}
