// The questions the bot could not answer, to turn into new knowledge-base entries. Two sources:
//  1. a Redis list `<prefix>:unanswered` that the intake records into (UnansweredLog.record, called from the
//     pipeline's observe hook when a message asked something and got a clarifying question or no answer; not
//     a button press or a reply to the bot's own question);
//  2. recent tickets whose text reads as a question (怎么/如何/哪里/吗/？…): the NLU makes an unmatched request
//     a ticket so a person answers it, and those are exactly the entries the knowledge base is missing.
// Texts are masked before they are stored or shown.
import type { Redis } from 'ioredis';
import { sql } from 'drizzle-orm';
import type { Db } from '../../tickets/db.js';
import type { Decision } from '../../nlu/decision.js';
import { maskPersonalData } from '../../core/mask.js';
import { queryRows } from '../../reports/sql-rows.js';
import type { Reply } from '../../core/envelope.js';

const KEEP = 1000;
export const QUESTION_RE = /怎么|怎样|如何|哪里|哪儿|在哪|什么|是否|能不能|可不可以|可以吗|多少|几点|吗[？?。]?$|[？?]/;

export interface UnansweredItem {
  text: string;
  at: string;
  source: 'intake' | 'ticket';
  /** 'clarified': the bot asked which entry was meant; 'unanswered': it had none and made a ticket. */
  reason?: 'unanswered' | 'clarified';
  channel?: string;
  /** The best FAQ candidate and its score, when the NLU had one. */
  topFaq?: string;
  topScore?: number;
  ticket?: string;
}

/** What the intake did with the message, beside the NLU's decision. */
export interface Handled {
  /** A button's payload (or a typed choice): the citizen answered our question and asked none. */
  action?: string;
  /** The replies sent; a clarifying question is only one when the replies offered entries to choose from. */
  replies?: Reply[];
}

export function looksLikeQuestion(text: string): boolean {
  return QUESTION_RE.test(text);
}

export class UnansweredLog {
  constructor(
    private readonly redis: () => Promise<Redis>,
    private readonly prefix: string,
  ) {}

  get key(): string {
    return `${this.prefix}:unanswered`;
  }

  /** Whether a decision means "a question we had no answer for", and which kind. */
  static reasonOf(text: string, d: Decision, handled: Handled = {}): UnansweredItem['reason'] {
    if (handled.action) return undefined;
    if (d.kind === 'faq' && d.clarify) {
      // "确认" typed at the confirmation step is decided as a weak FAQ match, but the dialogue took it as the
      // answer to its own question: only a reply offering entries was a clarifying question.
      const offered = !handled.replies || handled.replies.some((r) => r.quickReplies?.some((q) => q.payload.startsWith('faq:')));
      return offered ? 'clarified' : undefined;
    }
    return d.kind === 'ticket' && looksLikeQuestion(text) ? 'unanswered' : undefined;
  }

  /** Best effort: a Redis hiccup must never fail or slow the message being handled. */
  async record(text: string, d: Decision, channel?: string, handled: Handled = {}): Promise<void> {
    const reason = UnansweredLog.reasonOf(text, d, handled);
    if (!reason) return;
    const item: UnansweredItem = {
      text: maskPersonalData(text).slice(0, 500),
      at: new Date().toISOString(),
      source: 'intake',
      reason,
      ...(channel ? { channel } : {}),
      ...(d.candidates[0] ? { topFaq: d.candidates[0].faqId, topScore: Math.round(d.candidates[0].score * 1000) / 1000 } : {}),
    };
    try {
      const r = await this.redis();
      await r.multi().lpush(this.key, JSON.stringify(item)).ltrim(this.key, 0, KEEP - 1).exec();
    } catch {
      /* best effort */
    }
  }

  async recent(limit = 200): Promise<UnansweredItem[]> {
    const r = await this.redis();
    const raw = await r.lrange(this.key, 0, limit - 1);
    return raw.flatMap((s) => {
      try {
        return [JSON.parse(s) as UnansweredItem];
      } catch {
        return [];
      }
    });
  }
}

/** Question-like tickets of the last `days` days, newest first (the created_at index bounds the scan). */
export async function questionTickets(db: Db, now: Date, days = 7, limit = 100): Promise<UnansweredItem[]> {
  const since = new Date(now.getTime() - days * 86_400_000);
  const rows = await queryRows<{ number: string; text: string; channel: string; created_at: Date }>(
    db,
    sql`select number, text, channel, created_at from tickets
        where created_at >= ${since} and duplicate_of is null
          and text ~ ${QUESTION_RE.source}
        order by created_at desc limit ${limit}`,
  );
  return rows.map((r) => ({ text: maskPersonalData(r.text), at: new Date(r.created_at).toISOString(), source: 'ticket', channel: r.channel, ticket: r.number }));
}
