// Entry point of the NLU: createNlu() loads the lexicons from intents/ and a knowledge base (opts.kbPath, the
// configuration's KB_PATH, else intents/faq.zh.yaml) and returns the Nlu of ./decision.ts.
import type { Nlu } from './decision.js';
import { Synonyms } from './synonyms.js';
import { Analyzer } from './analyzer.js';
import { ChitchatDetector } from './chitchat.js';
import { MessageKindRules } from './message-kind.js';
import { PlaceFinder } from './places.js';
import { CategoryClassifier } from './category.js';
import { TierRules } from './tier.js';
import { Knowledge } from './knowledge.js';
import { JiesuNlu } from './nlu.js';
import { addUserWords } from './segmenter.js';
import { DEFAULT_KB_PATH } from './resources.js';

export type { Nlu, Decision, Candidate, TimeMention, DecideOptions, Lang, TierId } from './decision.js';
export { KbError } from './kb.js';

export { DEFAULT_KB_PATH };

/** `timeZone` is the configuration's TZ_NAME (`config.timeZone`). */
export async function createNlu(opts: { kbPath?: string; timeZone: string }): Promise<Nlu> {
  const kbPath = opts.kbPath ?? DEFAULT_KB_PATH;
  const synonyms = new Synonyms();
  const places = new PlaceFinder();
  // The segmenter must know place names and hotline terms before any text is indexed.
  addUserWords([...synonyms.words, ...places.names()]);
  const analyzer = new Analyzer(synonyms);
  const categories = new CategoryClassifier();
  const parts = {
    kbPath,
    analyzer,
    chitchat: new ChitchatDetector(),
    kinds: new MessageKindRules(),
    places,
    categories,
    tiers: new TierRules(categories.defaultTier),
    extraVocabulary: synonyms.words,
    timeZone: opts.timeZone,
  };
  const nlu = new JiesuNlu(parts, await Knowledge.load(kbPath, analyzer));
  warmUp(nlu, categories.model.sampleTexts(WARM_UP_TEXTS / 2));
  return nlu;
}

/** Messages decided once at start, so the first citizens do not pay for compiling the lexicons' regexes. */
const WARM_UP_TEXTS = 60;

/**
 * V8 compiles a regular expression to machine code only after its first runs, and optimizes the decide path
 * after many calls; both take milliseconds. Deciding a few dozen realistic messages (questions and complaints
 * of every category) at start moves that cost out of the first answers.
 */
function warmUp(nlu: JiesuNlu, complaints: string[]): void {
  for (const text of [...nlu.sampleQuestions(WARM_UP_TEXTS / 2), ...complaints]) nlu.decide(text);
}
