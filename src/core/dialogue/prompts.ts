// The dialogue's wording, loaded from intents/dialogue.yaml (per language) and validated at start, so a
// missing phrase is a startup error rather than an empty reply to a citizen.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Lang } from '../../nlu/decision.js';
import { packagePath } from '../../package-root.js';

const LangPrompts = z.object({
  askPlace: z.string(),
  askPlaceAgain: z.string(),
  askTime: z.string(),
  askSubway: z.string(),
  confirm: z.string(),
  confirmHint: z.string(),
  editPrompt: z.string(),
  givenUp: z.string(),
  cancelled: z.string(),
  expired: z.string(),
  faqFollowUp: z.string(),
  helpful: z.string(),
  unsolvedOffer: z.string(),
  repeatOffer: z.string(),
  failuresOffer: z.string(),
  handoffWaiting: z.string(),
  handoffOffHours: z.string(),
  handoffEnded: z.string(),
  categories: z.record(z.string(), z.string()),
  summary: z.object({ category: z.string(), place: z.string(), time: z.string(), duration: z.string(), phone: z.string(), noPlace: z.string() }),
  buttons: z.object({
    confirm: z.string(),
    edit: z.string(),
    cancel: z.string(),
    helpful: z.string(),
    unsolved: z.string(),
    makeTicket: z.string(),
    handoff: z.string(),
  }),
});

const DialogueFile = z.object({ version: z.literal(1), zh: LangPrompts, en: LangPrompts });
export type DialoguePrompts = z.infer<typeof LangPrompts>;

export const DIALOGUE_FILE = packagePath('intents', 'dialogue.yaml');

export function loadDialoguePrompts(path = DIALOGUE_FILE): Record<Lang, DialoguePrompts> {
  const parsed = DialogueFile.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`${path}: ${i.path.join('.')}: ${i.message}`);
  }
  return { zh: parsed.data.zh, en: parsed.data.en };
}

export function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
}
