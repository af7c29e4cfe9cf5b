// Starts a real gateway for a test: real HTTP server on a free port, real Redis (own key prefix), a fresh
// PostgreSQL database, workers in-process. Returns what tests need to talk to it.
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { createTestDatabase, TEST_REDIS_URL, uniquePrefix } from './databases.js';

export interface TestGateway {
  url: string;
  adminToken: string;
  databaseUrl: string;
  prefix: string;
  gateway: Gateway;
  stop(): Promise<void>;
}

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export async function startTestGateway(env: Record<string, string> = {}): Promise<TestGateway> {
  const db = await createTestDatabase();
  const prefix = uniquePrefix('gw');
  const fullEnv: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    REDIS_URL: TEST_REDIS_URL,
    DATABASE_URL: db.url,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // As `jiesu start` gets the whole environment: PATH is where the PDF export looks for Chromium.
    PATH: process.env.PATH ?? '',
    ...(process.env.CHROMIUM_PATH ? { CHROMIUM_PATH: process.env.CHROMIUM_PATH } : {}),
    ...env,
  };
  // Channel sections (TELEGRAM_*, …) are read into the same configuration.
  const config = loadConfig(fullEnv);
  const gateway = await startGateway(config, createLogger(config.logLevel));
  return {
    url: gateway.url,
    adminToken: TEST_ADMIN_TOKEN,
    databaseUrl: db.url,
    prefix,
    gateway,
    stop: async () => {
      await gateway.stop();
      await db.drop();
    },
  };
}

/** Records every envelope an adapter hands to the intake (which then handles it as usual), to see what arrived. */
export function recordIntake(gw: TestGateway, seen: import('../../src/core/envelope.js').InboundMessage[]): void {
  const intake = gw.gateway.intake;
  const handle = intake.handle.bind(intake);
  intake.handle = async (m) => {
    seen.push(m);
    return handle(m);
  };
}

/** Logs in to the console as a browser would (the admin token by default); returns the session cookie's value. */
export async function loginSession(gw: Pick<TestGateway, 'url' | 'adminToken'>, form: Record<string, string> = { token: gw.adminToken }): Promise<string> {
  const res = await fetch(`${gw.url}/admin/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
  const value = /^jiesu_admin=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  if (res.status !== 303 || !value) throw new Error(`login answered ${res.status}`);
  return value;
}
