// Quick replies as an inline keyboard. Short labels (满意 / 基本满意 / 不满意) share one row; longer ones
// (FAQ questions offered for clarification) get a row each so they are not cut off on a phone screen.
import type { QuickReply } from '../../src/core/envelope.js';
import type { KeyboardRow } from './telegram-api.js';

const SHORT_LABEL = 8;
const MAX_LABEL = 64;

export async function inlineKeyboard(quickReplies: QuickReply[], encode: (payload: string) => Promise<string>): Promise<KeyboardRow[]> {
  const buttons = [];
  for (const q of quickReplies) buttons.push({ text: label(q.label), callback_data: await encode(q.payload) });
  return buttons.every((b) => b.text.length <= SHORT_LABEL) ? [buttons] : buttons.map((b) => [b]);
}

function label(text: string): string {
  return text.length <= MAX_LABEL ? text : `${text.slice(0, MAX_LABEL - 1)}…`;
}
