// Time-limit tier (intents/tiers.yaml): danger → 2h, same-day hardship (outages, no heating, overflowing
// sewage, night construction) → 24h, matters needing investigation (illegal building, group rental, unpaid
// wages, long-standing problems) → 15d; otherwise the category's default, else 7d.
import { z } from 'zod';
import type { TierId } from './decision.js';
import { readIntentsYaml } from './resources.js';

const ORDER: TierId[] = ['2h', '24h', '15d'];
const TiersFile = z.object({
  version: z.literal(1),
  rules: z.object({ '2h': z.array(z.string()), '24h': z.array(z.string()), '15d': z.array(z.string()) }),
});

export class TierRules {
  private readonly rules: { tier: TierId; re: RegExp }[] = [];

  constructor(private readonly categoryDefaults: Record<string, TierId> = {}) {
    const file = TiersFile.parse(readIntentsYaml('tiers.yaml'));
    for (const tier of ORDER) {
      for (const re of file.rules[tier as '2h' | '24h' | '15d']) this.rules.push({ tier, re: new RegExp(re, 'iu') });
    }
  }

  tier(text: string, category: string): TierId {
    for (const { tier, re } of this.rules) if (re.test(text)) return tier;
    return this.categoryDefaults[category] ?? '7d';
  }
}
