// The Weibo channel against a fake Weibo Open API: mentions polled with since_id/max_id paging, answered or
// acknowledged publicly (nothing personal), complaints ticketed once however often they are polled, comment
// threads, refused repeat comments varied, rate limits and network errors backed off (not hammered), and the
// private-message push with good and forged signatures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { waitUntil } from '../helpers/webchat-client.js';
import { FakeWeiboApi } from '../fakes/weibo-api.js';
import type { WeiboAdapter } from '../../channels/weibo/weibo-adapter.js';
import { pushSignature } from '../../channels/weibo/push-signature.js';
import { PHRASES, TICKET_PHRASES } from '../../src/core/replies.js';
import { ChannelApiError } from '../../src/core/errors.js';
import { PollerStatusStore } from '../../channels/weibo/poller-status.js';
import { Redis } from 'ioredis';
import { RateBudget } from '../../channels/weibo/rate-budget.js';

const SECRET = 'weibo-app-secret-for-tests';
let fake: FakeWeiboApi;
let gw: TestGateway;
let weibo: WeiboAdapter;
let redis: Redis;

const FAQ = '@北京12345 社保卡丢了怎么补办';
const COMPLAINT = (n: number) => `@北京12345 我们小区${n}号楼门口的路灯坏了快一个月了，晚上黑漆漆的`;

async function tickets(): Promise<number> {
  return gw.gateway.services.store.count();
}

function signed(extra: Record<string, string> = {}, secret = SECRET): string {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9));
  const q = new URLSearchParams({ signature: pushSignature(secret, timestamp, nonce), timestamp, nonce, ...extra });
  return `${gw.url}/api/channels/weibo/push?${q}`;
}

beforeAll(async () => {
  fake = await new FakeWeiboApi().start();
  gw = await startTestGateway(fake.gatewayEnv({ WEIBO_APP_SECRET: SECRET, WEIBO_POLL_MS: '300', WEIBO_BACKOFF_MS: '150', WEIBO_BACKOFF_MAX_MS: '2000' }));
  weibo = gw.gateway.services.channels.get('weibo') as WeiboAdapter;
  redis = new Redis(gw.gateway.services.redis.url);
});

afterAll(async () => {
  redis?.disconnect();
  await gw?.stop();
  await fake?.stop();
});

