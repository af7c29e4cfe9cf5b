// The NLU as the pipeline sees it: one synchronous decide() per message.
//
// Order of questions asked of a message:
//   1. Is it small talk? (chitchat.ts) — nothing else matters then.
//   2. Is it a complaint or request, judged from how it is said (message-kind.ts) plus whether it names a
//      place? A complaint becomes a ticket however well it matches an FAQ: deflecting a complaint with an
//      FAQ answer is the worst mistake this component can make.
//   3. Otherwise, how sure is the best FAQ entry (calibration.ts)? Answer, ask which entry was meant, or
//      — when nothing fits — make it a ticket, since an unanswered request still needs a person.
import type { Candidate, DecideOptions, Decision, Lang, Nlu } from './decision.js';
import { CLAUSE_END, type Analyzer } from './analyzer.js';
import type { ChitchatDetector } from './chitchat.js';
import type { MessageKindRules } from './message-kind.js';
import type { PlaceFinder, PlaceMention } from './places.js';
import type { CategoryClassifier } from './category.js';
import type { TierRules } from './tier.js';
import { Knowledge } from './knowledge.js';
import type { KbEntry } from './kb.js';
import { HomophoneFixer } from './homophones.js';
import { STATEMENT_MIN_COVERAGE, THRESHOLDS, faqConfidence } from './calibration.js';
import type { SearchResult } from './matcher.js';
import { normalizeForNlu } from './normalize.js';
import { detectLang } from './lang.js';
import { extractTime } from './time.js';
import { extractPhone } from './phone.js';

/** Complaint evidence minus inquiry evidence at or above which a message is a ticket. */
export const COMPLAINT_MARGIN = 1;
/** A message this long with three or more clauses may be a story before its question. */
const STORY_MIN_LENGTH = 30;
/** The question is looked for in the last two or three clauses. */
const QUESTION_CLAUSES = 3;
/** Inquiry evidence from which a message plainly asks (one question word and a question mark, or more). */
const PLAIN_QUESTION_INQUIRY = 1.5;
/** Present danger (a 2h tier rule) outweighs any question form. */
const DANGER_WEIGHT = 3;
/** A named street or district is itself evidence of a complaint: FAQ questions rarely say where. */
const PLACE_WEIGHT = { street: 1.5, district: 1 };

