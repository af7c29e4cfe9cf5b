// Staff credentials against real gateways (Redis, PostgreSQL): console sessions that end when they should,
// argon2id passwords, wrong bearer tokens throttled like logins, TRUST_PROXY deciding who the client is,
// /metrics kept off the public port, WebSocket upgrades checked for their Origin, and the queue dashboard
// showing job data masked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { loginSession, startTestGateway, TEST_ADMIN_TOKEN, type TestGateway } from '../helpers/gateway.js';
import { TEST_REDIS_URL } from '../helpers/databases.js';
import { hashPassword } from '../../src/http/admin/staff-credentials.js';
import { MAX_FAILURES } from '../../src/http/auth-throttle.js';

const PORTAL = 'https://portal.example.gov.cn';
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway({
    ADMIN_USERS: `alice:${await hashPassword('alice-password')};bob:${await hashPassword('bob-password')}`,
    METRICS_TOKEN,
    CORS_ORIGINS: PORTAL,
    RUN_WORKERS: '0',
  });
}, 180_000);

afterAll(async () => {
  await gw?.stop();
});

const as = (cookie: string, path = '/api/admin/session') => fetch(`${gw.url}${path}`, { headers: { cookie: `jiesu_admin=${cookie}` }, redirect: 'manual' });

async function logout(cookie: string): Promise<Response> {
  const { csrf } = (await (await as(cookie)).json()) as { csrf: string };
  return fetch(`${gw.url}/admin/logout`, { method: 'POST', redirect: 'manual', headers: { cookie: `jiesu_admin=${cookie}`, origin: gw.url, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf }) });
}

function upgradeStatus(url: string, origin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', reject);
  });
}

describe('console sessions', () => {
  it('keeps only a random id in the cookie and the session in Redis', async () => {
    const id = await loginSession(gw, { user: 'alice', password: 'alice-password' });
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(id, 'base64url').toString('latin1')).not.toContain('alice');
    const session = await (await as(id)).json();
    expect(session.user).toBe('alice');
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const keys = await redis.keys(`${gw.prefix}:session:*`);
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.some((k) => k.includes(id))).toBe(false); // stored under a hash of the id
      const ttl = await redis.pttl(keys[0]);
      expect(ttl).toBeGreaterThan(29 * 60_000);
      expect(ttl).toBeLessThanOrEqual(30 * 60_000);
    } finally {
      redis.disconnect();
    }
  });

  it('restarts the idle timer on use, but not on a page’s background refresh', async () => {
    const id = await loginSession(gw);
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const key = `${gw.prefix}:session:${createHash('sha256').update(id).digest('base64url')}`;
      const ttl = () => redis.pttl(key);
      await new Promise((r) => setTimeout(r, 1200));
      const background = await fetch(`${gw.url}/api/admin/session`, { headers: { cookie: `jiesu_admin=${id}`, 'x-jiesu-background': '1' } });
      expect(background.status).toBe(200);
      expect(await ttl()).toBeLessThan(30 * 60_000 - 1000);
      expect((await as(id)).status).toBe(200);
      expect(await ttl()).toBeGreaterThan(30 * 60_000 - 1000);
    } finally {
      redis.disconnect();
    }
  });

  it('ends the session at logout: the old cookie is refused afterwards', async () => {
    const id = await loginSession(gw);
    expect((await as(id)).status).toBe(200);
    const out = await logout(id);
    expect(out.status).toBe(303);
    expect((await as(id)).status).toBe(401);
    expect((await as(id, '/admin/tickets')).status).toBe(302);
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    const login = (form: Record<string, string>) => fetch(`${gw.url}/admin/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
    expect((await login({ user: 'alice', password: 'bob-password' })).status).toBe(401);
    expect((await login({ user: 'mallory', password: 'alice-password' })).status).toBe(401);
    // The two failures above count against this address; a success clears them.
    await loginSession(gw, { user: 'bob', password: 'bob-password' });
  });

  it('ends every session of a user whose password changed, on every gateway, when a gateway starts with it', async () => {
    const a1 = await loginSession(gw, { user: 'alice', password: 'alice-password' });
    const a2 = await loginSession(gw, { user: 'alice', password: 'alice-password' });
    const b = await loginSession(gw, { user: 'bob', password: 'bob-password' });
    // A second gateway on the same Redis prefix, configured with alice's new password and without bob.
    const other = await startTestGateway({ QUEUE_PREFIX: gw.prefix, ADMIN_USERS: `alice:${await hashPassword('new-alice-password')}`, RUN_WORKERS: '0' });
    try {
      // Ended in Redis, so the first gateway (still on the old configuration) refuses them too.
      expect((await as(a1)).status).toBe(401);
      expect((await as(a2)).status).toBe(401);
      expect((await as(b)).status).toBe(401);
      const fresh = await loginSession(other, { user: 'alice', password: 'new-alice-password' });
      expect((await fetch(`${other.url}/api/admin/session`, { headers: { cookie: `jiesu_admin=${fresh}` } })).status).toBe(200);
      // The first gateway still knows the old password only: a session opened with the new one is not its to honour.
      expect((await as(fresh)).status).toBe(401);
    } finally {
      await other.stop();
    }
  });
});

describe('metrics', () => {
  it('needs METRICS_TOKEN on the public port', async () => {
    expect((await fetch(`${gw.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })).status).toBe(403);
    const ok = await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('jiesu_intake_messages_total');
  });
});

