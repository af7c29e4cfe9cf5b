// WeChat text messages have no buttons: quick replies become numbered lines, and the citizen answers with
// the number, which the core maps back to the button it offered (the last reply's buttons, numbered from 1).
// Long texts are split on line breaks into parts WeChat accepts.
import type { QuickReply, Reply } from '../../src/core/envelope.js';

/** WeChat's limit for one text message is 2048 bytes of UTF-8; we stay under it. */
export const MAX_TEXT_BYTES = 2000;

export function replyText(reply: Reply): string {
  return reply.quickReplies?.length ? `${reply.text}\n${numberedOptions(reply.quickReplies)}` : reply.text;
}

export function numberedOptions(options: QuickReply[]): string {
  return options.map((o, i) => `${i + 1}. ${o.label}`).join('\n') + '\n（请回复数字）';
}

/**
 * Several replies in one passive answer, separated by a blank line. Only the last reply's buttons are
 * numbered: a typed digit picks from those, so numbering earlier ones too would be ambiguous.
 */
export function joinReplies(replies: Reply[]): string {
  return replies.map((r, i) => (i === replies.length - 1 ? replyText(r) : r.text)).join('\n\n');
}

/** Splits on line breaks (or, for one huge line, on characters) so no part exceeds maxBytes. */
export function splitForWechat(text: string, maxBytes = MAX_TEXT_BYTES): string[] {
  const parts: string[] = [];
  let current = '';
  const flush = () => {
    if (current) parts.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    const candidate = current ? `${current}\n${line}` : line;
    if (Buffer.byteLength(candidate) <= maxBytes) {
      current = candidate;
      continue;
    }
    flush();
    if (Buffer.byteLength(line) <= maxBytes) {
      current = line;
      continue;
    }
    for (const ch of line) {
      if (Buffer.byteLength(current + ch) > maxBytes) flush();
      current += ch;
    }
  }
  flush();
  return parts.length ? parts : [''];
}

/** One passive reply can carry one message only: clip at the limit rather than fail the whole answer. */
export function clipForWechat(text: string, maxBytes = MAX_TEXT_BYTES): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(out + ch + '…') > maxBytes) break;
    out += ch;
  }
  return out + '…';
}
