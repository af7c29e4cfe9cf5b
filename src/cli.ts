// The `jiesu` command: start | worker | migrate | ask | eval | report | demo | users | hash-password. Every
// command reads the same configuration.
// First, so that the young generation is held small before any other module is evaluated (start-heap.ts).
import { releaseYoungGeneration, releaseYoungGenerationAfter } from './start-heap.js';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger, type Logger } from './log.js';

const USAGE = `usage: jiesu <command> [options]
  start                         gateway + workers in one process (PORT, default 3000)
  worker                        queue workers only (needs DATABASE_URL: PGlite is single-process)
  migrate                       apply database migrations and exit
  ask "text" [--kb FILE]        print the NLU decision as JSON
  eval --kb FILE --cases FILE [--json]
                                score the matcher on labelled cases
  report daily|weekly|monthly [--date YYYY-MM-DD] [--format md|csv|json] [--out FILE]
                                write a report (bulletin, summary, analysis) from the ticket database
  demo [--tickets N] [--days N] [--force]
                                fill the configured store with a realistic recent month (demo data)
  kb import FILE | export [FILE] [--version N] | versions | restore N
                                the knowledge base in the database (\`jiesu kb\` for details)
  users add NAME --role ROLE [--unit UNIT] [--password-stdin] [--json]
  users list | disable NAME | reset-password NAME | token NAME | revoke-tokens NAME
                                staff accounts in the database (\`jiesu users\` for details)
  hash-password                 read a password from stdin, print its argon2id hash for ADMIN_USERS
Configuration is read from the environment; see README.md.`;

