// Inquiry or complaint, judged from how the message is said (intents/kinds.yaml), apart from what it is
// about. A complaint names a problem, a fault, a duration, urgency, a neighbour or a place; an inquiry asks
// how, where, when, what is needed. The FAQ score only decides *which* answer, never *whether* to answer
// a complaint.
import { z } from 'zod';
import { readIntentsYaml } from './resources.js';
import { RuleSchema, compileRules, sumRules, type WeightedRule } from './weighted-rules.js';

const KindsFile = z.object({
  version: z.literal(1),
  complaint: z.array(RuleSchema),
  inquiry: z.array(RuleSchema),
});

export interface KindEvidence {
  complaint: number;
  inquiry: number;
  hits: string[];
}

export class MessageKindRules {
  private readonly complaint: WeightedRule[];
  private readonly inquiry: WeightedRule[];

  constructor(file = 'kinds.yaml') {
    const parsed = KindsFile.parse(readIntentsYaml(file));
    this.complaint = compileRules(parsed.complaint, `${file} complaint`);
    this.inquiry = compileRules(parsed.inquiry, `${file} inquiry`);
  }

  evidence(text: string, withHits = false): KindEvidence {
    const hits: string[] | undefined = withHits ? [] : undefined;
    const complaint = sumRules(this.complaint, text, hits);
    hits?.push('|');
    const inquiry = sumRules(this.inquiry, text, hits);
    return { complaint, inquiry, hits: hits ?? [] };
  }
}