describe('WebSocket origin', () => {
  it('opens for the gateway itself, the portals in CORS_ORIGINS and non-browser clients; refuses other sites', async () => {
    const url = `${gw.url.replace('http', 'ws')}/api/webchat/ws?sessionId=ws-origin-test-1`;
    expect(await upgradeStatus(url, 'https://evil.example')).toBe(403);
    expect(await upgradeStatus(url, 'null')).toBe(403);
    expect(await upgradeStatus(url, gw.url)).toBe(101);
    expect(await upgradeStatus(url, PORTAL)).toBe(101);
    expect(await upgradeStatus(url)).toBe(101);
  });
});

describe('queue dashboard', () => {
  it('shows job data with phone and ID-card numbers masked, and refuses to write data back', async () => {
    const job = await gw.gateway.services.queues.outbound.add('reply', {
      address: { channel: 'webchat', conversationId: 'masked-view', senderId: '13812345678' },
      reply: { text: '您的电话13812345678，身份证110101199003071234，已登记。' },
    });
    const cookie = await loginSession(gw);
    const res = await fetch(`${gw.url}/admin/queues/api/queues?activeQueue=outbound&status=waiting&page=1&jobsPerPage=50`, { headers: { cookie: `jiesu_admin=${cookie}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('masked-view');
    expect(text).toContain('138****5678');
    expect(text).not.toContain('13812345678');
    expect(text).not.toContain('110101199003071234');
    const write = await fetch(`${gw.url}/admin/queues/api/queues/outbound/${job.id}/update-data`, {
      method: 'PUT',
      headers: { cookie: `jiesu_admin=${cookie}`, origin: gw.url, 'content-type': 'application/json' },
      body: JSON.stringify({ jobData: { reply: { text: '138****5678' } } }),
    });
    expect(write.status).toBe(403);
    expect((await gw.gateway.services.queues.outbound.getJob(job.id!))?.data.reply.text).toContain('13812345678');
  });
});

// Last in this file: it locks 127.0.0.1 out of this gateway's prefix for five minutes.
describe('guessing, by default behind no trusted proxy', () => {
  it('locks out an address after repeated wrong bearer tokens, even when X-Forwarded-For rotates', async () => {
    await loginSession(gw); // a success clears the failures counted so far (the wrong metrics token above)
    const guess = (i: number, token = `wrong-token-${i}-0123456789`) =>
      fetch(`${gw.url}/api/tickets?limit=1`, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': `203.0.113.${i}` } });
    for (let i = 0; i < MAX_FAILURES; i++) expect((await guess(i)).status).toBe(403);
    const locked = await guess(99);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Locked means locked: the right token does not get through from here until the window ends.
    expect((await guess(100, TEST_ADMIN_TOKEN)).status).toBe(429);
    // The console login from the same address shares the lockout.
    const login = await fetch(`${gw.url}/admin/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '198.51.100.7' }, body: new URLSearchParams({ token: TEST_ADMIN_TOKEN }) });
    expect(login.status).toBe(429);
    expect(login.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('behind TRUST_PROXY=1 (one proxy in front)', () => {
  let proxied: TestGateway;
  beforeAll(async () => {
    proxied = await startTestGateway({ TRUST_PROXY: '1', METRICS_PORT: '0', RUN_WORKERS: '0' });
  }, 180_000);
  afterAll(async () => {
    await proxied?.stop();
  });

  const login = (form: Record<string, string>, headers: Record<string, string>) =>
    fetch(`${proxied.url}/admin/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form) });

  it('takes the client address from X-Forwarded-For: one client locked out, another not', async () => {
    for (let i = 0; i < MAX_FAILURES; i++) expect((await login({ token: 'x'.repeat(20) }, { 'x-forwarded-for': '203.0.113.50' })).status).toBe(401);
    expect((await login({ token: proxied.adminToken }, { 'x-forwarded-for': '203.0.113.50' })).status).toBe(429);
    expect((await login({ token: proxied.adminToken }, { 'x-forwarded-for': '203.0.113.51' })).status).toBe(303);
  });

  it('sets the cookie Secure when the proxy says the request came over HTTPS, and only then', async () => {
    const https = await login({ token: proxied.adminToken }, { 'x-forwarded-for': '203.0.113.60', 'x-forwarded-proto': 'https' });
    expect(https.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
    const http = await login({ token: proxied.adminToken }, { 'x-forwarded-for': '203.0.113.61' });
    expect(http.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);
  });

  it('serves /metrics only on the 127.0.0.1 METRICS_PORT listener, not on the public port', async () => {
    expect((await fetch(`${proxied.url}/metrics`)).status).toBe(404);
    const url = proxied.gateway.metricsUrl!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('jiesu_intake_messages_total');
    expect((await fetch(`${url}/healthz`)).status).toBe(404);
  });
});

describe('by default (no TRUST_PROXY)', () => {
  it('does not believe X-Forwarded-Proto for the Secure flag either', async () => {
    const other = await startTestGateway({ RUN_WORKERS: '0' });
    try {
      const res = await fetch(`${other.url}/admin/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https' }, body: new URLSearchParams({ token: other.adminToken }) });
      expect(res.status).toBe(303);
      expect(res.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);
      expect((await fetch(`${other.url}/metrics`)).status).toBe(404);
    } finally {
      await other.stop();
    }
  });
});
