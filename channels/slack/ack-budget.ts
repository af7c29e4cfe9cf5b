// Slack gives up on a request after 3 seconds and retries it. A message is acknowledged only once the intake
// has made it durable and its replies are queued — fast, since nothing waits on Slack's API in the request
// path — and a take() that cannot finish within the budget is answered "unavailable" (Slack retries, and the
// retry is recognized by its message id). The late take() keeps running; it is not abandoned half-way.
import { IntakeUnavailableError } from '../../src/core/errors.js';
import type { InboundMessage } from '../../src/core/envelope.js';
import type { Logger } from '../../src/log.js';
import { ReplyDispatchError } from '../reply-dispatch.js';

/** Slack's 3 seconds, less room for the network. */
export const ACK_BUDGET_MS = 2500;

export type TakeOutcome = 'taken' | 'unavailable';

export async function takeWithin(take: (m: InboundMessage) => Promise<void>, message: InboundMessage, log: Logger, budgetMs = ACK_BUDGET_MS): Promise<TakeOutcome> {
  const work = take(message).then(
    (): TakeOutcome => 'taken',
    (err: Error): TakeOutcome => {
      if (err instanceof IntakeUnavailableError || err instanceof ReplyDispatchError) {
        log.warn({ err: err.message, messageId: message.id }, 'slack message not taken; Slack will retry');
        return 'unavailable';
      }
      throw err;
    },
  );
  let timer: NodeJS.Timeout | undefined;
  let answered = false;
  const late = new Promise<TakeOutcome>((resolve) => {
    timer = setTimeout(() => {
      answered = true;
      resolve('unavailable');
    }, budgetMs);
  });
  // Once Slack has had its answer, a late failure has no request left to fail: it is logged here.
  work.catch((err: Error) => answered && log.error({ err: err.message, messageId: message.id }, 'slack message failed after the ack budget'));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