export interface NluParts {
  kbPath: string;
  analyzer: Analyzer;
  chitchat: ChitchatDetector;
  kinds: MessageKindRules;
  places: PlaceFinder;
  categories: CategoryClassifier;
  tiers: TierRules;
  extraVocabulary: string[];
  /** TZ_NAME: relative times (昨天, 上周三) are read on this zone's calendar. */
  timeZone: string;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export class JiesuNlu implements Nlu {
  private knowledge: Knowledge;

  constructor(private readonly parts: NluParts, knowledge: Knowledge, private readonly shared = false) {
    this.knowledge = knowledge;
    // A preview (withEntries) leaves the shared analyzer's homophone vocabulary to the live NLU.
    if (!shared) this.useVocabulary(knowledge);
  }

  get size(): number {
    return this.knowledge.entries.length;
  }

  entry(faqId: string) {
    const e = this.knowledge.byId.get(faqId);
    return e && { id: e.id, topic: e.topic, questions: e.questions, answer: e.answer, lang: e.lang };
  }

  async reload(): Promise<void> {
    const next = await Knowledge.load(this.parts.kbPath, this.parts.analyzer);
    this.useVocabulary(next);
    this.knowledge = next;
  }

  useEntries(entries: KbEntry[]): void {
    const next = new Knowledge(entries, this.parts.analyzer);
    if (!this.shared) this.useVocabulary(next);
    this.knowledge = next;
  }

  entries(): readonly KbEntry[] {
    return this.knowledge.entries;
  }

  withEntries(entries: KbEntry[]): JiesuNlu {
    return new JiesuNlu(this.parts, new Knowledge(entries, this.parts.analyzer), true);
  }

  /** Up to n questions spread over the knowledge base (for warming up). */
  sampleQuestions(n: number): string[] {
    const { entries } = this.knowledge;
    const step = Math.max(1, Math.floor(entries.length / n));
    const out: string[] = [];
    for (let i = 0; i < entries.length && out.length < n; i += step) out.push(entries[i].questions[out.length % entries[i].questions.length]);
    return out;
  }

  trainCategories(examples: { text: string; category: string }[]): void {
    this.parts.categories.train(examples.map((e) => ({ text: normalizeForNlu(e.text), category: e.category })));
  }

  private useVocabulary(knowledge: Knowledge): void {
    const words = knowledge.vocabulary();
    for (const w of this.parts.extraVocabulary) words.add(w);
    this.parts.analyzer.setHomophones(new HomophoneFixer(words));
  }

  decide(raw: string, options: DecideOptions = {}): Decision {
    const full = normalizeForNlu(raw);
    const lang: Lang = detectLang(full);
    const { entries } = this.knowledge;
    const chitchat = this.parts.chitchat.detect(full);
    // A greeting or thanks around the substance ("客服在吗，我家停水了") says nothing about it: its question
    // form is not an inquiry and its words are not what to look up.
    const text = chitchat ? full : this.parts.chitchat.substance(full);
    const search = this.bestSearch(text, lang);
    const candidates: Candidate[] = search.ranked.map((r) => ({
      faqId: entries[r.index].id,
      score: round(r.raw),
      question: entries[r.index].questions[0],
    }));
    if (chitchat) return { kind: 'chitchat', chitchat, score: 1, candidates, lang };

    const place = this.parts.places.find(text);
    const evidence = this.parts.kinds.evidence(text);
    const placeWeight = place.street ? PLACE_WEIGHT.street : place.district ? PLACE_WEIGHT.district : 0;
    const danger = this.parts.tiers.danger(text) ? DANGER_WEIGHT : 0;
    const complaint = evidence.complaint + danger;
    const margin = complaint + placeWeight - evidence.inquiry;
    const confidence = search.confidence;
    const top = search.ranked[0] && entries[search.ranked[0].index];

    const asksNothing = evidence.inquiry === 0;
    const statementAnswerable = !asksNothing || (complaint === 0 && search.coverage >= STATEMENT_MIN_COVERAGE);
    // A plain question (it asks, reports nothing, names no place) that no entry explains well enough is still
    // better met with the closest entries to choose from (and the 登记工单 button) than made a ticket at once.
    const plainQuestion = complaint === 0 && placeWeight === 0 && evidence.inquiry >= PLAIN_QUESTION_INQUIRY;
    const clarifyFloor = plainQuestion ? THRESHOLDS.clarifyPlainQuestion : THRESHOLDS.clarify;
    if (margin < COMPLAINT_MARGIN && statementAnswerable && top && confidence >= clarifyFloor) {
      const extras = this.slots(text, place, options);
      if (confidence >= THRESHOLDS.answer) {
        return { kind: 'faq', faqId: top.id, answer: top.answer, score: round(confidence), candidates, lang, ...extras };
      }
      return { kind: 'faq', clarify: true, score: round(confidence), candidates, lang, ...extras };
    }

    const category = this.parts.categories.classify(text);
    return {
      kind: 'ticket',
      score: round(sigmoid(margin - COMPLAINT_MARGIN + 1)),
      candidates,
      category,
      tier: this.parts.tiers.tier(text, category),
      ...this.slots(text, place, options),
      lang,
    };
  }

  /**
   * A long message often tells its story first and asks last ("…今天才想起来还没给孩子上户口，请问落户要什么
   * 材料"): the story's words dilute how much of the message the right entry explains. The question is also
   * matched on its own (the last clauses), and whichever reading is surer is kept.
   */
  private bestSearch(text: string, lang: Lang): SearchResult & { confidence: number } {
    const { matcher } = this.knowledge;
    const whole = matcher.search(text, lang);
    const best = { ...whole, confidence: faqConfidence(whole) };
    if (text.length < STORY_MIN_LENGTH) return best;
    const clauses = text.split(CLAUSE_END).filter((c) => c.trim());
    if (clauses.length < 3) return best;
    let best2 = best;
    // One clause alone (怎么找回来) is too little to say which entry; two or three carry the subject.
    const longest = Math.min(QUESTION_CLAUSES, clauses.length - 1);
    const counts: number[] = [];
    for (let n = 2; n <= longest; n++) counts.push(n);
    // The tails share their clauses: those are analysed once.
    const tails = this.parts.analyzer.tailTerms(clauses.slice(-longest), counts);
    for (const terms of tails) {
      const tail = matcher.searchTerms(terms, lang);
      const confidence = faqConfidence(tail);
      if (confidence > best2.confidence) best2 = { ...tail, confidence };
    }
    return best2;
  }

  private slots(text: string, place: PlaceMention, options: DecideOptions): Partial<Decision> {
    const out: Partial<Decision> = {};
    if (place.district) out.district = place.district;
    if (place.street) out.street = place.street;
    const time = extractTime(text, options.now ?? new Date(), this.parts.timeZone);
    if (time) out.time = time;
    const phone = extractPhone(text);
    if (phone) out.phone = phone;
    return out;
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
