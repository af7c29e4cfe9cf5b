// 转人工 from the console (session cookie + CSRF), against a real gateway: a web chat citizen asks for a
// person, the operator lists the waiting conversation, replies (the citizen's history then holds the agent's
// message) and releases it back to the bot. The bearer-token API (tests/integration/conversation.test.ts)
// shares the same actions (src/http/handoff-actions.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { Script, WebchatCitizen, waitUntil } from '../helpers/webchat-client.js';

let gw: TestGateway;
let cookie = '';
let csrf = '';
const BASE = '/api/admin/console/handoffs';

function call(path: string, init: { method?: string; json?: unknown; noCsrf?: boolean; cookie?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { cookie: init.cookie ?? cookie, origin: gw.url };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  if (init.method && init.method !== 'GET' && !init.noCsrf) headers['x-csrf-token'] = csrf;
  return fetch(`${gw.url}${path}`, { method: init.method ?? 'GET', headers, redirect: 'manual', body: init.json !== undefined ? JSON.stringify(init.json) : undefined });
}

beforeAll(async () => {
  gw = await startTestGateway({ WORKING_HOURS: '00:00-23:59', SPIKE_CHECK_MS: '0' });
  const res = await fetch(`${gw.url}/admin/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: gw.adminToken, next: '/admin/handoffs' }) });
  expect(res.status).toBe(303);
  cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  expect(cookie).toMatch(/^jiesu_admin=/);
  csrf = ((await (await call('/api/admin/session')).json()) as { csrf: string }).csrf;
  expect(csrf).toBeTruthy();
});
afterAll(async () => {
  await gw?.stop();
});

describe('转人工 in the console', () => {
  it('needs a session, and the CSRF token for changes', async () => {
    expect((await call(BASE, { cookie: '' })).status).toBe(401);
    expect((await call(`${BASE}/release`, { method: 'POST', json: { channel: 'webchat', conversationId: 'x' }, noCsrf: true })).status).toBe(403);
    const page = await call('/admin/handoffs');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/admin/static/handoffs.js');
    expect(html).toMatch(/<a href="\/admin\/handoffs" class="active" aria-current="page">转人工<\/a>/);
    expect((await call('/admin/handoffs', { cookie: '' })).headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Fhandoffs');
  });

  it('lists a handed-over web chat conversation, replies into the chat, and releases it', async () => {
    const s = new Script(new WebchatCitizen(gw.url));
    await s.citizen.connect();
    await s.expect('转人工', /转接人工客服/);
    expect((await s.send('我想问一下拆迁补偿的事情')).replies).toEqual([]);

    const list = (await (await call(BASE)).json()) as any;
    const mine = list.items.find((e: any) => e.address.conversationId === s.citizen.sessionId);
    expect(mine).toMatchObject({ address: { channel: 'webchat', conversationId: s.citizen.sessionId }, lang: 'zh' });
    expect(mine.messages.map((m: any) => [m.from, m.text])).toEqual([
      ['citizen', '转人工'],
      ['citizen', '我想问一下拆迁补偿的事情'],
    ]);

    const target = { channel: 'webchat', conversationId: s.citizen.sessionId };
    expect((await call(`${BASE}/reply`, { method: 'POST', json: { ...target, text: '   ' } })).status).toBe(400);
    expect((await call(`${BASE}/reply`, { method: 'POST', json: { ...target, conversationId: 'nobody-waits-here', text: '你好' } })).status).toBe(404);
    const reply = await call(`${BASE}/reply`, { method: 'POST', json: { ...target, text: '您好，我是话务员小王，请讲。' } });
    expect(reply.status).toBe(202);
    expect(((await reply.json()) as any).queued).toMatch(/^agent-/);

    await s.citizen.waitFor((m) => m.from === 'agent');
    await waitUntil(async () => (await s.citizen.history()).some((m) => m.from === 'agent' && m.text === '您好，我是话务员小王，请讲。'), 15_000, 'agent message in history');
    const after = (await (await call(BASE)).json()) as any;
    expect(after.items.find((e: any) => e.address.conversationId === s.citizen.sessionId).messages.at(-1)).toMatchObject({ from: 'agent', text: '您好，我是话务员小王，请讲。' });

    const released = await call(`${BASE}/release`, { method: 'POST', json: target });
    expect(released.status).toBe(200);
    expect(await released.json()).toEqual({ released: true });
    await s.citizen.waitFor((m) => /人工服务已结束/.test(m.text));
    const gone = (await (await call(BASE)).json()) as any;
    expect(gone.items.some((e: any) => e.address.conversationId === s.citizen.sessionId)).toBe(false);
    expect((await call(`${BASE}/release`, { method: 'POST', json: target })).status).toBe(404);
    // The bot answers again.
    await s.expect('社保卡丢了怎么补办', /社保卡/);
    s.citizen.close();
  });

  it('leaves the bearer-token API as it was', async () => {
    const res = await fetch(`${gw.url}/api/admin/handoffs`, { headers: { authorization: `Bearer ${gw.adminToken}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveProperty('items');
    expect((await fetch(`${gw.url}/api/admin/handoffs`)).status).toBe(401);
  });
});
