// The closed loop through a real gateway (HTTP, Redis, PostgreSQL, workers): a complaint from the widget is
// dispatched, moved through the lifecycle by the admin API, and every step reaches the citizen's own
// conversation — never another citizen's — up to the return visit and its answer; citizens query their own
// tickets; duplicate reporters hear back together; overdue tickets are flagged by the periodic job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { WebchatCitizen, postJson, waitUntil } from '../helpers/webchat-client.js';
import { createTicket } from '../../src/tickets/create-tickets.js';

let gw: TestGateway;
const STAFF_ROOM = 'staff-room-0001';
const auth = () => ({ authorization: `Bearer ${gw.adminToken}` });
const getTicket = async (n: string) => (await fetch(`${gw.url}/api/tickets/${n}`, { headers: auth() })).json() as Promise<any>;
const postEvent = (n: string, body: unknown, headers: Record<string, string> = {}) => postJson(`${gw.url}/api/tickets/${n}/events`, body, { ...auth(), ...headers });

const fileComplaint = (c: WebchatCitizen, text: string): Promise<string> => c.fileComplaint(text);

beforeAll(async () => {
  gw = await startTestGateway({ CONFIRM_COMPLAINTS: '0', STAFF_ALERT_CHANNEL: `webchat:${STAFF_ROOM}`, OVERDUE_CHECK_MS: '1000' });
});
afterAll(async () => {
  await gw?.stop();
});

