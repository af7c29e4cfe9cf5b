// The agent inbox (issue 17 §3) against a real gateway: the whole conversation before 转人工 (the FAQ answer,
// the ticket number made, on web chat and on another channel), the citizen's open tickets beside it, claim and
// assign between two named staff users (王芳, 李强) who see who holds it, unread counts since the holder last
// read, internal notes that never reach the citizen, canned replies (KB answers and saved replies), release
// back to the bot, a ticket's conversation, and bad input answered 4xx changing nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestGateway, loginSession, type TestGateway } from '../helpers/gateway.js';
import { Script, WebchatCitizen, waitUntil } from '../helpers/webchat-client.js';
import { StaffStore } from '../../src/tickets/staff-store.js';

let gw: TestGateway;
const BASE = '/api/admin/console/handoffs';
interface Agent {
  cookie: string;
  csrf: string;
}
let wang: Agent;
let li: Agent;

async function agent(user: string, password: string): Promise<Agent> {
  const cookie = `jiesu_admin=${await loginSession(gw, { user, password })}`;
  const csrf = ((await (await fetch(`${gw.url}/api/admin/session`, { headers: { cookie } })).json()) as { csrf: string }).csrf;
  return { cookie, csrf };
}

function call(a: Agent, path: string, init: { method?: string; json?: unknown } = {}): Promise<Response> {
  const headers: Record<string, string> = { cookie: a.cookie, origin: gw.url };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  if (init.method && init.method !== 'GET') headers['x-csrf-token'] = a.csrf;
  return fetch(`${gw.url}${path}`, { method: init.method ?? 'GET', headers, body: init.json !== undefined ? JSON.stringify(init.json) : undefined });
}
const json = async (r: Promise<Response>) => (await (await r).json()) as any;
const q = (t: { channel: string; conversationId: string }) => `channel=${t.channel}&conversationId=${encodeURIComponent(t.conversationId)}`;

beforeAll(async () => {
  gw = await startTestGateway({ WORKING_HOURS: '00:00-23:59', SPIKE_CHECK_MS: '0' });
  const accounts = new StaffStore(gw.gateway.services.database.db, { isKnownUnit: () => true });
  await accounts.add({ name: '王芳', role: 'admin', password: 'wangfang-pass-1' });
  await accounts.add({ name: '李强', role: 'admin', password: 'liqiang-pass-1' });
  wang = await agent('王芳', 'wangfang-pass-1');
  li = await agent('李强', 'liqiang-pass-1');
}, 120_000);
afterAll(async () => {
  await gw?.stop();
});

