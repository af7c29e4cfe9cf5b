// Scores an Nlu on a labelled case file (JSON Lines, format in ../shared/data/README.md). The rates are
// what `jiesu eval` prints and what tests/nlu/eval.test.ts holds the matcher to.
import { readFileSync } from 'node:fs';
import type { Decision, Nlu } from './decision.js';

export interface EvalCase {
  text: string;
  expect: string;
  category?: string;
  tier?: string;
  district?: string;
  street?: string;
}

export type MistakeKind =
  | 'false-answer' // a complaint answered with an FAQ: the worst
  | 'wrong-answer' // a question answered with the wrong entry
  | 'chitchat-missed'
  | 'false-clarify' // a complaint met with "which of these did you mean?"
  | 'unanswered'
  | 'category' | 'tier' | 'district' | 'street';

const SEVERITY: MistakeKind[] = [
  'false-answer', 'wrong-answer', 'chitchat-missed', 'false-clarify', 'unanswered', 'category', 'tier', 'district', 'street',
];

export interface Mistake {
  kind: MistakeKind;
  text: string;
  expected: string;
  got: string;
}

export interface EvalReport {
  cases: number;
  faqTop1: number;
  faqTop3: number;
  faqWrong: number;
  faqUnanswered: number;
  /** FAQ cases answered right, or met with a clarifying question whose choices hold the right entry. */
  helped: number;
  /** Share of FAQ cases met with a clarifying question. */
  clarifyRate: number;
  falseAnswer: number;
  chitchat: number;
  category: number;
  tier: number;
  district: number;
  street: number;
  /** Counts behind the rates, for the readable report. */
  counts: { faq: number; ticket: number; chitchat: number; withDistrict: number; withStreet: number; falseClarify: number };
  mistakes: Mistake[];
}

export function readCases(path: string): EvalCase[] {
  return readFileSync(path, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean).map((line, i) => {
    try {
      return JSON.parse(line) as EvalCase;
    } catch (err) {
      throw new Error(`${path}:${i + 1}: not JSON: ${(err as Error).message}`);
    }
  });
}

const answered = (d: Decision) => d.kind === 'faq' && !d.clarify;

/** A case came out fully right: the expected kind and entry, and every labelled ticket field. */
export function caseRight(d: Decision, c: EvalCase): boolean {
  if (c.expect === 'chitchat') return d.kind === 'chitchat';
  if (c.expect !== 'ticket') return answered(d) && d.faqId === c.expect;
  return d.kind === 'ticket' && d.category === c.category && d.tier === c.tier &&
    d.district === c.district && d.street === c.street;
}

export function describeDecision(d: Decision): string {
  if (d.kind === 'faq') return d.clarify ? `clarify(${d.candidates.map((c) => c.faqId).join(',')})` : `faq:${d.faqId}`;
  if (d.kind === 'chitchat') return `chitchat:${d.chitchat}`;
  return `ticket:${d.category}/${d.tier}${d.district ? `/${d.district}` : ''}${d.street ? `/${d.street}` : ''}`;
}

