// The console's staff accounts API (/api/admin/users, administrators only): add with the same checks as
// `jiesu users add`, a token shown once that then works, disable and reset a password ending the account's
// sessions at once, revoke its tokens; bad input is a 400 naming the field and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginSession, startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
const admin = (path: string, init: { method?: string; json?: unknown } = {}) =>
  fetch(gw.url + path, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${gw.adminToken}`, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });
const session = (cookie: string) => fetch(`${gw.url}/api/admin/session`, { headers: { cookie: `jiesu_admin=${cookie}` } });

beforeAll(async () => {
  gw = await startTestGateway({ RUN_WORKERS: '0', SPIKE_CHECK_MS: '0' });
});
afterAll(async () => {
  await gw?.stop();
});

describe('staff accounts on the console', () => {
  it('adds an account with the same checks as jiesu users add', async () => {
    const bad = await admin('/api/admin/users', { method: 'POST', json: { name: 'w1', role: 'unit', unit: '火星街道', password: 'lugouqiao-pass' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_request', field: 'unit' });
    expect((await admin('/api/admin/users', { method: 'POST', json: { name: 'w1', role: 'boss' } })).status).toBe(400);
    expect((await (await admin('/api/admin/users')).json()).items).toEqual([]);
    const ok = await admin('/api/admin/users', { method: 'POST', json: { name: 'w1', role: 'unit', unit: '卢沟桥街道', password: 'lugouqiao-pass' } });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ name: 'w1', role: 'unit', unit: '卢沟桥街道', hasPassword: true, activeTokens: 0, tokenLastUsedAt: null });
    expect((await admin('/api/admin/users', { method: 'POST', json: { name: 'w1', role: 'analyst' } })).status).toBe(409);
  });

  it('issues a token once, shows its last use, and revokes it', async () => {
    const issued = await admin('/api/admin/users/w1/tokens', { method: 'POST' });
    expect(issued.status).toBe(201);
    const { token } = (await issued.json()) as { token: string };
    expect(token).toMatch(/^jst_/);
    expect((await fetch(`${gw.url}/api/tickets`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const listed = (await (await admin('/api/admin/users')).json()) as { items: { name: string; activeTokens: number; tokenLastUsedAt: string | null }[] };
    const w1 = listed.items.find((u) => u.name === 'w1')!;
    expect(w1.activeTokens).toBe(1);
    expect(Date.parse(w1.tokenLastUsedAt!)).toBeGreaterThan(Date.now() - 120_000);
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(await (await admin('/api/admin/users/w1/tokens', { method: 'DELETE' })).json()).toEqual({ name: 'w1', revoked: 1 });
    expect((await fetch(`${gw.url}/api/tickets`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(403);
    expect((await admin('/api/admin/users/nobody/tokens', { method: 'POST' })).status).toBe(404);
  });

  it('a password reset and a disable end the account’s sessions at once', async () => {
    const first = await loginSession(gw, { user: 'w1', password: 'lugouqiao-pass' });
    expect((await session(first)).status).toBe(200);
    expect((await admin('/api/admin/users/w1/password', { method: 'POST', json: { password: 'short' } })).status).toBe(400);
    expect((await session(first)).status).toBe(200);
    expect(await (await admin('/api/admin/users/w1/password', { method: 'POST', json: { password: 'lugouqiao-pass-2' } })).json()).toMatchObject({ sessionsEnded: 1 });
    expect((await session(first)).status).toBe(401);
    const second = await loginSession(gw, { user: 'w1', password: 'lugouqiao-pass-2' });
    expect(await (await admin('/api/admin/users/w1/disable', { method: 'POST' })).json()).toMatchObject({ disabled: true, sessionsEnded: 1 });
    expect((await session(second)).status).toBe(401);
    expect((await (await admin('/api/admin/users')).json()).items[0].disabledAt).not.toBeNull();
  });
});
