// Small talk (intents/chitchat.yaml): greetings, thanks, goodbyes, asking for a person, asking for the
// menu, and noise (emoji, punctuation, keyboard mashing). A message is chitchat only when nothing of
// substance is left after taking those out: "你好，社保卡丢了怎么办" is a question, not a greeting.
import { z } from 'zod';
import type { Decision } from './decision.js';
import { readIntentsYaml } from './resources.js';

export type ChitchatKind = NonNullable<Decision['chitchat']>;
const KINDS: ChitchatKind[] = ['handoff', 'menu', 'bye', 'thanks', 'greeting', 'noise'];

const ChitchatFile = z.object({
  version: z.literal(1),
  kinds: z.record(z.enum(KINDS as [ChitchatKind, ...ChitchatKind[]]), z.array(z.string())),
  filler: z.array(z.string()),
});

const PUNCT_EMOJI = /[\p{P}\p{S}\p{Extended_Pictographic}\u200d\ufe0f\s]/gu;
const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
/** A handoff request buried in a long message is still a message about something else. */
const MAX_HANDOFF_LENGTH = 24;

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Letters typed without meaning: all from one keyboard row, or no vowel at all (asdfgh, jkjkjkl). */
function isKeyboardMash(text: string): boolean {
  const letters = text.replace(/[^a-z]/g, '');
  if (letters.length < 4 || letters.length !== text.replace(/\s/g, '').length) return false;
  if (!/[aeiouy]/.test(letters)) return true;
  return KEYBOARD_ROWS.some((row) => [...letters].every((ch) => row.includes(ch)));
}

export class ChitchatDetector {
  /** Every phrase of every kind in one alternation, longest first, so 早上好 is not read as 好. */
  private readonly phrases: RegExp;
  private readonly kindOf = new Map<string, ChitchatKind>();
  private readonly filler: RegExp;

  constructor() {
    const file = ChitchatFile.parse(readIntentsYaml('chitchat.yaml'));
    for (const kind of [...KINDS].reverse()) for (const p of file.kinds[kind] ?? []) this.kindOf.set(p.toLowerCase(), kind);
    const alternatives = [...this.kindOf.keys()].sort((a, b) => b.length - a.length)
      .map((p) => (/^[a-z ]+$/.test(p) ? `\\b${escape(p)}\\b` : escape(p)));
    this.phrases = new RegExp(alternatives.join('|'), 'gu');
    this.filler = new RegExp([...file.filler].sort((a, b) => b.length - a.length).map(escape).join('|'), 'gu');
  }

  /** The chitchat kind of a normalized message, or undefined when it says something of substance. */
  detect(text: string): ChitchatKind | undefined {
    if (isKeyboardMash(text)) return 'noise';
    const long = text.replace(PUNCT_EMOJI, '').length > MAX_HANDOFF_LENGTH;
    let found: ChitchatKind | undefined;
    const rest = text.replace(this.phrases, (phrase) => {
      const kind = this.kindOf.get(phrase) as ChitchatKind;
      if (kind === 'handoff' && long) return phrase;
      if (!found || KINDS.indexOf(kind) < KINDS.indexOf(found)) found = kind;
      return ' ';
    });
    const leftover = rest.replace(this.filler, '').replace(PUNCT_EMOJI, '');
    // Only punctuation and emoji (？？？, 😊): noise, unless a phrase above named it (👍 is thanks).
    return leftover.length === 0 ? found ?? 'noise' : undefined;
  }
}
