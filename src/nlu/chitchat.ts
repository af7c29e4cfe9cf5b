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
  acts: z.object({
    agents: z.array(z.string()).min(1),
    ask: z.array(z.string()).min(1),
    talk: z.array(z.string()).min(1),
    person: z.array(z.string()),
    unheard: z.array(z.string()),
    closing: z.array(z.string()),
    ack: z.array(z.string()),
    presence: z.array(z.string()),
  }),
  filler: z.array(z.string()),
});

const alternation = (words: string[]) => [...words].sort((a, b) => b.length - a.length).map(escape).join('|');

/**
 * The speech acts as patterns per kind: asking for a person is an ask-verb before an agent noun (找个真人,
 * 转接工作人员) or a talk-verb after one (跟客服说, 和人工直接聊); closings and acknowledgements are listed.
 */
function actPatterns(acts: z.infer<typeof ChitchatFile>['acts']): { kind: ChitchatKind; re: RegExp }[] {
  const agent = `(?:${alternation(acts.agents)})`;
  const ask = `(?:${alternation(acts.ask)})`;
  const talk = `(?:${alternation(acts.talk)})`;
  const measure = '(?:一下|一个|一位|个|位)?';
  return [
    { kind: 'handoff', re: new RegExp(`${ask}${measure}(?:你们|您们)?(?:的)?${agent}+(?:直接|来)?(?:(?:跟|和|给)我)?(?:${talk})?`, 'gu') },
    { kind: 'handoff', re: new RegExp(`(?:跟|和|同|与)${agent}+(?:直接|来)?${talk}`, 'gu') },
    ...acts.person.map((p) => ({ kind: 'handoff' as const, re: new RegExp(p, 'gu') })),
    ...acts.unheard.map((p) => ({ kind: 'handoff' as const, re: new RegExp(p, 'gu') })),
    ...acts.closing.map((p) => ({ kind: 'bye' as const, re: new RegExp(p, 'gu') })),
    ...acts.ack.map((p) => ({ kind: 'thanks' as const, re: new RegExp(p, 'gu') })),
    ...acts.presence.map((p) => ({ kind: 'greeting' as const, re: new RegExp(p, 'gu') })),
  ];
}

/** A clause: text up to a comma, stop, question or exclamation mark (ASCII after normalization) or a space. */
const CLAUSE = /[^,.!?;，。！？；\s]+/g;
const PUNCT_EMOJI = /[\p{P}\p{S}\p{Extended_Pictographic}\u200d\ufe0f\s]/gu;
const PUNCT_EMOJI_ONE = /^[\p{P}\p{S}\p{Extended_Pictographic}\u200d\ufe0f\s]$/u;
const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
/** A handoff request buried in a long message is still a message about something else. */
const MAX_HANDOFF_LENGTH = 24;

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The characters a pattern made of literals, groups, alternation, quantifiers, lookarounds and \\b can match
 * (a superset: syntax characters are included too), or undefined when it has a class, a dot or a class escape.
 */
function literalAlphabet(source: string): Set<string> | undefined {
  const out = new Set<string>();
  const chars = [...source];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === '[' || ch === '.') return undefined;
    if (ch !== '\\') { out.add(ch); continue; }
    const next = chars[++i];
    if (next === 'b' || next === 'B') continue;
    if (next === undefined || /[0-9a-zA-Z]/.test(next)) return undefined;
    out.add(next);
  }
  return out;
}

/** Letters typed without meaning: all from one keyboard row, or no vowel at all (asdfgh, jkjkjkl). */
function isKeyboardMash(text: string): boolean {
  const letters = text.replace(/[^a-z]/g, '');
  if (letters.length < 4 || letters.length !== text.replace(/\s/g, '').length) return false;
  if (!/[aeiouy]/.test(letters)) return true;
  return KEYBOARD_ROWS.some((row) => [...letters].every((ch) => row.includes(ch)));
}