function onSignals(stop: () => Promise<void>, log: Logger): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) {
      log.warn('second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down: draining in-flight work');
    stop()
      .then(() => process.exit(0))
      .catch((err) => {
        log.error({ err: (err as Error).message }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => handler('SIGTERM'));
  process.on('SIGINT', () => handler('SIGINT'));
}

/** A token for this run when none is configured; it is shown only once the start has succeeded. */
function withAdminToken(config: Config): Config {
  if (config.adminToken) return config;
  return { ...config, adminToken: randomBytes(18).toString('base64url'), adminTokenGenerated: true };
}

/** `jiesu hash-password`: the first line of stdin (without its line ending) → the PHC string on stdout. */
async function hashPasswordCommand(): Promise<number> {
  if (process.stdin.isTTY) process.stderr.write('password (input is shown; pipe it in to keep it off the screen): ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (process.stdin.isTTY && chunk.includes(10)) break;
  }
  const password = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
  if (!password) {
    console.error('jiesu hash-password: no password on stdin (e.g. `printf %s "$PASSWORD" | npx jiesu hash-password`)');
    return 2;
  }
  const { hashPassword } = await import('./http/admin/staff-credentials.js');
  console.log(await hashPassword(password));
  return 0;
}

/** How long after `start` or `worker` is ready the young generation may grow again (start-heap.ts). */
const START_SETTLE_MS = 5000;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // Only the long-running commands idle after their start; the others run their work at full speed.
  if (command !== 'start' && command !== 'worker') releaseYoungGeneration();
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  // Before the configuration is read: converting ADMIN_USERS must work while the old entries are refused.
  if (command === 'hash-password') return hashPasswordCommand();
  // The one place the environment is read: every variable, channels' sections included, checked before
  // anything is opened.
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`jiesu: ${err.message}`);
      return 2;
    }
    throw err;
  }

  if (command === 'report') {
    // A report names each channel by its adapter's label.
    const [{ channelLabels }, { registerChannelLabels }] = await Promise.all([import('../channels/index.js'), import('./reports/labels.js')]);
    registerChannelLabels(channelLabels());
  }

  switch (command) {
    case 'start': {
      const log = createLogger(config.logLevel);
      const { startGateway } = await import('./gateway.js');
      const { startSummary } = await import('./start-summary.js');
      const started = withAdminToken(config);
      const gateway = await startGateway(started, log, { progress: (line) => console.log(line) });
      console.log(startSummary({ url: gateway.url, config: started, redis: gateway.services.redis, databaseKind: gateway.services.database.kind }));
      releaseYoungGenerationAfter(START_SETTLE_MS);
      onSignals(() => gateway.stop(), log);
      return -1;
    }
    case 'worker': {
      const log = createLogger(config.logLevel);
      if (!config.databaseUrl) {
        console.error('jiesu worker: DATABASE_URL is required (the embedded PGlite database can only be used by one process; `npm start` runs workers inside the gateway).');
        return 2;
      }
      const { createServices } = await import('./services.js');
      const services = await createServices(config, log);
      services.startWorkers();
      log.info({ redis: services.redis.source }, 'workers running');
      releaseYoungGenerationAfter(START_SETTLE_MS);
      onSignals(() => services.close(), log);
      return -1;
    }
    case 'migrate': {
      const { openDatabase } = await import('./tickets/db.js');
      const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, owner: 'jiesu migrate' });
      await db.migrate();
      await db.close();
      console.log(`migrations applied (${db.kind})`);
      return 0;
    }
    case 'ask': {
      const { values, positionals } = parseArgs({ args: rest, options: { kb: { type: 'string' } }, allowPositionals: true });
      const text = positionals.join(' ').trim();
      if (!text) {
        console.error('usage: jiesu ask "text" [--kb FILE]');
        return 2;
      }
      const { createNlu } = await import('./nlu/index.js');
      const nlu = await createNlu({ kbPath: values.kb ?? config.kbPath, timeZone: config.timeZone });
      const d = nlu.decide(text);
      const { answer: _answer, candidates, ...printed } = d;
      // `score` is the calibrated confidence; a candidate's own figure is its raw BM25, named so.
      const shown = { ...printed, candidates: candidates.map(({ score, ...c }) => ({ faqId: c.faqId, bm25: score, question: c.question })) };
      console.log(JSON.stringify(shown, null, 2));
      return 0;
    }
    case 'eval': {
      const { values } = parseArgs({
        args: rest,
        options: { kb: { type: 'string' }, cases: { type: 'string' }, json: { type: 'boolean', default: false } },
      });
      if (!values.cases) {
        console.error('usage: jiesu eval --kb FILE --cases FILE [--json]');
        return 2;
      }
      const { createNlu } = await import('./nlu/index.js');
      const { evaluate, formatReport } = await import('./nlu/eval.js');
      const nlu = await createNlu({ kbPath: values.kb ?? config.kbPath, timeZone: config.timeZone });
      const report = evaluate(nlu, values.cases);
      if (values.json) {
        const { mistakes: _m, ...figures } = report as typeof report & { mistakes?: unknown };
        console.log(JSON.stringify(figures));
      } else console.log(formatReport(report));
      return 0;
    }
    case 'report': {
      const { runReportCommand } = await import('./reports/report-command.js');
      return runReportCommand(rest, config);
    }
    case 'users': {
      const { runUsersCommand } = await import('./tickets/users-command.js');
      const { endStaffSessions } = await import('./http/admin/end-sessions.js');
      return runUsersCommand(rest, config, { endSessions: (name) => endStaffSessions(config, name) });
    }
    case 'kb': {
      const { runKbCommand } = await import('./tickets/kb-command.js');
      const { announceFromOutside } = await import('./queue/knowledge-sync.js');
      return runKbCommand(rest, config, { announce: () => announceFromOutside(config.redisUrl, config.queuePrefix, 'kb') });
    }
    case 'demo': {
      const { runDemoCommand } = await import('./demo/demo-command.js');
      return runDemoCommand(rest, config);
    }
    default:
      console.error(`jiesu: unknown command ${command}\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err) => {
    // A configuration the environment does not meet (Redis or the database not where it says, a half-set
    // channel) exits 2 like every configuration error; anything else is a fault of ours.
    console.error(`jiesu: ${(err as Error).message}`);
    process.exit(err instanceof ConfigError ? 2 : 1);
  },
);
