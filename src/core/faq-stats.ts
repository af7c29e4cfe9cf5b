// Port: how often each FAQ entry is answered, for the menu's "most asked questions", and how citizens rated
// each answer (有帮助 / 没解决), for the console's help rates and review queue. Best effort: counting must never
// slow an answer (src/queue/faq-stats.ts keeps the counts on Redis).

export interface FaqStats {
  hit(faqId: string): void;
  /** A citizen rated an answer; the question behind a 没解决 is kept for review. */
  rate(faqId: string, helpful: boolean, question?: string): void;
  /** Ids of the most answered entries, best first. */
  top(n: number): string[];
}
