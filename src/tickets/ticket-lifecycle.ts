// The lifecycle as the API and the hotline callback use it: apply a change (one transaction), then hand the
// events to the notifier (and, with HOTLINE_URL, to the hotline outbox). The change is committed whatever
// happens to the notification: if Redis cannot take the feedback now, the outbox sweeps send it later.
import type { Logger } from '../log.js';
import type { TicketNotifier } from './notifier.js';
import type { HotlineOutbox } from './hotline-outbox.js';
import type { ChangeResult, StatusChange, TicketTransitions } from './transitions.js';
import type { Rating } from '../core/citizen-command.js';
import type { TicketEventRow } from './schema.js';

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
    await this.deliver(result.events);
  }

  /** Queues what committed events owe (feedback, staff alerts, the hotline); what fails now the sweeps send later. */
  async deliver(events: TicketEventRow[]): Promise<void> {
    if (!events.length) return;
    try {
      await this.notifier.flush(events);
    } catch (err) {
      this.log.warn({ err: (err as Error).message, ticketId: events[0].ticketId }, 'feedback not queued now; the outbox sweep will send it');
    }
    try {
      await this.hotline?.flush(events);
    } catch (err) {
      this.log.warn({ err: (err as Error).message, ticketId: events[0].ticketId }, 'hotline update not queued now; the outbox sweep will send it');
    }
  }
}
