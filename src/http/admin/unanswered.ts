// The questions the bot could not answer, to turn into new knowledge-base entries. Two sources:
//  1. a Redis list `<prefix>:unanswered` that the intake records into (UnansweredLog.record, called from the
//     pipeline's observe hook when a message looked like a question but got no confident FAQ answer);
//  2. recent tickets whose text reads as a question (怎么/如何/哪里/吗/？…): the NLU makes an unmatched request
//     a ticket so a person answers it, and those are exactly the entries the knowledge base is missing.
// Texts are masked before they are stored or shown.
import type { Redis } from 'ioredis';
import { sql } from 'drizzle-orm';
import type { Db } from '../../tickets/db.js';
import type { Decision } from '../../nlu/decision.js';
import { maskPersonalData } from '../../core/mask.js';
import { queryRows } from '../../reports/sql-rows.js';

const KEEP = 1000;
export const QUESTION_RE = /怎么|怎样|如何|哪里|哪儿|在哪|什么|是否|能不能|可不可以|可以吗|多少|几点|吗[？?。]?$|[？?]/;

export interface UnansweredItem {
  text: string;
  at: string;
  source: 'intake' | 'ticket';
  channel?: string;
  /** The best FAQ candidate and its score, when the NLU had one. */
  topFaq?: string;
  topScore?: number;
  ticket?: string;
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

  /** Whether a decision means "a question we had no answer for". */
  static isUnanswered(text: string, d: Decision): boolean {
    if (d.kind === 'faq') return Boolean(d.clarify);
    return d.kind === 'ticket' && looksLikeQuestion(text);
  }

  /** Best effort: a Redis hiccup must never fail or slow the message being handled. */
  async record(text: string, d: Decision, channel?: string): Promise<void> {
    if (!UnansweredLog.isUnanswered(text, d)) return;
    const item: UnansweredItem = {
      text: maskPersonalData(text).slice(0, 500),
      at: new Date().toISOString(),
      source: 'intake',
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
