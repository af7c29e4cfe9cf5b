// What the console shows for a mention: the log entry joined with its ticket (the ticket row's
// source_message_id is the envelope id), labels in Chinese, urgency, time to first reply. Filters run here
// over the joined rows, so "urgent" and "category" see the ticket's tier and category as the worker set them.
import { inArray } from 'drizzle-orm';
import type { Db } from '../../../src/tickets/db.js';
import { tickets } from '../../../src/tickets/schema.js';
import type { MentionEntry } from '../mentions-log.js';
import { IGNORE_LABEL } from '../noise-filter.js';
import { maskPersonalData } from '../../../src/core/mask.js';
import { categoryLabel, STATUS_LABEL } from '../../../src/reports/labels.js';

export const URGENT_TIERS = new Set(['2h', '24h']);
const TIER_NAME: Record<string, string> = { '2h': '紧急', '24h': '加急', '7d': '一般', '15d': '复杂' };

export interface MentionView {
  id: string;
  kind: 'status' | 'comment';
  author: { id: string; name?: string };
  text: string;
  link: string;
  createdAt: number;
  /** answered | asked | ticket | ignored | pending | failed */
  action: string;
  actionLabel: string;
  reasonLabel?: string;
  category?: string;
  categoryLabel?: string;
  tier?: string;
  tierLabel?: string;
  urgent: boolean;
  ticket?: { number: string; status: string; statusLabel: string };
  faqQuestion?: string;
  waiting: boolean;
  firstReplyAt?: number;
  replyDelayMs?: number;
  replies: { text: string; at: number; by: string; error?: string }[];
  lastError?: string;
}

export interface MentionFilter {
  show: 'all' | 'unhandled' | 'urgent';
  category?: string;
}

type TicketBrief = { sourceMessageId: string; number: string; category: string | null; tier: string; status: string };

export async function ticketsFor(db: Db, ids: string[]): Promise<Map<string, TicketBrief>> {
  const out = new Map<string, TicketBrief>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .select({ sourceMessageId: tickets.sourceMessageId, number: tickets.number, category: tickets.category, tier: tickets.tier, status: tickets.status })
      .from(tickets)
      .where(inArray(tickets.sourceMessageId, ids.slice(i, i + 500)));
    for (const r of rows) out.set(r.sourceMessageId, r);
  }
  return out;
}

export function viewOf(e: MentionEntry, t: TicketBrief | undefined, faqQuestion: (id: string) => string | undefined): MentionView {
  const action = t ? 'ticket' : e.action === 'pending' && e.lastError ? 'failed' : e.action;
  const actionLabel: Record<string, string> = {
    ticket: `已立工单 ${t?.number ?? ''}`.trim(),
    answered: e.replyKind === 'chitchat' ? '已回复（寒暄）' : '已答复',
    asked: '已请其私信补充详情',
    ignored: '已忽略',
    pending: '待处理',
    failed: '处理失败，重试中',
  };
  const category = t?.category ?? (e.faqId ? 'faq' : undefined);
  const waiting = e.action !== 'ignored' && !e.firstReplyAt;
  // Decided, but the comment has not gone out yet (queued, or Weibo refusing it for now).
  const unsent = waiting && (action === 'answered' || action === 'asked') ? '（待发出）' : '';
  return {
    id: e.id,
    kind: e.kind,
    author: e.author,
    text: maskPersonalData(e.text),
    link: e.link,
    createdAt: e.createdAt,
    action,
    actionLabel: (actionLabel[action] ?? action) + unsent,
    ...(e.reason ? { reasonLabel: IGNORE_LABEL[e.reason as keyof typeof IGNORE_LABEL] ?? e.reason } : {}),
    ...(category ? { category, categoryLabel: category === 'faq' ? '政策咨询' : categoryLabel(category) } : {}),
    ...(t ? { tier: t.tier, tierLabel: TIER_NAME[t.tier] ?? t.tier } : {}),
    urgent: !!t && URGENT_TIERS.has(t.tier),
    ...(t ? { ticket: { number: t.number, status: t.status, statusLabel: STATUS_LABEL[t.status] ?? t.status } } : {}),
    ...(e.faqId ? { faqQuestion: faqQuestion(e.faqId) ?? e.faqId } : {}),
    waiting,
    ...(e.firstReplyAt ? { firstReplyAt: e.firstReplyAt, replyDelayMs: Math.max(0, e.firstReplyAt - e.createdAt) } : {}),
    replies: e.replies.map((r) => ({ text: r.text, at: r.at, by: r.by, ...(r.error ? { error: r.error } : {}) })),
    ...(e.lastError ? { lastError: e.lastError } : {}),
  };
}

export function matches(v: MentionView, f: MentionFilter): boolean {
  if (f.show === 'unhandled' && !(v.waiting || v.action === 'failed')) return false;
  if (f.show === 'urgent' && !v.urgent) return false;
  if (f.category && v.category !== f.category) return false;
  return true;
}
