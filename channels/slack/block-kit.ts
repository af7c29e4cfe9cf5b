// A reply with quick replies as a Block Kit message: the text in plain_text sections (no mrkdwn, so the
// citizen's words are never read as markup) and one actions block of buttons whose value is the payload,
// which comes back in block_actions. Slack caps section text at 3,000 characters, button labels at 75 and
// an actions block at 25 elements.
import type { QuickReply } from '../../src/core/envelope.js';
import type { Blocks } from './slack-api.js';

const SECTION_MAX = 3000;
const LABEL_MAX = 75;
const BUTTONS_MAX = 25;

export function replyBlocks(text: string, quickReplies: QuickReply[]): Blocks {
  const blocks: Blocks = [];
  for (let i = 0; i < text.length; i += SECTION_MAX) {
    blocks.push({ type: 'section', text: { type: 'plain_text', text: text.slice(i, i + SECTION_MAX), emoji: true } });
  }
  blocks.push({
    type: 'actions',
    block_id: 'quick_replies',
    elements: quickReplies.slice(0, BUTTONS_MAX).map((q, i) => ({
      type: 'button' as const,
      action_id: `quick_reply_${i}`,
      text: { type: 'plain_text' as const, text: q.label.length <= LABEL_MAX ? q.label : `${q.label.slice(0, LABEL_MAX - 1)}…`, emoji: true },
      value: q.payload,
    })),
  });
  return blocks;
}
