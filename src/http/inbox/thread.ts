// The transcript an operator reads: the conversation log's turns (everything since the citizen started, with the
// bot's answers and ticket numbers), plus any of the handoff desk's messages the log lacks. The desk's copy is
// written before a message to a person is acknowledged; the log's append is best effort, so this keeps an
// acknowledged message from going missing in front of the operator.
import type { ConversationTurn } from '../../core/conversation-log.js';
import type { HandoffEntry } from '../../core/handoff-desk.js';

export function handoffThread(log: ConversationTurn[], desk: HandoffEntry['messages']): ConversationTurn[] {
  const seen = new Set(log.map((t) => `${t.from}\u0000${t.at}\u0000${t.text}`));
  const missing = desk
    .filter((m) => !seen.has(`${m.from}\u0000${m.at}\u0000${m.text}`))
    .map((m, i): ConversationTurn => ({ id: `desk-${m.at}-${i}`, from: m.from, text: m.text, at: m.at }));
  if (!missing.length) return log;
  // Stable: turns at the same instant keep their order (a citizen's message before the bot's reply to it).
  return [...log, ...missing].map((t, i) => ({ t, i })).sort((a, b) => a.t.at.localeCompare(b.t.at) || a.i - b.i).map((x) => x.t);
}
