// The conversation log and the handoff claims on the real Redis: an id appended twice is kept once (a retried
// delivery), the list keeps its newest turns and both keys expire; a claim is exclusive until assigned or cleared,
// and read marks are per user.
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { RedisConversationLog, MAX_TURNS, TTL_DAYS } from '../../src/queue/conversation-log-redis.js';
import { HandoffClaims } from '../../src/http/inbox/handoff-claims.js';
import { intakeTurns, replyTurn } from '../../src/core/conversation-log.js';
import { TEST_REDIS_URL, uniquePrefix } from '../helpers/databases.js';

const redis = new Redis(TEST_REDIS_URL);
const prefix = uniquePrefix('convlog');
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const message = (id: string, text: string) => ({ id, channel: 'telegram' as const, conversationId: 'c1', sender: { id: 'u1' }, text, isPublic: false, receivedAt: new Date('2026-12-01T08:00:00Z') });

describe('RedisConversationLog', () => {
  it('keeps a citizen message and its replies in order, and a retried append or delivery once', async () => {
    const log = new RedisConversationLog(redis, prefix);
    const c = { channel: 'telegram', conversationId: 'c1' };
    const turns = intakeTurns(message('telegram:1', '社保卡丢了怎么补办'), [{ text: '请挂失', kind: 'answer', faqId: 'shebao' }]);
    await log.append(c, turns);
    await log.append(c, turns);
    const confirm = replyTurn({ id: 'confirm:1', text: '工单号 20261201-000001', kind: 'ticket', ticketNumber: '20261201-000001' }, 'confirm:1', new Date('2026-12-01T08:01:00Z'));
    await log.append(c, [confirm]);
    await log.append(c, [confirm]);
    const read = await log.read(c);
    expect(read.map((t) => [t.from, t.text, t.kind, t.faqId, t.ticketNumber])).toEqual([
      ['citizen', '社保卡丢了怎么补办', undefined, undefined, undefined],
      ['bot', '请挂失', 'answer', 'shebao', undefined],
      ['bot', '工单号 20261201-000001', 'ticket', undefined, '20261201-000001'],
    ]);
    expect(await log.read({ channel: 'telegram', conversationId: 'other' })).toEqual([]);
    const ttl = await redis.ttl(`${prefix}:convlog:telegram:c1`);
    expect(ttl).toBeGreaterThan(TTL_DAYS * 86_400 - 60);
    expect(await redis.ttl(`${prefix}:convlog-ids:telegram:c1`)).toBeGreaterThan(0);
  });

  it('keeps only the newest turns', async () => {
    expect(MAX_TURNS).toBeGreaterThanOrEqual(100);
    const log = new RedisConversationLog(redis, prefix, { maxTurns: 3 });
    const c = { channel: 'wechat', conversationId: 'c2' };
    for (let i = 1; i <= 5; i++) await log.append(c, [{ id: `m${i}`, from: 'citizen', text: `第${i}条`, at: new Date(2026, 11, 1, 8, i).toISOString() }]);
    expect((await log.read(c)).map((t) => t.text)).toEqual(['第3条', '第4条', '第5条']);
  });
});

describe('HandoffClaims', () => {
  const c = { channel: 'webchat', conversationId: 's1' };
  const wang = { user: '王芳', role: 'admin' };
  const li = { user: '李强', role: 'operator' };

  it('gives a conversation to its first claimant, again to them, and to someone else only by assignment', async () => {
    const claims = new HandoffClaims(redis, prefix);
    const at = new Date('2026-12-01T08:00:00Z');
    expect(await claims.claim(c, wang, at)).toMatchObject({ ok: true, claim: { user: '王芳' } });
    expect(await claims.claim(c, li, at)).toMatchObject({ ok: false, claim: { user: '王芳' } });
    expect(await claims.claim(c, wang, at)).toMatchObject({ ok: true, claim: { user: '王芳' } });
    expect(await claims.assign(c, li, '王芳', at)).toMatchObject({ user: '李强', role: 'operator', assignedBy: '王芳' });
    expect(await claims.claim(c, wang, at)).toMatchObject({ ok: false, claim: { user: '李强' } });
    await claims.markRead(c, '李强', at);
    await claims.markRead(c, '王芳', new Date('2026-12-01T09:00:00Z'));
    // The list reads each conversation's holder and the holder's own read mark, not anyone else's.
    const free = { channel: 'webchat', conversationId: 'free' };
    expect(await claims.holders([c, free])).toEqual([{ claim: expect.objectContaining({ user: '李强' }), lastRead: at.toISOString() }, undefined]);
    await claims.clear(c);
    expect(await claims.get(c)).toBeUndefined();
    await claims.assign(c, li, '王芳', at);
    expect(await claims.holders([c])).toEqual([{ claim: expect.objectContaining({ user: '李强' }) }]);
    await claims.clear(c);
    expect(await claims.holders([c])).toEqual([undefined]);
  });
});
