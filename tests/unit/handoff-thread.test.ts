// The transcript an operator reads: the conversation log's turns, plus the handoff desk's messages the log lacks
// (the desk's copy is durable, the log's best effort), in time order.
import { describe, expect, it } from 'vitest';
import { handoffThread } from '../../src/http/inbox/thread.js';
import type { ConversationTurn } from '../../src/core/conversation-log.js';

const t = (id: string, from: ConversationTurn['from'], text: string, at: string): ConversationTurn => ({ id, from, text, at });

describe('handoffThread', () => {
  const log = [t('1', 'citizen', '社保卡丢了', '2026-12-01T08:00:00.000Z'), t('1#0', 'bot', '请挂失', '2026-12-01T08:00:00.000Z'), t('2', 'citizen', '转人工', '2026-12-01T08:01:00.000Z')];

  it('is the log when the log has every desk message', () => {
    expect(handoffThread(log, [{ from: 'citizen', text: '转人工', at: '2026-12-01T08:01:00.000Z' }])).toBe(log);
  });

  it('adds the desk messages the log lost, in time order, keeping turns of the same instant in order', () => {
    const thread = handoffThread(log, [
      { from: 'citizen', text: '转人工', at: '2026-12-01T08:01:00.000Z' },
      { from: 'citizen', text: '在吗', at: '2026-12-01T08:00:30.000Z' },
      { from: 'agent', text: '您好', at: '2026-12-01T08:02:00.000Z' },
    ]);
    expect(thread.map((x) => x.text)).toEqual(['社保卡丢了', '请挂失', '在吗', '转人工', '您好']);
  });
});