export class ChitchatDetector {
  /**
   * One scan over the message: the speech-act patterns first, then every phrase and filler word, longest first
   * (so 早上好 is not read as 好 and 不好意思 is not cut into 不 + 好 + 意思). Act patterns are the named
   * groups a0, a1, …; a plain phrase is looked up by its text.
   */
  private readonly scanner: RegExp;
  private readonly kindOf = new Map<string, ChitchatKind | 'filler'>();
  private readonly actKinds: ChitchatKind[];
  /**
   * Every character a scanner match can consume, or undefined when a pattern could match characters it does
   * not spell out (a class, a dot, \\w…). A character outside it that is not punctuation or emoji can never be
   * taken out, so the message has substance: most messages are told so without running the scanner.
   */
  private readonly alphabet: Set<string> | undefined;

  constructor() {
    const file = ChitchatFile.parse(readIntentsYaml('chitchat.yaml'));
    const acts = actPatterns(file.acts);
    this.actKinds = acts.map((a) => a.kind);
    for (const w of file.filler) this.kindOf.set(w.toLowerCase(), 'filler');
    for (const kind of [...KINDS].reverse()) for (const p of file.kinds[kind] ?? []) this.kindOf.set(p.toLowerCase(), kind);
    const literals = [...this.kindOf.keys()].sort((a, b) => b.length - a.length)
      .map((p) => (/^[a-z ]+$/.test(p) ? `\\b${escape(p)}\\b` : escape(p)));
    this.scanner = new RegExp([...acts.map((a, i) => `(?<a${i}>${a.re.source})`), ...literals].join('|'), 'gu');
    this.alphabet = literalAlphabet(this.scanner.source);
  }

  /** True when some character of the text can be neither matched by the scanner nor dropped as punctuation. */
  private hasSubstanceCharacter(text: string): boolean {
    if (!this.alphabet) return false;
    for (const ch of text) if (!this.alphabet.has(ch) && !PUNCT_EMOJI_ONE.test(ch)) return true;
    return false;
  }

  /**
   * The message without the clauses at its start or end that are small talk on their own ("你好，", "，谢谢"):
   * what it is about. The whole message when every clause is small talk or none is.
   */
  substance(text: string): string {
    const clauses = [...text.matchAll(CLAUSE)];
    let first = 0;
    let last = clauses.length - 1;
    while (first < last && this.detect(clauses[first][0])) first++;
    while (last > first && this.detect(clauses[last][0])) last--;
    if (first === 0 && last === clauses.length - 1) return text;
    const from = clauses[first].index;
    const to = clauses[last].index + clauses[last][0].length;
    return text.slice(from, to);
  }

  /** The chitchat kind of a normalized message, or undefined when it says something of substance. */
  detect(text: string): ChitchatKind | undefined {
    if (isKeyboardMash(text)) return 'noise';
    if (this.hasSubstanceCharacter(text)) return undefined;
    const long = text.replace(PUNCT_EMOJI, '').length > MAX_HANDOFF_LENGTH;
    let found: ChitchatKind | undefined;
    const rest = text.replace(this.scanner, (...args) => {
      const phrase = args[0] as string;
      const groups = args[args.length - 1] as Record<string, string | undefined>;
      let kind: ChitchatKind | 'filler' | undefined;
      for (let i = 0; i < this.actKinds.length && !kind; i++) if (groups[`a${i}`] !== undefined) kind = this.actKinds[i];
      kind ??= this.kindOf.get(phrase);
      if (!kind) return phrase;
      if (kind === 'handoff' && long) return phrase;
      if (kind !== 'filler' && (!found || KINDS.indexOf(kind) < KINDS.indexOf(found))) found = kind;
      return ' ';
    });
    const leftover = rest.replace(PUNCT_EMOJI, '');
    // Only punctuation and emoji (？？？, 😊): noise, unless a phrase above named it (👍 is thanks).
    return leftover.length === 0 ? found ?? 'noise' : undefined;
  }
}
