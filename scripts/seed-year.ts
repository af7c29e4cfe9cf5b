// Seeds a realistic year of hotline tickets into a PostgreSQL database, for the reports' benchmark:
//
//   node bin/run-ts.mjs scripts/seed-year.ts --database-url postgres://…/jiesu_bench --tickets 1000000
//     [--end 2026-03-01] [--days 365] [--seed 12345] [--no-spikes]
//
// The rows come from src/demo/seed-tickets.ts, the same generator `jiesu demo` uses for a recent month.
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../src/tickets/db.js';
import { seedTickets, type SeedResult, type SeedTicketsOptions } from '../src/demo/seed-tickets.js';
import { demoChannels } from '../channels/index.js';

export interface SeedOptions extends Omit<SeedTicketsOptions, 'channels'> {
  databaseUrl: string;
}

export async function seedYear(opts: SeedOptions): Promise<SeedResult> {
  const { databaseUrl, ...rest } = opts;
  const database = await openDatabase({ databaseUrl });
  try {
    await database.migrate();
    return await seedTickets(database, { ...rest, channels: demoChannels() });
  } finally {
    await database.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'database-url': { type: 'string' },
      tickets: { type: 'string', default: '1000000' },
      end: { type: 'string' },
      days: { type: 'string', default: '365' },
      seed: { type: 'string', default: '12345' },
      'no-spikes': { type: 'boolean', default: false },
    },
  });
  const databaseUrl = values['database-url'] ?? process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error('usage: seed-year --database-url postgres://… [--tickets N] [--end YYYY-MM-DD] [--days 365] [--seed N] [--no-spikes]');
    process.exit(2);
  }
  const end = values.end ? new Date(`${values.end}T00:00:00+08:00`) : new Date();
  const result = await seedYear({
    databaseUrl,
    tickets: Number(values.tickets),
    end,
    days: Number(values.days),
    seed: Number(values.seed),
    spikes: !values['no-spikes'],
    log: (l) => console.log(l),
  });
  console.log(`seeded ${result.tickets} tickets and ${result.events} events (${result.from} … ${result.to}) in ${result.seconds.toFixed(1)} s`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
