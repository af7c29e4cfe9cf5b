// The outbox between ticket events and the `outbound` queue. An event that someone must hear about is written
// with `notify` set in the same transaction as the status change; after the commit it is queued here with a
// job id derived from the event id and marked `notified_at`. A process killed between the commit and the
// queueing leaves the event unmarked, and the periodic sweep queues it later — the deterministic job id makes
// a second queueing of the same event a no-op, so the citizen hears once.
import { and, asc, eq, inArray, isNotNull, isNull, lt } from 'drizzle-orm';
import type { Queue } from 'bullmq';
import type { Db } from './db.js';
import { ticketEvents, tickets, type TicketEventRow, type TicketRow } from './schema.js';
import { addressOfTicket, feedbackFor, formatDueFor } from './feedback.js';
import { TICKET_PHRASES } from '../core/replies.js';
import type { Address } from '../core/envelope.js';
import type { OutboundJob } from '../queue/queues.js';
import { jobIdFor } from '../queue/job-id.js';
import type { Logger } from '../log.js';
import { CALLIN_ALERT_KINDS, callinAlertText } from './callin-alerts.js';
import { reportDueAt } from './joint-handling.js';

export interface NotifierDeps {
  db: Db;
  outbound: Queue<OutboundJob>;
  timeZone: string;
  /** Where overdue alerts go (STAFF_ALERT_CHANNEL); without it they are only events. */
  staffAddress?: Address;
  /** A category id as staff read it (市政设施 for municipal). */
  categoryName?: (id: string) => string;
  log: Logger;
  now?: () => Date;
}

export class TicketNotifier {
  private readonly now: () => Date;

  constructor(private readonly deps: NotifierDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Queues what the events owe (citizen feedback, staff alerts) and marks them; returns jobs queued. */
  async flush(events: TicketEventRow[]): Promise<number> {
    const owed = events.filter((e) => e.notify && !e.notifiedAt);
    if (!owed.length) return 0;
    const ids = [...new Set(owed.map((e) => e.ticketId))];
    const rows = await this.deps.db.select().from(tickets).where(inArray(tickets.id, ids));
    const byId = new Map(rows.map((t) => [t.id, t]));
    let queued = 0;
    for (const e of owed) {
      const ticket = byId.get(e.ticketId);
      const job = ticket ? this.jobFor(e, ticket) : undefined;
      if (job) {
        const jobId = jobIdFor(`event:${e.id}`);
        await this.deps.outbound.add(e.notify === 'staff' ? 'staff-alert' : 'ticket-feedback', { ...job, reply: { ...job.reply, id: jobId } }, { jobId });
        queued++;
      }
      // Marked even when nothing was owed after all (no staff channel configured), so the sweep moves on.
      await this.deps.db.update(ticketEvents).set({ notifiedAt: this.now() }).where(eq(ticketEvents.id, e.id));
    }
    return queued;
  }

  /** Queues events still owed after `graceMs` (their writer died before flushing). */
  async sweep(graceMs = 30_000, limit = 500): Promise<number> {
    const before = new Date(this.now().getTime() - graceMs);
    const owed = await this.deps.db
      .select()
      .from(ticketEvents)
      .where(and(isNotNull(ticketEvents.notify), isNull(ticketEvents.notifiedAt), lt(ticketEvents.createdAt, before)))
      .orderBy(asc(ticketEvents.id))
      .limit(limit);
    if (owed.length) this.deps.log.info({ events: owed.length }, 'outbox sweep: queueing feedback a writer did not');
    return this.flush(owed);
  }

  private jobFor(e: TicketEventRow, ticket: TicketRow): OutboundJob | undefined {
    if (e.notify === 'staff') {
      if (!this.deps.staffAddress) return undefined;
      return { address: this.deps.staffAddress, reply: { kind: 'feedback', text: this.alertText(ticket, e), ticketNumber: ticket.number } };
    }
    const reply = feedbackFor(e, ticket, this.deps.timeZone);
    return reply ? { address: addressOfTicket(ticket), reply } : undefined;
  }

  /** Staff see the number, category and offices; never the citizen's name, phone or words. */
  private alertText(ticket: TicketRow, e: TicketEventRow): string {
    const category = ticket.category ? (this.deps.categoryName?.(ticket.category) ?? ticket.category) : '未分类';
    if (CALLIN_ALERT_KINDS.has(e.kind)) return callinAlertText(ticket, e, category, formatDueFor(reportDueAt(ticket.tier, e.createdAt), '2h', 'zh', this.deps.timeZone));
    const hours = Math.max(0, Math.floor((e.createdAt.getTime() - ticket.dueAt.getTime()) / 3600_000));
    return TICKET_PHRASES.zh.overdueAlert({
      number: ticket.number,
      category: ticket.category ? (this.deps.categoryName?.(ticket.category) ?? ticket.category) : '未分类',
      unit: ticket.unit ?? '未派单',
      due: formatDueFor(ticket.dueAt, '2h', 'zh', this.deps.timeZone),
      hours,
    });
  }
}
