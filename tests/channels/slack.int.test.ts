// Slack against a fake Web API on 127.0.0.1: a real gateway (Redis, PostgreSQL, workers) receives signed
// Events API posts, slash commands and button presses as Slack sends them, and answers through the fake,
// which records every call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordIntake, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { waitUntil } from '../helpers/webchat-client.js';
import { FakeSlackApi, SlackSender, type PostedMessage } from '../fakes/slack-api.js';
import { postStaffAlert } from '../../channels/slack/staff-alerts.js';
import type { InboundMessage } from '../../src/core/envelope.js';

const SIGNING_SECRET = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const BOT_USER = 'U07BOTUSER1';
const TICKET = /\d{8}-\d{6}/;

let fake: FakeSlackApi;
let gw: TestGateway;
let slack: SlackSender;
let env: Record<string, string>;
const seen: InboundMessage[] = [];
let clock = 1_764_500_000;
let eventSeq = 1;

const nextTs = () => `${clock++}.000${String(eventSeq).padStart(3, '0')}`;

function envelope(event: Record<string, unknown>) {
  return { token: 'legacy', team_id: 'T0J1F6H2K', api_app_id: 'A07H12345AB', type: 'event_callback', event_id: `Ev${String(eventSeq++).padStart(8, '0')}`, event_time: clock, event };
}

function dm(user: string, channel: string, text: string, ts = nextTs()) {
  return envelope({ type: 'message', channel_type: 'im', user, channel, text, ts, event_ts: ts, team: 'T0J1F6H2K' });
}

function mention(user: string, channel: string, text: string, ts = nextTs(), threadTs?: string) {
  return envelope({ type: 'app_mention', user, channel, text: `<@${BOT_USER}> ${text}`, ts, event_ts: ts, ...(threadTs ? { thread_ts: threadTs } : {}) });
}

/** The user pressing a button of a message the app posted. */
function press(user: string, posted: PostedMessage, value: string) {
  const button = buttonsOf(posted).find((b) => b.value === value)!;
  return {
    type: 'block_actions',
    user: { id: user, username: 'li.hua', name: 'li.hua', team_id: 'T0J1F6H2K' },
    api_app_id: 'A07H12345AB',
    container: { type: 'message', message_ts: posted.ts, channel_id: posted.channel, is_ephemeral: false },
    trigger_id: `${clock++}.19041234567.${Math.random().toString(16).slice(2)}`,
    team: { id: 'T0J1F6H2K', domain: 'beijing-enterprises' },
    channel: { id: posted.channel, name: posted.channel.startsWith('D') ? 'directmessage' : 'general' },
    message: { type: 'message', bot_id: 'B07BOT12345', text: posted.text, ts: posted.ts, ...(posted.threadTs ? { thread_ts: posted.threadTs } : {}), blocks: posted.blocks },
    actions: [{ action_id: button.action_id, block_id: 'quick_replies', text: button.text, value, type: 'button', action_ts: `${clock}.123456` }],
  };
}

const buttonsOf = (m: PostedMessage): any[] => m.blocks?.find((b) => b.type === 'actions')?.elements ?? [];
const ticketsOf = async (user: string) => (await gw.gateway.services.store.list({ senderId: user })).items;

/** A DM complaint → place asked → place given → the confirmation prompt with its buttons. */
async function complainUpToConfirm(user: string, channel: string): Promise<PostedMessage> {
  expect((await slack.event(dm(user, channel, '我家小区门口的井盖丢了好几天了'))).status).toBe(200);
  await fake.waitForPosted((m) => m.channel === channel && /哪个区/.test(m.text));
  expect((await slack.event(dm(user, channel, '丰台区卢沟桥街道假日风景小区'))).status).toBe(200);
  return fake.waitForPosted((m) => m.channel === channel && /请确认/.test(m.text));
}

