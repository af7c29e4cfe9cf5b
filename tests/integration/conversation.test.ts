// Scripted multi-turn conversations through the web chat API (issue 7): slot filling, confirmation and
// corrections, FAQ feedback, clarification, repeats, menu, handoff, English, expiry, and two citizens at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { Script, WebchatCitizen, waitUntil } from '../helpers/webchat-client.js';

let gw: TestGateway;
const admin = () => ({ authorization: `Bearer ${gw.adminToken}`, 'content-type': 'application/json' });
const ticketsOf = async (c: WebchatCitizen) => (await gw.gateway.services.store.list({ senderId: c.sessionId })).items;

beforeAll(async () => {
  // Conversations expire after 3 s here so the expiry path runs inside the test.
  gw = await startTestGateway({ CONVERSATION_TTL_MINUTES: '0.05', WORKING_HOURS: '00:00-23:59' });
});
afterAll(async () => {
  await gw?.stop();
});

function script(): Script {
  return new Script(new WebchatCitizen(gw.url));
}

describe('conversation', () => {
  it('asks for a missing place one question at a time and understands the bare answer', async () => {
    const s = script();
    await s.expect('路灯坏了好几天了晚上特别黑', /哪个区、哪个街道/);
    const confirm = await s.expect('卢沟桥街道假日风景小区', /请确认.*丰台区卢沟桥街道.*假日风景小区/s);
    expect(confirm.quickReplies.map((q: any) => q.label)).toEqual(['确认', '修改']);
    await s.expect('确认', /正在为您登记工单/);
    await waitUntil(async () => (await ticketsOf(s.citizen)).length === 1, 15_000, 'ticket');
    const [t] = await ticketsOf(s.citizen);
    expect(t).toMatchObject({ district: '丰台区', street: '卢沟桥街道' });
    expect(t.details).toMatchObject({ placeText: expect.stringContaining('假日风景小区') });
    s.print('slot filling');
  });

  it('gives up gracefully after two tries: the ticket goes to triage with what it has', async () => {
    const s = script();
    await s.expect('楼上天天半夜装修吵得睡不着', /哪个区/);
    await s.expect('不知道', /没能识别出地点/);
    await s.expect('我也说不清', /按现有信息为您登记工单|正在为您登记/);
    await waitUntil(async () => (await ticketsOf(s.citizen)).length === 1, 15_000, 'ticket');
    const [t] = await ticketsOf(s.citizen);
    expect(t.district).toBeNull();
    expect(t.details).toMatchObject({ flags: ['incomplete'] });
    s.print('give up');
  });

  it('lets the citizen correct a slot and add a phone number before confirming', async () => {
    const s = script();
    await s.expect('朝阳区望京街道一家饭馆油烟太大了', /请确认.*望京街道/s);
    await s.expect('修改', /需要修改的内容/, 'confirm:edit');
    await s.expect('不对，是在海淀区中关村街道', /请确认.*海淀区中关村街道/s);
    const withPhone = await s.expect('我的电话13812345678', /请确认.*13812345678/s);
    expect(withPhone.text).not.toMatch(/补充联系电话/);
    await s.expect('1', /正在为您登记/); // on channels without buttons a typed digit picks one: 1 = 确认
    await waitUntil(async () => (await ticketsOf(s.citizen)).length === 1, 15_000, 'ticket');
    const [t] = await ticketsOf(s.citizen);
    expect(t).toMatchObject({ district: '海淀区', street: '中关村街道', phone: '13812345678' });
    s.print('correction');
  });

  it('puts 有帮助 / 没解决 under FAQ answers; 没解决 offers to make a ticket of the question', async () => {
    const s = script();
    const answer = await s.expect('社保卡丢了怎么补办', /社保卡/);
    expect(answer.quickReplies.map((q: any) => q.label)).toEqual(['有帮助', '没解决']);
    await s.expect('有帮助', /感谢您的反馈/, 'fb:helpful');
    await s.expect('没解决', /需要为您登记工单/, 'fb:unsolved');
    await s.expect('登记工单', /哪个区|请确认/, 'ticket:make');
    s.print('faq feedback');
  });

  it('understands 没解决 typed the way people type it, not only the button', async () => {
    for (const typed of ['没解决', '还是没解决啊', '问题没有解决', '没用啊']) {
      const s = script();
      await s.expect('社保卡丢了怎么补办', /社保卡/);
      await s.expect(typed, /需要为您登记工单/);
    }
  });

  it('shows a span (一个星期) as how long it has lasted, not as the time of the matter', async () => {
    const s = script();
    const confirm = await s.expect('潘家园街道华威里路灯坏了一个星期了', /请确认/);
    expect(confirm.text).toContain('持续：一个星期');
    expect(confirm.text).not.toContain('时间：');
  });

  it('does not answer the same question twice the same way: it offers a person', async () => {
    const s = script();
    await s.expect('居住证怎么办理', /居住证/);
    const offer = await s.expect('居住证怎么办理', /转人工|登记工单/);
    expect(offer.quickReplies.map((q: any) => q.payload)).toEqual(['handoff', 'ticket:make']);
  });

  it('shows the menu for 你好 / 菜单', async () => {
    const s = script();
    await s.expect('你好', /12345/);
    await s.expect('菜单', /解答办事咨询/);
  });

  it('hands over to a person: the bot stays quiet, the operator replies into the chat, then releases', async () => {
    const s = script();
    await s.citizen.connect();
    await s.expect('转人工', /转接人工客服/);
    const quiet = await s.send('我想问一下拆迁补偿的事情');
    expect(quiet.replies).toEqual([]);
    const list = (await (await fetch(`${gw.url}/api/admin/handoffs`, { headers: admin() })).json()) as any;
    const mine = list.items.find((e: any) => e.address.conversationId === s.citizen.sessionId);
    expect(mine.messages.map((m: any) => m.text)).toEqual(['转人工', '我想问一下拆迁补偿的事情']);
    const target = { channel: 'webchat', conversationId: s.citizen.sessionId };
    const r = await fetch(`${gw.url}/api/admin/handoffs/reply`, { method: 'POST', headers: admin(), body: JSON.stringify({ ...target, text: '您好，我是话务员小王，请讲。' }) });
    expect(r.status).toBe(202);
    const pushed = await s.citizen.waitFor((m) => m.from === 'agent');
    expect(pushed.text).toBe('您好，我是话务员小王，请讲。');
    expect((await fetch(`${gw.url}/api/admin/handoffs/release`, { method: 'POST', headers: admin(), body: JSON.stringify(target) })).status).toBe(200);
    await s.citizen.waitFor((m) => /人工服务已结束/.test(m.text));
    await s.expect('社保卡丢了怎么补办', /社保卡/);
    s.citizen.close();
  });

  it('answers in English for the whole English conversation', async () => {
    const s = script();
    await s.expect('hello', /12345 citizen service hotline/i);
    await s.expect('The street light outside my building has been broken for a week', /which district, street/i);
    const c = await s.expect('Wangjing Street, Chaoyang District', /Please confirm/i);
    // The place the office will see, in the English the citizen wrote it in and in Chinese.
    expect(c.text).toContain('Wangjing Subdistrict, Chaoyang District (朝阳区望京街道)');
    expect(c.quickReplies.map((q: any) => q.label)).toEqual(['Confirm', 'Edit']);
    await s.expect('ok', /registering your request/i);
    s.print('english');
  });

  it('files a half-collected complaint as an incomplete ticket when the conversation expires', async () => {
    const s = script();
    await s.citizen.connect();
    await s.expect('小区里的树倒了压在路上', /哪个区/);
    const note = await s.citizen.waitFor((m) => /长时间未收到回复/.test(m.text), 20_000);
    expect(note.from).toBe('bot');
    await waitUntil(async () => (await ticketsOf(s.citizen)).length === 1, 15_000, 'ticket');
    const [t] = await ticketsOf(s.citizen);
    expect(t.details).toMatchObject({ flags: ['incomplete', 'expired'] });
    s.citizen.close();
  });

  it('keeps two citizens talking at once apart', async () => {
    const a = script();
    const b = script();
    await Promise.all([a.expect('路灯不亮了好几天', /哪个区/), b.expect('饭馆油烟太大了', /哪个区/)]);
    await Promise.all([a.expect('丰台区卢沟桥街道', /请确认.*卢沟桥/s), b.expect('朝阳区望京街道', /请确认.*望京/s)]);
    await Promise.all([a.expect('确认', /登记/), b.expect('确认', /登记/)]);
    await waitUntil(async () => (await ticketsOf(a.citizen)).length === 1 && (await ticketsOf(b.citizen)).length === 1, 15_000, 'tickets');
    expect((await ticketsOf(a.citizen))[0].street).toBe('卢沟桥街道');
    expect((await ticketsOf(b.citizen))[0].street).toBe('望京街道');
  });
});
