// What may be posted publicly, and how long it may be. A comment is at most 140 "characters" as Weibo counts
// them (a Chinese character is one, two half-width characters are one). Public text never carries personal
// data or a ticket's details: numbers are masked, ticket numbers removed, buttons dropped (nobody can press
// them under a comment), and a long FAQ answer is cut with a pointer to the private channel.
import { maskPersonalData } from '../../src/core/mask.js';
import type { Reply } from '../../src/core/envelope.js';
import { createHash } from 'node:crypto';

export const COMMENT_MAX = 140;
/** A private message must stay under 300 Chinese characters. */
export const MESSAGE_MAX = 299;

const TICKET_NUMBER_ANYWHERE = /\d{8}-\d{6,}/g;

/** Weibo's own count: full-width characters count 1, half-width ones ½, rounded up. */
export function weiboLength(s: string): number {
  let half = 0;
  for (const ch of s) half += ch.codePointAt(0)! <= 0xff ? 1 : 2;
  return Math.ceil(half / 2);
}

/** Cuts `s` so that it and `tail` fit in `max`; `tail` is appended only when something was cut. */
export function fitWeibo(s: string, max: number, tail = ''): string {
  if (weiboLength(s) <= max) return s;
  const room = max - weiboLength(tail);
  let out = '';
  for (const ch of s) {
    if (weiboLength(out + ch) > room) break;
    out += ch;
  }
  return out.replace(/[\s,，、;；:：]+$/, '') + tail;
}

function isEnglish(s: string): boolean {
  return !/[\u4e00-\u9fff]/.test(s) && /[a-z]{2,}/i.test(s);
}

/** The text of a reply as it may appear under a public post. */
export function publicCommentText(reply: Reply): string {
  const text = maskPersonalData(reply.text)
    .replace(TICKET_NUMBER_ANYWHERE, '')
    .replace(/\s+/g, ' ')
    .trim();
  const pointer = isEnglish(text) ? '… (details: send us a private message)' : '…（详情请私信我们）';
  return fitWeibo(text, COMMENT_MAX, pointer);
}

/**
 * Variant `n` of a comment. Weibo refuses a comment identical to one the account posted shortly before
 * (20019 "repeat content!"), and a burst of complaints all get the same acknowledgement. Variant 0 is the
 * text itself; later ones end in a short reference derived from the mention, which also lets staff find it.
 */
export function commentVariant(text: string, seed: string, n: number): string {
  if (n === 0) return text;
  const code = createHash('sha1').update(`${seed}:${n}`).digest('hex').slice(0, 4 + Math.min(n, 4)).toUpperCase();
  const suffix = `〔${code}〕`;
  return fitWeibo(text, COMMENT_MAX - weiboLength(suffix), '…') + suffix;
}

/** A private message's text: quick replies become numbered lines (typing the number picks one). */
export function privateMessageText(reply: Reply): string {
  const choices = reply.quickReplies?.length ? '\n' + reply.quickReplies.map((q, i) => `${i + 1}. ${q.label}`).join('\n') : '';
  return reply.text + choices;
}

/** Splits a private message into parts Weibo accepts, at line ends where possible. */
export function splitMessage(text: string, max = MESSAGE_MAX): string[] {
  const parts: string[] = [];
  let rest = text;
  while (weiboLength(rest) > max) {
    const head = fitWeibo(rest, max);
    const nl = head.lastIndexOf('\n');
    const cut = nl > head.length / 2 ? nl + 1 : head.length;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}
