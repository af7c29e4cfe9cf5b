// What the NLU decides for one message. `jiesu ask` prints this as JSON; the intake pipeline acts on it.

import type { KbEntry } from './kb.js';

/** The hotline's four time limits (2 hours, 24 hours, 7 days, 15 days), most urgent first: the one list of them. */
export const TIER_IDS = ['2h', '24h', '7d', '15d'] as const;
export type TierId = (typeof TIER_IDS)[number];

/** A ticket no rule gives a time limit or a category gets these. */
export const DEFAULT_TIER: TierId = '7d';
export const DEFAULT_CATEGORY = 'other';

/** A ticket's category and time limit, the defaults filled in where the decision has none. */
export function ticketClass(d: { category?: string; tier?: TierId }): { category: string; tier: TierId } {
  return { category: d.category ?? DEFAULT_CATEGORY, tier: d.tier ?? DEFAULT_TIER };
}
export type Lang = 'zh' | 'en';

export interface Candidate {
  faqId: string;
  score: number;
  /** The entry's canonical question, for "您是想咨询以下哪一项？" quick replies. */
  question: string;
}

export interface TimeMention {
  /** The words as written: 今天早上7点, 上周三, 连续三天. */
  text: string;
  /** ISO date-time when the words name a moment or a day. */
  at?: string;
  /** ISO 8601 duration when they name a span (连续三天 → P3D). */
  duration?: string;
}

export interface Decision {
  kind: 'faq' | 'ticket' | 'chitchat';
  faqId?: string;
  /** The answer text of faqId, so the fast path needs nothing else. */
  answer?: string;
  /** Calibrated 0..1: for faq the match confidence, for ticket the complaint confidence. */
  score: number;
  /** Top 3 knowledge-base entries, best first (also for tickets and chitchat, for the console). */
  candidates: Candidate[];
  /** Between the lower and upper thresholds: ask which entry was meant instead of answering. */
  clarify?: boolean;
  category?: string;
  tier?: TierId;
  district?: string;
  street?: string;
  time?: TimeMention;
  phone?: string;
  lang: Lang;
  /** Chitchat sub-kind, so the pipeline can greet, thank, or hand over to a person. */
  chitchat?: 'greeting' | 'thanks' | 'handoff' | 'menu' | 'bye' | 'noise';
}

export interface DecideOptions {
  /** The clock for relative times (上周三). Defaults to now. */
  now?: Date;
}

export interface Nlu {
  decide(text: string, options?: DecideOptions): Decision;
  /** Number of knowledge-base entries loaded. */
  readonly size: number;
  /** Look an entry up (for the console and for clarify quick replies). */
  entry(faqId: string): { id: string; topic?: string; questions: string[]; answer: string; lang: Lang } | undefined;
  /** Re-read the knowledge base from disk; throws (and keeps the old one) when the file is invalid. */
  reload(): Promise<void>;
  /** Serve these entries from now on (a knowledge-base version from the database); the index is built first, then swapped. */
  useEntries(entries: KbEntry[]): void;
  /** The entries served now. */
  entries(): readonly KbEntry[];
  /** An Nlu that answers from `entries` instead, leaving this one as it is (to evaluate a change before publishing it). */
  withEntries(entries: KbEntry[]): Nlu;
  /** Category corrections (a ticket's text and the category staff set) retrain the category model at once. */
  trainCategories(examples: { text: string; category: string }[]): void;
}