beforeAll(async () => {
  fake = await new FakeSlackApi().start();
  env = { SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.url, SLACK_STAFF_CHANNEL: 'C0STAFF001' };
  gw = await startTestGateway(env);
  slack = new SlackSender(gw.url, SIGNING_SECRET);
  recordIntake(gw, seen);
});

afterAll(async () => {
  await gw?.stop();
  await fake?.stop();
});

describe('slack', () => {
  it('answers the url_verification challenge of a signed request only', async () => {
    const challenge = { token: 'legacy', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' };
    const r = await slack.event(challenge);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ challenge: challenge.challenge });
    expect((await slack.event(challenge, { secret: 'ffffffffffffffffffffffffffffffff' })).status).toBe(401);
  });

  it('answers an FAQ question in the same DM and makes no ticket', async () => {
    const r = await slack.event(dm('U0FAQ0001', 'D0FAQ0001', '社保卡丢了怎么补办'));
    expect(r.status).toBe(200);
    const answer = await fake.waitForPosted((m) => m.channel === 'D0FAQ0001');
    expect(answer.text).toMatch(/社保卡/);
    expect(answer.threadTs).toBeUndefined();
    expect(await ticketsOf('U0FAQ0001')).toHaveLength(0);
  });

  it('answers an @mention in a channel in its thread', async () => {
    const ts = nextTs();
    expect((await slack.event(mention('U0MEN0001', 'C0LAN2Q65', '你好', ts))).status).toBe(200);
    const answer = await fake.waitForPosted((m) => m.channel === 'C0LAN2Q65');
    expect(answer.threadTs).toBe(ts);
    expect(answer.text).toMatch(/您好/);
  });

  it('takes a DM complaint to its ticket number, with the confirmation pressed as a Block Kit button', async () => {
    const prompt = await complainUpToConfirm('U0CMP0001', 'D0CMP0001');
    expect(buttonsOf(prompt).map((b) => b.value)).toEqual(['confirm:yes', 'confirm:edit']);
    const payload = press('U0CMP0001', prompt, 'confirm:yes');
    expect((await slack.interaction(payload)).status).toBe(200);
    expect(seen.find((m) => m.id === `slack:act:${payload.trigger_id}`)).toMatchObject({ action: 'confirm:yes', conversationId: 'D0CMP0001', sender: { id: 'U0CMP0001' } });
    const confirmation = await fake.waitForPosted((m) => m.channel === 'D0CMP0001' && TICKET.test(m.text));
    const [ticket] = await ticketsOf('U0CMP0001');
    expect(ticket).toMatchObject({ channel: 'slack', conversationId: 'D0CMP0001', district: '丰台区', street: '卢沟桥街道' });
    expect(confirmation.text).toContain(ticket.number);
  });

  it('answers /12345 查询 <number> with an ephemeral ack and the status in the DM', async () => {
    const [ticket] = await ticketsOf('U0CMP0001');
    const r = await slack.command({
      token: 'legacy',
      team_id: 'T0J1F6H2K',
      channel_id: 'C0LAN2Q65',
      channel_name: 'general',
      user_id: 'U0CMP0001',
      user_name: 'li.hua',
      command: '/12345',
      text: `查询 ${ticket.number}`,
      response_url: 'https://hooks.slack.com/commands/T0J1F6H2K/1/x',
      trigger_id: `${clock++}.19041234567.abcdef`,
    });
    expect(r.status).toBe(200);
    expect(r.body.response_type).toBe('ephemeral');
    expect(seen.at(-1)).toMatchObject({ text: `查询工单 ${ticket.number}`, conversationId: 'U0CMP0001' });
    const status = await fake.waitForPosted((m) => m.channel === 'U0CMP0001' && m.text.includes(ticket.number));
    expect(status.text).toContain(ticket.number);
  });

  it('makes one ticket and one confirmation when Slack retries an event', async () => {
    await complainUpToConfirm('U0DUP0001', 'D0DUP0001');
    const confirm = dm('U0DUP0001', 'D0DUP0001', '确认');
    const first = await slack.event(confirm);
    const retries = await Promise.all([1, 2, 3].map((n) => slack.event(confirm, { headers: { 'x-slack-retry-num': String(n), 'x-slack-retry-reason': 'http_timeout' } })));
    expect([first, ...retries].map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const confirmation = await fake.waitForPosted((m) => m.channel === 'D0DUP0001' && TICKET.test(m.text));
    await new Promise((r) => setTimeout(r, 2000));
    expect(await ticketsOf('U0DUP0001')).toHaveLength(1);
    expect(fake.postedTo('D0DUP0001').filter((m) => m.text === confirmation.text)).toHaveLength(1);
    const texts = fake.postedTo('D0DUP0001').map((m) => m.text);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('rejects forged, unsigned and replayed requests and stores nothing', async () => {
    const before = seen.length;
    const complaint = () => dm('U0FRG0001', 'D0FRG0001', '朝阳区望京街道有个饭馆油烟太大了，投诉');
    const forged = [
      await slack.event(complaint(), { secret: 'ffffffffffffffffffffffffffffffff' }),
      await slack.event(complaint(), { omit: ['signature'] }),
      await slack.event(complaint(), { omit: ['timestamp'] }),
      await slack.event(complaint(), { signature: 'v0=' + '0'.repeat(64) }),
      // Correctly signed, but six minutes old: a replay.
      await slack.event(complaint(), { timestamp: Math.floor(Date.now() / 1000) - 360 }),
      await slack.command({ command: '/12345', text: '查询', user_id: 'U0FRG0001', channel_id: 'C0LAN2Q65', trigger_id: 'x.y.z' }, { secret: 'ffffffffffffffffffffffffffffffff' }),
      await slack.interaction({ type: 'block_actions' }, { omit: ['signature', 'timestamp'] }),
    ];
    // Bolt's receiver refuses them with an empty 401 before anything is parsed.
    for (const r of forged) {
      expect(r.status).toBe(401);
      expect(r.body).toBe('');
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(seen.length).toBe(before);
    expect(await ticketsOf('U0FRG0001')).toHaveLength(0);
    expect(fake.postedTo('D0FRG0001')).toHaveLength(0);
  });

  it("ignores the app's own messages echoed back", async () => {
    const before = seen.length;
    const echo = envelope({ type: 'message', channel_type: 'im', bot_id: 'B07BOT12345', user: BOT_USER, channel: 'D0FAQ0001', text: '您好', ts: nextTs() });
    expect((await slack.event(echo)).status).toBe(200);
    expect(seen.length).toBe(before);
  });

  it('retries a reply through a 429 and a 500 and delivers it once', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 }, { status: 500 });
    expect((await slack.event(dm('U0RTY0001', 'D0RTY0001', '社保卡丢了怎么补办'))).status).toBe(200);
    const answer = await fake.waitForPosted((m) => m.channel === 'D0RTY0001', 30_000);
    expect(answer.text).toMatch(/社保卡/);
    expect(fake.callsOf('chat.postMessage').filter((c) => c.params.channel === 'D0RTY0001').map((c) => c.status)).toEqual([429, 500, 200]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(fake.postedTo('D0RTY0001')).toHaveLength(1);
  });

  it('posts staff alerts to the staff channel with personal numbers masked', async () => {
    const posted = await postStaffAlert({ title: '新 2 小时工单', ticketNumber: '20261128-000123', text: '燃气泄漏，联系电话13812345678', fields: { 街道: '卢沟桥街道' }, urgent: true }, env);
    expect(posted).toBe(true);
    const [alert] = fake.postedTo('C0STAFF001');
    expect(alert.text).toContain('20261128-000123');
    expect(JSON.stringify(alert)).not.toContain('13812345678');
    expect(JSON.stringify(alert.blocks)).toContain('138****5678');
    expect(await postStaffAlert({ title: 'x', text: 'y' }, { ...env, SLACK_STAFF_CHANNEL: '' })).toBe(false);
  });
});
