// Done-when of issue 6: a burst of 500 mentions arrives at once; every one is polled, answered or ticketed
// exactly once, and the median time from mention to first public reply is measured (printed, not asserted).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { waitUntil } from '../helpers/webchat-client.js';
import { FakeWeiboApi } from '../fakes/weibo-api.js';
import type { WeiboAdapter } from '../../channels/weibo/weibo-adapter.js';
import { COMPLAINT_TEXTS, FAQ_TEXTS } from '../../bench/texts.js';

// The shared dev cases when the checkout sits next to ../shared (their real mix of questions, complaints and
// chitchat); on a lone clone, the bench's own FAQ and complaint texts, so the burst still runs.
const DEV_CASES = new URL('../../../shared/data/cases.dev.jsonl', import.meta.url);
const CASES: { text: string }[] = existsSync(DEV_CASES)
  ? readFileSync(DEV_CASES, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { text: string })
  : [...FAQ_TEXTS, ...COMPLAINT_TEXTS].map((text) => ({ text }));

let fake: FakeWeiboApi;
let gw: TestGateway;

beforeAll(async () => {
  fake = await new FakeWeiboApi().start();
  gw = await startTestGateway(fake.gatewayEnv({ WEIBO_POLL_MS: '1000' }));
});

afterAll(async () => {
  await gw?.stop();
  await fake?.stop();
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

describe('weibo burst', () => {
  it('takes 500 mentions exactly once each and reports the median time to a public reply', async () => {
    const N = 500;
    // 450 statuses and 50 comments, from 500 different people, all at once.
    const statuses = Array.from({ length: 450 }, (_, i) => fake.addStatusMention({ text: `@北京12345 ${CASES[i % CASES.length].text}` }));
    const comments = Array.from({ length: 50 }, (_, i) => fake.addCommentMention({ text: `@北京12345 ${CASES[(450 + i) % CASES.length].text}` }));
    const firstReply = (id: string, kind: 'status' | 'comment') => (kind === 'status' ? fake.commentsOn(id) : fake.repliesTo(id))[0];
    const all = [...statuses.map((s) => ({ id: s.idstr as string, kind: 'status' as const })), ...comments.map((c) => ({ id: c.idstr as string, kind: 'comment' as const }))];
    expect(all).toHaveLength(N);

    const t0 = Date.now();
    await waitUntil(() => all.every((m) => firstReply(m.id, m.kind)), 180_000, 'every mention answered publicly');
    const allReplied = Date.now() - t0;
    await waitUntil(async () => {
      const c = await gw.gateway.services.queues.tickets.getJobCounts('waiting', 'active', 'delayed');
      const o = await gw.gateway.services.queues.outbound.getJobCounts('waiting', 'active', 'delayed');
      return c.waiting + c.active + c.delayed + o.waiting + o.active + o.delayed === 0;
    }, 120_000, 'queues drained');

    // Exactly once: one immediate reply each; a ticket (and its one "已受理" comment) for complaints only.
    const store = gw.gateway.services.store;
    let ticketed = 0;
    for (const m of all) {
      const replies = m.kind === 'status' ? fake.commentsOn(m.id) : fake.repliesTo(m.id);
      const ticket = await store.getBySource(`weibo:${m.kind}:${m.id}`);
      if (ticket) ticketed++;
      expect(replies.length, `${m.kind} ${m.id}`).toBe(ticket ? 2 : 1);
    }
    expect(await store.count()).toBe(ticketed);
    // The same polls again (overlap): nothing new.
    const weibo = gw.gateway.services.channels.get('weibo') as WeiboAdapter;
    const commentsBefore = fake.comments.length;
    await weibo.cursors.reset('status', '0');
    await weibo.cursors.reset('comment', '0');
    const polls = fake.callsOf('statuses/mentions.json').length;
    await waitUntil(() => fake.callsOf('statuses/mentions.json').length >= polls + 6, 30_000, 'overlapping polls');
    await new Promise((r) => setTimeout(r, 1000));
    expect(fake.comments.length).toBe(commentsBefore);
    expect(await store.count()).toBe(ticketed);

    const latencies = all.map((m) => firstReply(m.id, m.kind).at - fake.addedAt(m.id)!);
    const summary = await weibo.mentions.summary();
    // Where the time goes: waiting for the poll and the intake (handed over), then the outbound queue.
    const entries = new Map((await weibo.mentions.list({ limit: 2000 })).map((e) => [e.platformId, e]));
    const handedOver = all.map((m) => entries.get(m.id)!.handledAt! - fake.addedAt(m.id)!);
    console.log(`[weibo burst] mention → handed to the intake: median ${median(handedOver)} ms, max ${Math.max(...handedOver)} ms`);
    console.log(
      `[weibo burst] ${N} mentions (450 statuses, 50 comments): ${N - ticketed} answered, ${ticketed} ticketed; ` +
        `mention → first public reply: median ${median(latencies)} ms, p90 ${[...latencies].sort((a, b) => a - b)[Math.floor(N * 0.9)]} ms, ` +
        `max ${Math.max(...latencies)} ms (poll interval 1000 ms); all replied after ${allReplied} ms; ` +
        `API calls: ${fake.callsOf('statuses/mentions.json').length + fake.callsOf('comments/mentions.json').length} polls, ${fake.comments.length} comments; waiting now ${summary.waiting}`,
    );
    expect(summary.waiting).toBe(0);
  }, 400_000);
});
