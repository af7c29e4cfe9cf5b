// What the citizen reads for each event: in the ticket's language, the due day as in "将于11月29日前办结",
// the return-visit buttons; public channels get no number, office or note.
import { describe, expect, it } from 'vitest';
import { feedbackFor, formatDueFor } from '../../src/tickets/feedback.js';
import type { TicketEventRow, TicketRow } from '../../src/tickets/schema.js';

const at = new Date('2026-11-22T02:00:00Z');
const ticket = (over: Partial<TicketRow> = {}): TicketRow =>
  ({
    id: 1,
    number: '20261122-000123',
    channel: 'webchat',
    conversationId: 'c1',
    senderId: 's1',
    isPublic: false,
    lang: 'zh',
    text: '……',
    tier: '7d',
    status: 'dispatched',
    unit: '卢沟桥街道',
    rating: null,
    dueAt: new Date('2026-11-29T02:00:00Z'),
    ...over,
  }) as TicketRow;
const event = (kind: string, over: Partial<TicketEventRow> = {}): TicketEventRow =>
  ({ id: 7, ticketId: 1, kind, fromStatus: null, toStatus: null, actor: 'operator', note: null, unit: null, dedupeKey: null, notify: 'citizen', notifiedAt: null, createdAt: at, ...over }) as TicketEventRow;

describe('feedback', () => {
  it('tells where it went and by when, like the hotline does', () => {
    expect(feedbackFor(event('dispatched', { unit: '卢沟桥街道' }), ticket(), 'Asia/Shanghai')?.text).toBe('您的诉求（工单号 20261122-000123）已派至卢沟桥街道，将于11月29日前办结。');
    expect(formatDueFor(new Date('2026-11-29T06:30:00Z'), '2h', 'zh', 'Asia/Shanghai')).toBe('11月29日 14:30');
  });

  it('asks the return-visit question with buttons when resolved', () => {
    const r = feedbackFor(event('resolved', { note: '已修复' }), ticket({ status: 'resolved' }), 'Asia/Shanghai')!;
    expect(r.kind).toBe('visit');
    expect(r.text).toContain('已办结：已修复');
    expect(r.text).toContain('回复 1 满意');
    expect(r.quickReplies?.map((q) => q.label)).toEqual(['满意', '基本满意', '不满意']);
  });

  it('speaks English to an English ticket', () => {
    const r = feedbackFor(event('dispatched', { unit: 'Lugouqiao Subdistrict' }), ticket({ lang: 'en' }), 'Asia/Shanghai')!;
    expect(r.text).toBe('Your request (ticket 20261122-000123) has been sent to Lugouqiao Subdistrict and will be handled by 29 Nov.');
    expect(feedbackFor(event('resolved'), ticket({ lang: 'en' }), 'Asia/Shanghai')!.quickReplies?.map((q) => q.label)).toEqual(['satisfied', 'basically satisfied', 'unsatisfied']);
  });

  it('says nothing personal on a public channel, and asks nothing there', () => {
    const pub = ticket({ isPublic: true, channel: 'weibo' });
    for (const kind of ['dispatched', 'resolved', 'visited']) {
      const r = feedbackFor(event(kind, { note: '张先生家门口的井盖已补装', unit: '卢沟桥街道' }), pub, 'Asia/Shanghai')!;
      expect(r.text).not.toMatch(/20261122|卢沟桥|张先生|井盖/);
      expect(r.ticketNumber).toBeUndefined();
      expect(r.quickReplies).toBeUndefined();
    }
    expect(feedbackFor(event('in_progress'), pub, 'Asia/Shanghai')).toBeUndefined();
  });

  it('does not bother the citizen with internal steps', () => {
    expect(feedbackFor(event('returned'), ticket(), 'Asia/Shanghai')).toBeUndefined();
    expect(feedbackFor(event('overdue'), ticket(), 'Asia/Shanghai')).toBeUndefined();
  });
});