describe('agent inbox', () => {
  it('shows the whole web chat conversation before 转人工, with the FAQ answer, the ticket number and the open ticket', async () => {
    const s = new Script(new WebchatCitizen(gw.url));
    await s.citizen.connect();
    await s.expect('社保卡丢了怎么补办', /社保卡/);
    await s.expect('路灯坏了好几天了晚上特别黑', /哪个区、哪个街道/);
    await s.expect('卢沟桥街道假日风景小区', /请确认/);
    await s.expect('确认', /正在为您登记工单/);
    const made = await s.citizen.waitFor((m) => Boolean(m.ticketNumber));
    await s.expect('转人工', /转接人工客服/);
    await s.send('工单办得怎么样了');
    const target = { channel: 'webchat', conversationId: s.citizen.sessionId };

    const view = await json(call(wang, `${BASE}/conversation?${q(target)}`));
    const turns = view.transcript.map((t: any) => `${t.from}:${t.text}`);
    const at = (re: RegExp) => turns.findIndex((t: string) => re.test(t));
    // In order: the FAQ question and its answer, the complaint, the ticket number, 转人工, the message after it.
    expect(at(/^citizen:社保卡丢了怎么补办$/)).toBe(0);
    expect(view.transcript[1]).toMatchObject({ from: 'bot', kind: 'answer' });
    expect(view.transcript[1].faqId).toBeTruthy();
    const ticketTurn = view.transcript.find((t: any) => t.ticketNumber === made.ticketNumber);
    expect(ticketTurn).toMatchObject({ from: 'bot', kind: 'ticket' });
    expect(at(/^citizen:路灯坏了/)).toBeLessThan(at(/^citizen:转人工$/));
    expect(view.transcript.indexOf(ticketTurn)).toBeLessThan(at(/^citizen:转人工$/));
    expect(at(/^bot:.*转接人工客服/)).toBe(at(/^citizen:转人工$/) + 1);
    expect(turns.at(-1)).toBe('citizen:工单办得怎么样了');
    expect(view.openTickets.map((t: any) => t.number)).toEqual([made.ticketNumber]);
    expect(view.entry).toMatchObject({ unread: 2 });
    expect(view.entry.claim).toBeUndefined();

    // The ticket's page finds the same conversation from the ticket row.
    const ticketView = await json(call(wang, `/api/admin/tickets/${made.ticketNumber}/conversation`));
    expect(ticketView).toMatchObject({ channel: 'webchat', conversationId: s.citizen.sessionId });
    expect(ticketView.transcript.some((t: any) => t.id === ticketView.sourceMessageId && t.from === 'citizen')).toBe(true);
    s.citizen.close();
  }, 60_000);

  it('keeps the transcript of a conversation on another channel too', async () => {
    const chat = `tg-${randomUUID()}`;
    const say = (text: string) =>
      gw.gateway.intake.handle({ id: `telegram:${randomUUID()}`, channel: 'telegram', conversationId: chat, sender: { id: chat }, text, isPublic: false, receivedAt: new Date() });
    await say('社保卡丢了怎么补办');
    await say('转人工');
    const target = { channel: 'telegram', conversationId: chat };
    await waitUntil(async () => (await call(wang, `${BASE}/conversation?${q(target)}`)).status === 200, 10_000, 'telegram handoff');
    await waitUntil(async () => (await json(call(wang, `${BASE}/conversation?${q(target)}`))).transcript.length >= 4, 10_000, 'telegram transcript');
    const view = await json(call(wang, `${BASE}/conversation?${q(target)}`));
    expect(view.transcript.map((t: any) => t.from)).toEqual(['citizen', 'bot', 'citizen', 'bot']);
    expect(view.transcript[0].text).toBe('社保卡丢了怎么补办');
    expect(view.transcript[1].kind).toBe('answer');
  });

  it('claims, assigns, counts unread, keeps notes from the citizen, answers with a canned reply and releases', async () => {
    const s = new Script(new WebchatCitizen(gw.url));
    await s.citizen.connect();
    await s.expect('转人工', /转接人工客服/);
    const target = { channel: 'webchat', conversationId: s.citizen.sessionId };
    const item = async (a: Agent) => (await json(call(a, BASE))).items.find((e: any) => e.address.conversationId === target.conversationId);

    // 王芳 claims; 李强 sees who has it and cannot claim it or reply over her.
    const claimed = await call(wang, `${BASE}/claim`, { method: 'POST', json: target });
    expect(claimed.status).toBe(200);
    expect((await claimed.json()).claim).toMatchObject({ user: '王芳', role: 'admin' });
    expect((await item(li)).claim).toMatchObject({ user: '王芳' });
    const refused = await call(li, `${BASE}/claim`, { method: 'POST', json: target });
    expect(refused.status).toBe(409);
    expect((await refused.json()).claim.user).toBe('王芳');
    expect((await call(li, `${BASE}/reply`, { method: 'POST', json: { ...target, text: '我来回答' } })).status).toBe(409);

    // Unread: what the citizen writes after the holder last read it.
    expect((await item(wang)).unread).toBe(0);
    await s.send('我家门口的井盖丢了');
    await s.send('很危险');
    expect((await item(li)).unread).toBe(2);
    expect((await call(wang, `${BASE}/read`, { method: 'POST', json: target })).status).toBe(200);
    expect((await item(li)).unread).toBe(0);

    // An internal note: both agents see it, the citizen never does.
    const note = await call(wang, `${BASE}/notes`, { method: 'POST', json: { ...target, text: '内部备注：市民情绪激动，优先处理' } });
    expect(note.status).toBe(201);
    expect((await json(call(li, `${BASE}/conversation?${q(target)}`))).notes).toMatchObject([{ author: '王芳', text: '内部备注：市民情绪激动，优先处理' }]);

    // Canned replies: a saved reply and the knowledge base's answers.
    const saved = await call(wang, `${BASE}/saved-replies`, { method: 'POST', json: { title: '井盖', text: '您好，井盖缺失已通知养护单位，请注意绕行。' } });
    expect(saved.status).toBe(201);
    expect((await call(wang, `${BASE}/saved-replies`, { method: 'POST', json: { title: '井盖', text: '另一条' } })).status).toBe(409);
    const canned = await json(call(li, `${BASE}/canned?q=${encodeURIComponent('社保卡丢了')}`));
    expect(canned.items.some((c: any) => c.source === 'kb' && /社保卡/.test(c.text))).toBe(true);
    const mine = await json(call(li, `${BASE}/canned?q=${encodeURIComponent('井盖')}`));
    expect(mine.items[0]).toMatchObject({ source: 'saved', title: '井盖' });

    // 王芳 assigns it to 李强, who answers with the saved reply.
    const assigned = await call(wang, `${BASE}/assign`, { method: 'POST', json: { ...target, user: '李强' } });
    expect(assigned.status).toBe(200);
    expect((await assigned.json()).claim).toMatchObject({ user: '李强', assignedBy: '王芳' });
    expect((await item(wang)).claim.user).toBe('李强');
    const sent = await call(li, `${BASE}/reply`, { method: 'POST', json: { ...target, text: mine.items[0].text } });
    expect(sent.status).toBe(202);
    await s.citizen.waitFor((m) => m.from === 'agent' && m.text === '您好，井盖缺失已通知养护单位，请注意绕行。');
    const view = await json(call(wang, `${BASE}/conversation?${q(target)}`));
    expect(view.transcript.find((t: any) => t.from === 'agent')).toMatchObject({ agent: '李强', text: '您好，井盖缺失已通知养护单位，请注意绕行。' });
    // The note went nowhere near the citizen: not pushed, not in the history, not in the transcript.
    expect((await s.citizen.history()).some((m: any) => /内部备注/.test(m.text))).toBe(false);
    expect(s.citizen.pushed.some((m: any) => /内部备注/.test(m.text))).toBe(false);
    expect(view.transcript.some((t: any) => /内部备注/.test(t.text))).toBe(false);

    expect((await call(li, `${BASE}/release`, { method: 'POST', json: target })).status).toBe(200);
    await s.citizen.waitFor((m) => /人工服务已结束/.test(m.text));
    expect(await item(wang)).toBeUndefined();
    expect((await call(wang, `${BASE}/claim`, { method: 'POST', json: target })).status).toBe(404);
    s.citizen.close();
  }, 60_000);

  it('answers bad input with 4xx and changes nothing', async () => {
    const s = new Script(new WebchatCitizen(gw.url));
    await s.expect('转人工', /转接人工客服/);
    const target = { channel: 'webchat', conversationId: s.citizen.sessionId };
    const bad: [string, unknown, number, string?][] = [
      [`${BASE}/claim`, { channel: 'fax', conversationId: 'x' }, 400, 'channel'],
      [`${BASE}/claim`, { ...target, extra: 1 }, 400, 'extra'],
      [`${BASE}/assign`, { ...target, user: '没有这个人' }, 400, 'user'],
      [`${BASE}/assign`, { ...target }, 400, 'user'],
      [`${BASE}/notes`, { ...target, text: '   ' }, 400, 'text'],
      [`${BASE}/notes`, { ...target, text: 'x'.repeat(2001) }, 400, 'text'],
      [`${BASE}/notes`, { channel: 'webchat', conversationId: 'nobody-waits-here', text: '备注' }, 404],
      [`${BASE}/saved-replies`, { title: '', text: '内容' }, 400, 'title'],
      [`${BASE}/read`, { channel: 'webchat' }, 400, 'conversationId'],
    ];
    for (const [path, body, status, field] of bad) {
      const r = await call(wang, path, { method: 'POST', json: body });
      expect(r.status, `${path} ${JSON.stringify(body)}`).toBe(status);
      if (field) expect((await r.json()).field).toBe(field);
    }
    expect((await call(wang, `${BASE}/conversation?channel=webchat`)).status).toBe(400);
    expect((await call(wang, `${BASE}/saved-replies/abc`, { method: 'DELETE' })).status).toBe(400);
    expect((await call(wang, `${BASE}/saved-replies/999999`, { method: 'DELETE' })).status).toBe(404);
    expect((await call(wang, '/api/admin/tickets/nonsense/conversation')).status).toBe(400);
    const view = await json(call(wang, `${BASE}/conversation?${q(target)}`));
    expect(view.notes).toEqual([]);
    expect(view.entry.claim).toBeUndefined();
    expect((await json(call(wang, `${BASE}/saved-replies`))).items.some((r: any) => r.title === '')).toBe(false);
  });

  it('works on the bearer-token API as the token\'s user', async () => {
    const s = new Script(new WebchatCitizen(gw.url));
    await s.expect('转人工', /转接人工客服/);
    const target = { channel: 'webchat', conversationId: s.citizen.sessionId };
    const headers = { authorization: `Bearer ${gw.adminToken}`, 'content-type': 'application/json' };
    const r = await fetch(`${gw.url}/api/admin/handoffs/claim`, { method: 'POST', headers, body: JSON.stringify(target) });
    expect(r.status).toBe(200);
    expect((await r.json()).claim.user).toBe('admin');
    const list = (await (await fetch(`${gw.url}/api/admin/handoffs`, { headers })).json()) as any;
    expect(list.items.find((e: any) => e.address.conversationId === target.conversationId).claim.user).toBe('admin');
    // Every inbox route on the bearer API (their answers are checked against docs/openapi.yaml).
    const api = (path: string, init: { method?: string; json?: unknown } = {}) =>
      fetch(`${gw.url}/api/admin/handoffs${path}`, { method: init.method ?? 'GET', headers, ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}) });
    expect((await api('/notes', { method: 'POST', json: { ...target, text: '脚本备注' } })).status).toBe(201);
    expect((await api('/read', { method: 'POST', json: target })).status).toBe(200);
    expect((await api('/assign', { method: 'POST', json: { ...target, user: '王芳' } })).status).toBe(200);
    expect((await api('/reply', { method: 'POST', json: { ...target, text: '抢答' } })).status).toBe(409);
    const staff = (await (await api('/staff')).json()) as any;
    expect(staff.items.map((m: any) => m.user)).toEqual(expect.arrayContaining(['admin', '王芳', '李强']));
    const view = (await (await api(`/conversation?${q(target)}`)).json()) as any;
    expect(view.entry.claim).toMatchObject({ user: '王芳', assignedBy: 'admin' });
    expect(view.notes.map((n: any) => n.text)).toEqual(['脚本备注']);
    const saved = await api('/saved-replies', { method: 'POST', json: { title: '脚本', text: '稍候' } });
    expect(saved.status).toBe(201);
    const { id } = (await saved.json()) as any;
    expect(((await (await api('/saved-replies')).json()) as any).items.some((r: any) => r.id === id)).toBe(true);
    expect((await api('/canned?q=' + encodeURIComponent('稍候'))).status).toBe(200);
    expect((await api(`/saved-replies/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api('/release', { method: 'POST', json: target })).status).toBe(200);
  });
});
