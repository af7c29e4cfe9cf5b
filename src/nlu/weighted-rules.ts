// A list of weighted regular expressions loaded from intents/*.yaml: the shared shape of the kind,
// tier and chitchat rules. Each rule counts once per message however often it matches.
import { z } from 'zod';

export const RuleSchema = z.object({ re: z.string(), w: z.number() });

export interface WeightedRule { re: RegExp; w: number; source: string }

export function compileRules(rules: z.infer<typeof RuleSchema>[], where: string): WeightedRule[] {
  return rules.map((r) => {
    try {
      return { re: new RegExp(r.re, 'u'), w: r.w, source: r.re };
    } catch (err) {
      throw new Error(`${where}: bad pattern /${r.re}/: ${(err as Error).message}`);
    }
  });
}

export function sumRules(rules: WeightedRule[], text: string, hits?: string[]): number {
  let total = 0;
  for (const rule of rules) {
    if (rule.re.test(text)) {
      total += rule.w;
      hits?.push(rule.source);
    }
  }
  return total;
}