describe('the closed loop on web chat', () => {
  it('follows a complaint from 已受理 to the return visit, each step driven by the API, to the right citizen only', async () => {
    const alice = new WebchatCitizen(gw.url);
    const bob = new WebchatCitizen(gw.url);
    await Promise.all([alice.connect(), bob.connect()]);

    const first = await alice.say('丰台区卢沟桥街道假日风景小区门口的大树倒了，挡住了路，请尽快处理');
    expect(first.body.replies[0].text).toContain('已受理');
    const confirmation = await alice.waitFor((m) => m.kind === 'ticket');
    const n = confirmation.ticketNumber;
    expect(confirmation.text).toMatch(/已派至卢沟桥街道/);
    const bobs = await fileComplaint(bob, '朝阳区望京街道楼下饭馆油烟太大，熏得开不了窗');

    let t = await getTicket(n);
    expect(t).toMatchObject({ number: n, status: 'dispatched', category: 'greening', tier: '2h', district: '丰台区', street: '卢沟桥街道', unit: '卢沟桥街道', channel: 'webchat', rating: null, duplicates: [] });
    expect(t.events.map((e: any) => [e.kind, e.actor])).toEqual([
      ['created', 'channel:webchat'],
      ['dispatched', 'system'],
    ]);

    expect((await postEvent(n, { status: 'in_progress', note: '已派人前往现场', actor: '卢沟桥街道' })).status).toBe(200);
    const progress = await alice.waitFor((m) => m.kind === 'feedback' && m.text.includes('开始办理'));
    expect(progress.text).toBe(`卢沟桥街道已开始办理您的诉求（工单号 ${n}），请您耐心等待。`);

    const resolved = await postEvent(n, { status: 'resolved', note: '倒伏树木已清理，道路已恢复通行' });
    expect(resolved.body).toMatchObject({ outcome: 'changed', ticket: { status: 'resolved' } });
    const visit = await alice.waitFor((m) => m.kind === 'visit');
    expect(visit.text).toContain(`您的诉求（工单号 ${n}）已办结：倒伏树木已清理，道路已恢复通行`);
    expect(visit.text).toMatch(/回复 1 满意，2 基本满意，3 不满意/);
    expect(visit.quickReplies).toEqual([
      { label: '满意', payload: `visit:${n}:satisfied` },
      { label: '基本满意', payload: `visit:${n}:basically` },
      { label: '不满意', payload: `visit:${n}:unsatisfied` },
    ]);

    // The citizen presses 满意.
    const press = await alice.say('满意', undefined, { action: `visit:${n}:satisfied` });
    expect(press.status).toBe(200);
    // A rating is acknowledged as a rating, not with "looking it up".
    expect(press.body.replies.map((r: any) => r.text)).toEqual(['已收到您的评价。']);
    await alice.waitFor((m) => m.kind === 'feedback' && m.text.includes('感谢您的评价（满意）'));
    t = await getTicket(n);
    expect(t).toMatchObject({ status: 'visited', rating: 'satisfied' });
    expect(t.events.map((e: any) => e.kind)).toEqual(['created', 'dispatched', 'in_progress', 'resolved', 'visited']);
    expect(t.events.find((e: any) => e.kind === 'in_progress').actor).toBe('operator:卢沟桥街道');

    // Nothing of Alice's reached Bob, over the socket or in his history.
    await new Promise((r) => setTimeout(r, 300));
    expect(JSON.stringify(bob.pushed)).not.toContain(n);
    expect(JSON.stringify(await bob.history())).not.toContain(n);
    expect(bob.pushed.filter((m) => m.kind === 'ticket').map((m) => m.ticketNumber)).toEqual([bobs]);
    // Alice's history holds the whole loop in order.
    const kinds = (await alice.history()).filter((m) => m.from === 'bot').map((m) => m.kind);
    expect(kinds.filter((k) => k !== 'ack')).toEqual(['ticket', 'feedback', 'visit', 'feedback']);
    alice.close();
    bob.close();
  });

  it('reopens on a typed 3, and answers a 1 with nothing to rate', async () => {
    const carol = new WebchatCitizen(gw.url);
    const dan = new WebchatCitizen(gw.url);
    await Promise.all([carol.connect(), dan.connect()]);
    const n = await fileComplaint(carol, '海淀区中关村街道有个工地半夜施工太吵了，没法睡觉');
    await postEvent(n, { status: 'resolved', note: '已责令停止夜间施工' });
    await carol.waitFor((m) => m.kind === 'visit');
    await carol.say('3');
    const sorry = await carol.waitFor((m) => m.kind === 'feedback' && m.text.includes('很抱歉'));
    expect(sorry.text).toContain(n);
    const t = await getTicket(n);
    expect(t).toMatchObject({ status: 'in_progress', rating: 'unsatisfied' });
    expect(t.events.at(-1)).toMatchObject({ kind: 'reopened', actor: 'citizen:webchat', fromStatus: 'resolved', toStatus: 'in_progress' });

    await dan.say('1');
    const none = await dan.waitFor((m) => m.kind === 'answer');
    expect(none.text).toContain('没有待评价的工单');
    carol.close();
    dan.close();
  });

  it('lets a citizen query their own tickets and nobody else\'s', async () => {
    const erin = new WebchatCitizen(gw.url);
    const frank = new WebchatCitizen(gw.url);
    await Promise.all([erin.connect(), frank.connect()]);
    const n = await fileComplaint(erin, '西城区金融街街道路边的井盖丢了，很危险');
    await erin.say(`查询工单 ${n}`);
    const status = await erin.waitFor((m) => m.kind === 'answer' && m.text.includes(n));
    expect(status.text).toMatch(new RegExp(`工单 ${n}：已派单，承办单位：金融街街道，办理时限至`));

    await frank.say(`查询工单 ${n}`);
    const denied = await frank.waitFor((m) => m.kind === 'answer');
    expect(denied.text).toContain('没有找到您提交的工单');
    expect(denied.text).not.toContain('金融街');
    await frank.say('我的工单');
    const mine = await frank.waitFor((m) => m.kind === 'answer' && m !== denied);
    expect(mine.text).toBe('您在本渠道还没有提交过工单。');
    await erin.say('我的工单');
    const list = await erin.waitFor((m) => m.kind === 'answer' && m.text.startsWith('您最近的工单'));
    expect(list.text).toContain(n);
    erin.close();
    frank.close();
  });

  it('links duplicate reports and tells every reporter when the primary moves', async () => {
    const g = new WebchatCitizen(gw.url);
    const h = new WebchatCitizen(gw.url);
    await Promise.all([g.connect(), h.connect()]);
    const primary = await fileComplaint(g, '丰台区卢沟桥街道晓月苑小区垃圾站三天没人清运了，臭气熏天');
    const dup = await fileComplaint(h, '晓月苑小区的垃圾站好几天没清运了，臭死了，卢沟桥街道管管');
    const confirmation = h.pushed.find((m) => m.kind === 'ticket');
    expect(confirmation.text).toContain('同一问题已有其他市民反映');
    expect((await getTicket(primary)).duplicates).toEqual([dup]);
    expect((await getTicket(dup)).duplicateOf).toBe(primary);

    await postEvent(primary, { status: 'resolved', note: '垃圾已清运' });
    const gv = await g.waitFor((m) => m.kind === 'visit');
    const hv = await h.waitFor((m) => m.kind === 'visit');
    expect(gv.ticketNumber).toBe(primary);
    expect(hv.ticketNumber).toBe(dup);
    expect(hv.quickReplies[0].payload).toBe(`visit:${dup}:satisfied`);
    g.close();
    h.close();
  });
});