export function evaluateCases(nlu: Pick<Nlu, 'decide'>, cases: EvalCase[], now = new Date()): EvalReport {
  const n = { faq: 0, ticket: 0, chitchat: 0, withDistrict: 0, withStreet: 0, falseClarify: 0 };
  const hit = { helped: 0, clarify: 0, top1: 0, top3: 0, wrong: 0, unanswered: 0, falseAnswer: 0, chitchat: 0, category: 0, tier: 0, district: 0, street: 0 };
  const mistakes: Mistake[] = [];
  const miss = (kind: MistakeKind, c: EvalCase, expected: string, d: Decision) =>
    mistakes.push({ kind, text: c.text, expected, got: describeDecision(d) });

  for (const c of cases) {
    const d = nlu.decide(c.text, { now });
    if (c.expect === 'chitchat') {
      n.chitchat++;
      if (d.kind === 'chitchat') hit.chitchat++; else miss('chitchat-missed', c, 'chitchat', d);
    } else if (c.expect === 'ticket') {
      n.ticket++;
      if (answered(d)) { hit.falseAnswer++; miss('false-answer', c, 'ticket', d); }
      else if (d.kind === 'faq') { n.falseClarify++; miss('false-clarify', c, 'ticket', d); }
      if (d.category === c.category) hit.category++; else miss('category', c, String(c.category), d);
      if (d.tier === c.tier) hit.tier++; else miss('tier', c, String(c.tier), d);
      if (c.district) {
        n.withDistrict++;
        if (d.district === c.district) hit.district++; else miss('district', c, c.district, d);
      }
      if (c.street) {
        n.withStreet++;
        if (d.street === c.street) hit.street++; else miss('street', c, c.street, d);
      }
    } else {
      n.faq++;
      if (d.candidates.some((x) => x.faqId === c.expect)) hit.top3++;
      if (d.kind === 'faq' && d.clarify) {
        hit.clarify++;
        if (d.candidates.some((x) => x.faqId === c.expect)) hit.helped++;
      }
      if (answered(d) && d.faqId === c.expect) hit.helped++;
      if (answered(d) && d.faqId === c.expect) hit.top1++;
      else if (answered(d)) { hit.wrong++; miss('wrong-answer', c, c.expect, d); }
      else { hit.unanswered++; miss('unanswered', c, c.expect, d); }
    }
  }
  const rate = (x: number, of: number) => (of ? x / of : 1);
  mistakes.sort((a, b) => SEVERITY.indexOf(a.kind) - SEVERITY.indexOf(b.kind));
  return {
    cases: cases.length,
    faqTop1: rate(hit.top1, n.faq),
    faqTop3: rate(hit.top3, n.faq),
    faqWrong: rate(hit.wrong, n.faq),
    faqUnanswered: rate(hit.unanswered, n.faq),
    helped: rate(hit.helped, n.faq),
    clarifyRate: rate(hit.clarify, n.faq),
    falseAnswer: rate(hit.falseAnswer, n.ticket),
    chitchat: rate(hit.chitchat, n.chitchat),
    category: rate(hit.category, n.ticket),
    tier: rate(hit.tier, n.ticket),
    district: rate(hit.district, n.withDistrict),
    street: rate(hit.street, n.withStreet),
    counts: n,
    mistakes,
  };
}

export function evaluate(nlu: Nlu, casesPath: string): EvalReport {
  return evaluateCases(nlu, readCases(casesPath));
}

/** The figures the issue sets targets for, and which way is better. */
export const TARGETS: { key: keyof EvalReport; label: string; target: number; higherIsBetter: boolean }[] = [
  { key: 'faqTop1', label: 'FAQ answered right (top-1)', target: 0.9, higherIsBetter: true },
  { key: 'faqTop3', label: 'FAQ right entry in top 3', target: 0.97, higherIsBetter: true },
  { key: 'faqWrong', label: 'FAQ answered wrong', target: 0.03, higherIsBetter: false },
  { key: 'faqUnanswered', label: 'FAQ not answered', target: 1, higherIsBetter: false },
  { key: 'helped', label: 'FAQ helped (right, or in a clarify)', target: 0, higherIsBetter: true },
  { key: 'clarifyRate', label: 'FAQ met with a clarify', target: 1, higherIsBetter: false },
  { key: 'falseAnswer', label: 'complaints answered with an FAQ', target: 0.02, higherIsBetter: false },
  { key: 'chitchat', label: 'chitchat recognized', target: 0.95, higherIsBetter: true },
  { key: 'category', label: 'ticket category', target: 0.85, higherIsBetter: true },
  { key: 'tier', label: 'ticket tier', target: 0.8, higherIsBetter: true },
  { key: 'district', label: 'district', target: 0.97, higherIsBetter: true },
  { key: 'street', label: 'street/town', target: 0.93, higherIsBetter: true },
];

export function formatReport(r: EvalReport, maxMistakes = 25): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);
  const lines = [
    `评测 evaluation: ${r.cases} cases (${r.counts.faq} FAQ, ${r.counts.ticket} tickets, ${r.counts.chitchat} chitchat; ` +
      `${r.counts.withDistrict} with district, ${r.counts.withStreet} with street)`,
    '',
  ];
  for (const t of TARGETS) {
    const value = r[t.key] as number;
    const ok = t.higherIsBetter ? value >= t.target : value <= t.target;
    const goal = (t.target === 1 && !t.higherIsBetter) || (t.target === 0 && t.higherIsBetter) ? '' : `${t.higherIsBetter ? '≥' : '≤'} ${pct(t.target).trim()}`;
    lines.push(`  ${t.label.padEnd(34)} ${pct(value)}  ${goal.padEnd(9)} ${goal ? (ok ? 'ok' : 'MISSED') : ''}`);
  }
  lines.push(`  ${'complaints met with a clarify'.padEnd(34)} ${String(r.counts.falseClarify).padStart(7)}`);
  lines.push('', `最严重的错误 worst mistakes (${Math.min(maxMistakes, r.mistakes.length)} of ${r.mistakes.length}):`);
  for (const m of r.mistakes.slice(0, maxMistakes)) {
    lines.push(`  [${m.kind}] ${m.text}`, `      expected ${m.expected}, got ${m.got}`);
  }
  return lines.join('\n');
}
