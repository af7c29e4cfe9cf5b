// One mention, from the poller to the intake: recorded in the mentions log, skipped when an earlier poll
// already handed it over, ignored (with the reason) when it is noise, otherwise handed to the intake and its
// replies queued. Throws only what means "not taken, poll it again": IntakeUnavailableError, or replies that
// could be neither queued nor sent. The mentions log is bookkeeping for the console: its failures are logged,
// never allowed to stop a mention.
import type { Intake } from '../../src/core/channel-adapter.js';
import type { InboundMessage, Reply } from '../../src/core/envelope.js';
import type { Logger } from '../../src/log.js';
import type { MentionsLog } from './mentions-log.js';
import type { Mention } from './normalize.js';
import { noiseReason } from './noise-filter.js';

export interface MentionHandlerDeps {
  intake: Intake;
  /** Queues the intake's replies (ReplyDispatch): idempotent per message id. */
  dispatch(message: InboundMessage, replies: Reply[]): Promise<void>;
  mentions: MentionsLog;
  accountUid?: string;
  log: Logger;
  now?: () => Date;
}

export type MentionOutcome = 'taken' | 'duplicate' | 'ignored';

export async function takeMention(m: Mention, deps: MentionHandlerDeps): Promise<MentionOutcome> {
  const now = deps.now?.() ?? new Date();
  const id = m.message.id;
  const soft = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (err) {
      deps.log.warn({ err: (err as Error).message, id }, `weibo mentions log: ${what} failed`);
    }
  };

  let handled = false;
  await soft('record', async () => ({ handled } = await deps.mentions.record(m, now)));
  if (handled) return 'duplicate';

  const reason = noiseReason(m, deps.accountUid);
  if (reason) {
    await soft('ignore', () => deps.mentions.markIgnored(id, reason, now));
    return 'ignored';
  }

  let result;
  try {
    result = await deps.intake.handle(m.message);
    // A flooding sender: not taken, and not worth polling again either (it would only flood again).
    if (result.status === 'throttled') {
      await soft('ignore', () => deps.mentions.markIgnored(id, 'throttled', now));
      return 'ignored';
    }
    await deps.dispatch(m.message, result.replies);
  } catch (err) {
    await soft('failure', () => deps.mentions.markFailed(id, (err as Error).message));
    throw err;
  }
  const faqId = result.replies.find((r) => r.faqId)?.faqId;
  await soft('outcome', () =>
    deps.mentions.markHandled(
      id,
      { action: result.status === 'queued' ? 'asked' : 'answered', replyKind: result.replies[0]?.kind, ...(faqId ? { faqId } : {}) },
      now,
    ),
  );
  return result.duplicate ? 'duplicate' : 'taken';
}