describe('the events API', () => {
  it('validates, refuses forbidden transitions with a reason, and is idempotent by key', async () => {
    const c = new WebchatCitizen(gw.url);
    await c.connect();
    const n = await fileComplaint(c, '东城区东华门街道有商家占道经营，人行道都走不了');
    const cases: [string, unknown, number, RegExp][] = [
      [n, { status: 'visited' }, 400, /status/],
      [n, { status: 'resolved', extra: 1 }, 400, /unrecognized|extra/i],
      [n, { note: 'x' }, 400, /status/],
      [n, { status: 'in_progress', note: '' }, 400, /note/],
      ['20990101-000001', { status: 'resolved' }, 404, /no ticket/],
      ['not-a-number', { status: 'resolved' }, 400, /20261128-000123/],
    ];
    for (const [num, body, status, reason] of cases) {
      const r = await postEvent(num, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.reason).toMatch(reason);
    }
    expect((await postJson(`${gw.url}/api/tickets/${n}/events`, { status: 'resolved' })).status).toBe(401);
    expect((await postJson(`${gw.url}/api/tickets/${n}/events`, '{"status":', auth())).status).toBe(400);

    const key = { 'Idempotency-Key': 'office-req-42' };
    const [a, b] = await Promise.all([postEvent(n, { status: 'in_progress' }, key), postEvent(n, { status: 'in_progress' }, key)]);
    expect([a.body.outcome, b.body.outcome].sort()).toEqual(['changed', 'duplicate']);
    await postEvent(n, { status: 'rejected', note: '经核实为合法经营' });
    const forbidden = await postEvent(n, { status: 'resolved' });
    expect(forbidden.status).toBe(409);
    expect(forbidden.body).toMatchObject({ error: 'forbidden_transition', reason: expect.stringMatching(/rejected ticket cannot become resolved/) });
    const t = await getTicket(n);
    expect(t.status).toBe('rejected');
    expect(t.events.map((e: any) => e.kind)).toEqual(['created', 'dispatched', 'in_progress', 'rejected']);
    await c.waitFor((m) => m.kind === 'feedback' && m.text.includes('不属于12345热线受理范围：经核实为合法经营'));
    c.close();
  });
});

describe('supervision', () => {
  it('flags an overdue ticket with the periodic job, alerts the staff channel, and lists it first', async () => {
    const { store, tickets } = gw.gateway.services;
    // A 2-hour ticket received three hours ago.
    const { ticket } = await createTicket(
      { store, table: tickets.table },
      {
        sourceMessageId: 'webchat:late-session-01/late-1',
        channel: 'webchat',
        conversationId: 'late-session-01',
        senderId: 'late-session-01',
        isPublic: false,
        lang: 'zh',
        text: '石景山区八宝山街道路口燃气管道漏气，味道很大',
        category: 'municipal',
        tier: '2h',
        district: '石景山区',
        street: '八宝山街道',
        receivedAt: new Date(Date.now() - 3 * 3600_000),
      },
    );
    await waitUntil(async () => (await getTicket(ticket.number)).events.some((e: any) => e.kind === 'overdue'), 15_000, 'overdue event');
    const t = await getTicket(ticket.number);
    expect(t).toMatchObject({ overdue: true, status: 'dispatched' });
    expect(t.events.filter((e: any) => e.kind === 'overdue')).toHaveLength(1);

    await waitUntil(async () => {
      const res = await fetch(`${gw.url}/api/webchat/sessions/${STAFF_ROOM}/messages`);
      return JSON.stringify(await res.json()).includes(ticket.number);
    }, 10_000, 'staff alert');
    const staff = (await (await fetch(`${gw.url}/api/webchat/sessions/${STAFF_ROOM}/messages`)).json()) as any;
    expect(staff.messages.at(-1).text).toMatch(/超期督办.*市政设施.*八宝山街道/);
    expect(staff.messages.at(-1).text).not.toContain('燃气');

    const list = (await (await fetch(`${gw.url}/api/tickets?limit=5`, { headers: auth() })).json()) as any;
    expect(list.items[0]).toMatchObject({ number: ticket.number, overdue: true });
    const overdueOnly = (await (await fetch(`${gw.url}/api/tickets?overdue=true`, { headers: auth() })).json()) as any;
    expect(overdueOnly.items.map((i: any) => i.number)).toContain(ticket.number);
    expect(overdueOnly.items.every((i: any) => i.overdue)).toBe(true);
    const filtered = (await (await fetch(`${gw.url}/api/tickets?street=八宝山街道&status=dispatched&channel=webchat`, { headers: auth() })).json()) as any;
    expect(filtered.items.map((i: any) => i.number)).toEqual([ticket.number]);
  });
});

describe('urgent tickets', () => {
  it('announces a new 2-hour ticket on the staff channel, without the citizen\'s words or phone', async () => {
    const citizen = new WebchatCitizen(gw.url);
    const r = await citizen.say('丰台区卢沟桥街道楼道里燃气味特别大，可能漏气了，我电话13912345678');
    expect(r.body.status).toBe('queued');
    await waitUntil(async () => (await gw.gateway.services.store.list({ senderId: citizen.sessionId })).total === 1, 15_000, 'ticket');
    const [ticket] = (await gw.gateway.services.store.list({ senderId: citizen.sessionId })).items;
    expect(ticket.tier).toBe('2h');
    let alert: any;
    await waitUntil(async () => {
      const staff = (await (await fetch(`${gw.url}/api/webchat/sessions/${STAFF_ROOM}/messages`)).json()) as any;
      alert = staff.messages.find((m: any) => /紧急工单/.test(m.text) && m.text.includes(ticket.number));
      return !!alert;
    }, 15_000, 'urgent alert');
    expect(alert.text).not.toMatch(/燃气味|13912345678/);
  });
});

