// Port: how often each FAQ entry is answered, for the menu's "most asked questions". Best effort: counting
// must never slow an answer (src/queue/faq-stats.ts keeps the counts on Redis).

export interface FaqStats {
  hit(faqId: string): void;
  /** Ids of the most answered entries, best first. */
  top(n: number): string[];
}