describe('weibo mentions', () => {
  it('answers an FAQ publicly, acknowledges a complaint without details, then files one ticket', async () => {
    const faq = fake.addStatusMention({ text: FAQ, name: '海淀小王' });
    const complaint = fake.addStatusMention({ text: `${COMPLAINT(1)}，我电话13912345678` });
    await waitUntil(() => fake.commentsOn(complaint.idstr as string).length >= 2, 20_000, 'ack and ticket comment');
    const answer = fake.commentsOn(faq.idstr as string);
    expect(answer).toHaveLength(1);
    expect(answer[0].text).toMatch(/社保卡/);
    const [ack, created] = fake.commentsOn(complaint.idstr as string).map((c) => c.text);
    expect(ack).toContain('请通过私信告诉我们具体时间、地点和联系方式');
    expect(created).toContain(TICKET_PHRASES.zh.publicCreated.slice(0, 12));
    for (const c of fake.comments) {
      expect(c.text).not.toMatch(/13912345678|\d{8}-\d{6}/);
      expect(fake.calls.find((x) => x.params.comment === c.text)?.params.rip).toBeTruthy();
    }
    const ticket = await gw.gateway.services.store.getBySource(`weibo:status:${complaint.idstr}`);
    expect(ticket).toMatchObject({ channel: 'weibo', isPublic: true, conversationId: complaint.idstr });
  });

  it('pages back with max_id through more mentions than one page, and picks up mentions arriving later', async () => {
    const before = fake.callsOf('statuses/mentions.json').length;
    const added = Array.from({ length: 230 }, (_, i) => fake.addStatusMention({ text: i % 2 ? FAQ : COMPLAINT(100 + i) }));
    await waitUntil(() => added.every((s) => fake.commentsOn(s.idstr as string).length >= 1), 60_000, '230 mentions answered');
    const calls = fake.callsOf('statuses/mentions.json').slice(before);
    expect(calls.some((c) => c.params.max_id && c.params.since_id)).toBe(true);
    expect(calls.every((c) => Number(c.params.count) <= 200)).toBe(true);
    // Arriving between polls.
    const late = fake.addStatusMention({ text: FAQ });
    await waitUntil(() => fake.commentsOn(late.idstr as string).length === 1, 10_000, 'late mention answered');
    const cursor = await weibo.cursors.get('status');
    expect(cursor).toBe(late.idstr);
  });

  it('creates nothing twice when polls overlap (cursor moved back, as after a lost lock)', async () => {
    const all = fake.callsOf('statuses/mentions.json');
    await waitUntil(async () => (await gw.gateway.services.queues.tickets.getJobCounts('waiting', 'active', 'delayed')).waiting === 0, 20_000, 'tickets drained');
    await waitUntil(() => fake.comments.length > 0 && Date.now() - fake.comments[fake.comments.length - 1].at > 1500, 30_000, 'comments settled');
    const commentsBefore = fake.comments.length;
    const ticketsBefore = await tickets();
    await weibo.cursors.reset('status', '0');
    await waitUntil(() => fake.callsOf('statuses/mentions.json').length > all.length + 4, 10_000, 'polls after the reset');
    await new Promise((r) => setTimeout(r, 1500));
    expect(fake.comments.length).toBe(commentsBefore);
    expect(await tickets()).toBe(ticketsBefore);
  });

  it('replies to comment mentions inside their thread', async () => {
    const c = fake.addCommentMention({ text: '@北京12345 社保卡丢了怎么补办？' });
    await waitUntil(() => fake.repliesTo(c.idstr as string).length === 1, 10_000, 'reply in thread');
    expect(fake.repliesTo(c.idstr as string)[0]).toMatchObject({ statusId: (c.status as { idstr: string }).idstr });
  });

  it('ignores reposts without words, spam and its own posts, and keeps them in the log with the reason', async () => {
    const original = fake.addStatusMention({ text: '@北京12345 今天地铁好挤' });
    const repost = fake.addStatusMention({ text: '转发微博', repostOf: original.idstr as string });
    const spam = fake.addStatusMention({ text: '@北京12345 兼职日结 加微信 xx' });
    const own = fake.addStatusMention({ text: '@北京12345 测试', uid: fake.account.idstr });
    await waitUntil(async () => (await weibo.mentions.get(`weibo:status:${own.idstr}`))?.action === 'ignored', 10_000, 'own post ignored');
    expect((await weibo.mentions.get(`weibo:status:${repost.idstr}`))).toMatchObject({ action: 'ignored', reason: 'repost' });
    expect((await weibo.mentions.get(`weibo:status:${spam.idstr}`))).toMatchObject({ action: 'ignored', reason: 'spam-ad' });
    expect((await weibo.mentions.get(`weibo:status:${own.idstr}`))).toMatchObject({ action: 'ignored', reason: 'own' });
    for (const s of [repost, spam, own]) expect(fake.commentsOn(s.idstr as string)).toHaveLength(0);
  });

  it('varies a comment Weibo refuses as repeated content, posting it once', async () => {
    fake.failNext('comments/create.json', { status: 400, code: 20019, error: 'repeat content!' });
    const s = fake.addStatusMention({ text: FAQ });
    await waitUntil(() => fake.commentsOn(s.idstr as string).length === 1, 10_000, 'varied comment');
    expect(fake.commentsOn(s.idstr as string)[0].text).toMatch(/〔[0-9A-F]{5,}〕$/);
    // Many identical acknowledgements (a burst of complaints): every one posted, none refused twice in a row.
    const burst = Array.from({ length: 12 }, (_, i) => fake.addStatusMention({ text: COMPLAINT(900 + i) }));
    await waitUntil(() => burst.every((b) => fake.commentsOn(b.idstr as string).length >= 1), 20_000, 'burst acknowledged');
    const acks = burst.map((b) => fake.commentsOn(b.idstr as string)[0].text);
    expect(new Set(acks).size).toBe(acks.length);
  });

  it('backs off on rate limits and network errors instead of hammering, shows it, and recovers', async () => {
    const status = new PollerStatusStore(redis, gw.prefix);
    const start = fake.callsOf('statuses/mentions.json').length;
    fake.failNext(
      'statuses/mentions.json',
      { status: 403, code: '10023', error: 'User requests out of rate limit!' },
      { status: 429, code: 10022, error: 'IP requests out of rate limit!' },
      { status: 403, code: 10024, error: 'User requests for (statuses/mentions) out of rate limit!' },
      { network: true },
      { status: 502, code: 10001, error: 'system error!' },
    );
    await waitUntil(async () => (await status.read())?.lastError?.rateLimited === true, 5_000, 'rate limit shown');
    const shown = (await status.read())!;
    expect(shown.backoffUntil).toBeGreaterThan(Date.now() - 1000);
    expect(shown.failures).toBeGreaterThan(0);
    const late = fake.addStatusMention({ text: FAQ });
    await waitUntil(() => fake.commentsOn(late.idstr as string).length === 1, 20_000, 'recovered');
    const calls = fake.callsOf('statuses/mentions.json').slice(start);
    const failedAt = calls.filter((c) => c.status !== 200).map((c) => c.at);
    expect(failedAt).toHaveLength(5);
    // Waits double: at least 150, 300, 600, 1200 ms (WEIBO_BACKOFF_MS=150), instead of the 300 ms interval.
    const gaps = failedAt.slice(1).map((t, i) => t - failedAt[i]);
    console.log(`[weibo] waits between failed polls: ${gaps.join(', ')} ms`);
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(150 * 2 ** i - 10));
    await waitUntil(async () => (await status.read())?.failures === 0, 5_000, 'healthy again');
  });
});

