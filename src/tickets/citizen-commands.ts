// Recognizes what a citizen asks of their own tickets (the CommandParser of src/core/citizen-command.ts):
//   查询工单 20261128-000123 · 查工单20261128-000123 · ticket 20261128-000123 · a bare ticket number
//   我的工单 · 查询工单 · my tickets
//   满意 / 基本满意 / 不满意, or 1 / 2 / 3, as the answer to the return visit (the latest ticket waiting for one)
//   the return-visit buttons' payloads: visit:<number>:satisfied|basically|unsatisfied
// Only whole messages count: "我对物业很不满意，……" is a complaint, not a rating.
import type { CitizenCommand, CommandParser, Rating } from '../core/citizen-command.js';

const NUMBER = String.raw`(\d{8}-\d{6,})`;
const VISIT_PAYLOAD = new RegExp(`^visit:${NUMBER}:(satisfied|basically|unsatisfied)$`);
const QUERY_ONE = new RegExp(String.raw`^(?:(?:查询|查|查看|查一下|查下)(?:我的)?(?:工单|诉求|进度)(?:进度)?|工单(?:查询|号)?|tickets?|status(?: of)?(?: ticket)?)?\s*[:：#]?\s*${NUMBER}\s*[?？。.!！]?$`, 'i');
const QUERY_MINE = /^(?:(?:查询|查|查看)?我的(?:工单|诉求)|(?:查询|查看)?工单(?:查询|进度)?|查询进度|my tickets?|tickets?)\s*[?？。.!！]?$/i;

const RATING_WORDS: [RegExp, Rating][] = [
  [/^(?:3|３|不满意|很不满意|非常不满意|unsatisfied|dissatisfied|not satisfied)$/i, 'unsatisfied'],
  [/^(?:2|２|基本满意|还行|一般|basically(?: satisfied)?|somewhat satisfied)$/i, 'basically'],
  [/^(?:1|１|满意|很满意|非常满意|satisfied|very satisfied)$/i, 'satisfied'],
];

/**
 * A rating without a number (a typed "1" or "满意") has `number: ''`: the handler applies it to the
 * sender's ticket that waits for an answer, if there is one.
 */
export const LATEST_AWAITING_VISIT = '';

export const parseCitizenCommand: CommandParser = (text: string, action?: string): CitizenCommand | undefined => {
  const payload = action ? VISIT_PAYLOAD.exec(action.trim()) : null;
  if (payload) return { type: 'rating', number: payload[1], rating: payload[2] as Rating };
  const t = text.trim().replace(/\s+/g, ' ');
  if (!t || t.length > 60) return undefined;
  const one = QUERY_ONE.exec(t);
  if (one) return { type: 'ticket-status', number: one[1] };
  if (QUERY_MINE.test(t)) return { type: 'ticket-status' };
  const bare = t.replace(/[。.!！]$/, '');
  for (const [re, rating] of RATING_WORDS) if (re.test(bare)) return { type: 'rating', number: LATEST_AWAITING_VISIT, rating };
  return undefined;
};
