// Time-limit tier (intents/tiers.yaml): danger → 2h, same-day hardship (outages, no heating, overflowing
// sewage, night construction) → 24h, matters needing investigation (illegal building, group rental, unpaid
// wages, long-standing problems) → 15d; otherwise the category's default, else 7d.
// Besides the phrase rules, urgency is read from consequence: a combination of concepts that together mean
// danger (gas + a smell, water + wiring) or hardship (a vulnerable person + a lost essential service), however
// each is worded.
import { z } from 'zod';
import { DEFAULT_TIER, type TierId } from './decision.js';
import { readIntentsYaml } from './resources.js';

const ORDER: TierId[] = ['2h', '24h', '15d'];
type RuleTier = '2h' | '24h' | '15d';
const TiersFile = z.object({
  version: z.literal(1),
  rules: z.object({ '2h': z.array(z.string()), '24h': z.array(z.string()), '15d': z.array(z.string()) }),
  concepts: z.record(z.string(), z.string()),
  combinations: z.object({ '2h': z.array(z.array(z.string()).min(2)), '24h': z.array(z.array(z.string()).min(2)) }).partial(),
});

interface TierRule { tier: TierId; test: (text: string) => boolean }

export class TierRules {
  private readonly rules: TierRule[] = [];

  constructor(private readonly categoryDefaults: Record<string, TierId> = {}) {
    const file = TiersFile.parse(readIntentsYaml('tiers.yaml'));
    const concepts = new Map(Object.entries(file.concepts).map(([name, re]) => [name, new RegExp(re, 'iu')]));
    for (const tier of ORDER) {
      for (const source of file.rules[tier as RuleTier]) {
        const re = new RegExp(source, 'iu');
        this.rules.push({ tier, test: (t) => re.test(t) });
      }
      for (const names of file.combinations[tier as '2h' | '24h'] ?? []) {
        const parts = names.map((n) => {
          const re = concepts.get(n);
          if (!re) throw new Error(`tiers.yaml: combination ${names.join('+')}: no concept '${n}'`);
          return re;
        });
        this.rules.push({ tier, test: (t) => parts.every((re) => re.test(t)) });
      }
    }
  }

  tier(text: string, category: string): TierId {
    for (const { tier, test } of this.rules) if (test(text)) return tier;
    return this.categoryDefaults[category] ?? DEFAULT_TIER;
  }

  /** Life or property in danger now: never an FAQ matter, whatever the wording. */
  danger(text: string): boolean {
    for (const { tier, test } of this.rules) {
      if (tier !== '2h') return false;
      if (test(text)) return true;
    }
    return false;
  }
}