describe('weibo hourly budget', () => {
  it('lets polling use half the hour, keeps the rest for replies, and stops at the limit', async () => {
    const budget = new RateBudget(redis, `${gw.prefix}:budget-test`, 10);
    const polls = [];
    for (let i = 0; i < 7; i++) polls.push(await budget.take('poll'));
    expect(polls).toEqual([true, true, true, true, true, false, false]);
    const replies = [];
    for (let i = 0; i < 6; i++) replies.push(await budget.take('reply'));
    expect(replies).toEqual([true, true, true, true, true, false]);
    expect(await budget.state()).toMatchObject({ used: 10, limit: 10 });
    // Weibo saying "out of rate limit" spends the hour at once.
    const other = new RateBudget(redis, `${gw.prefix}:budget-test-2`, 10);
    await other.exhaust();
    expect(await other.take('reply')).toBe(false);
  });
});

describe('weibo private messages (fan-service push)', () => {
  it('echoes echostr for a signed URL check and refuses a forged one', async () => {
    const good = await fetch(signed({ echostr: 'hello-weibo-123' }));
    expect(good.status).toBe(200);
    expect(await good.text()).toBe('hello-weibo-123');
    const forged = await fetch(signed({ echostr: 'x' }, 'not-the-secret-at-all'));
    expect(forged.status).toBe(401);
    const unsigned = await fetch(`${gw.url}/api/channels/weibo/push?echostr=x`);
    expect(unsigned.status).toBe(401);
  });

  it('answers a signed private message privately, and stores nothing for a forged one', async () => {
    const push = (sender: string, text: string) => ({ type: 'text', receiver_id: Number(fake.account.idstr), sender_id: Number(sender), created_at: 'Tue Nov 26 09:20:18 +0800 2024', text, data: {} });
    const forged = await fetch(signed({}, 'wrong-secret-wrong'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(push('7700000001', '社保卡丢了怎么补办')) });
    expect(forged.status).toBe(401);
    const ok = await fetch(signed(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(push('7700000002', '社保卡丢了怎么补办')) });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('');
    await waitUntil(() => fake.messages.some((m) => m.receiverId === '7700000002'), 10_000, 'private reply');
    expect(fake.messages.find((m) => m.receiverId === '7700000002')!.text).toMatch(/社保卡/);
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.messages.some((m) => m.receiverId === '7700000001')).toBe(false);
    expect(await redis.exists(`${gw.prefix}:weibo:dm-last:7700000001`)).toBe(0);
  });

  it('refuses a private reply outside the 48-hour window, without retrying', async () => {
    const err = await weibo.send({ channel: 'weibo', conversationId: '7700000999', isPublic: false }, { text: '您好' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelApiError);
    expect(err).toMatchObject({ status: 403, platformCode: 'DM_WINDOW_CLOSED' });
    expect(PHRASES.zh.ackPublic).toBeTruthy();
  });
});
