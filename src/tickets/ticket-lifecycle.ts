// The lifecycle as the API and the hotline callback use it: apply a change (one transaction), then hand the
// events to the notifier (and, with HOTLINE_URL, to the hotline outbox). The change is committed whatever
// happens to the notification: if Redis cannot take the feedback now, the outbox sweeps send it later.
import type { Logger } from '../log.js';
import type { TicketNotifier } from './notifier.js';
import type { HotlineOutbox } from './hotline-outbox.js';
import type { ChangeResult, StatusChange, TicketTransitions } from './ticket-transitions.js';
import type { Rating } from '../core/citizen-command.js';

export class TicketLifecycle {
  constructor(
    readonly transitions: TicketTransitions,
    readonly notifier: TicketNotifier,
    private readonly log: Logger,
    private readonly hotline?: HotlineOutbox,
  ) {}

  async change(c: StatusChange): Promise<ChangeResult> {
    const result = await this.transitions.change(c);
    await this.notify(result);
    return result;
  }

  async rate(ticketId: number, rating: Rating, actor: string, dedupeKey?: string): Promise<ChangeResult> {
    const result = await this.transitions.rate(ticketId, rating, actor, dedupeKey);
    await this.notify(result);
    return result;
  }

  private async notify(result: ChangeResult): Promise<void> {
    if (!result.events.length) return;
    try {
      await this.notifier.flush(result.events);
    } catch (err) {
      this.log.warn({ err: (err as Error).message, number: result.ticket.number }, 'feedback not queued now; the outbox sweep will send it');
    }
    try {
      await this.hotline?.flush(result.events);
    } catch (err) {
      this.log.warn({ err: (err as Error).message, number: result.ticket.number }, 'hotline update not queued now; the outbox sweep will send it');
    }
  }
}
