// A ticket job that still cannot be stored after all its attempts is never dropped: it becomes a dead letter
// in the database (src/tickets/dead-letter-store.ts), the staff channel is alerted (nothing personal in it),
// the citizen is told on their own channel that a person will follow up, and the console lists it with a
// retry button. The worker records a job the moment it fails for good; the supervision tick sweeps up any
// whose recording or announcement did not happen (database down, process killed). Every step is idempotent.
import type { Job, Queue } from 'bullmq';
import type { CommandJob, OutboundJob, TicketJob } from './queues.js';
import { jobIdFor } from '../core/job-id.js';
import type { DeadLetterStore } from '../tickets/dead-letter-store.js';
import type { TicketDeadLetterRow } from '../tickets/schema.js';
import type { Address } from '../core/envelope.js';
import { storableMessage } from '../core/envelope.js';
import { deserializeMessage, serializeMessage } from '../core/serialize.js';
import { TICKET_PHRASES } from '../core/replies.js';
import type { Logger } from '../log.js';

export interface TicketDeadLettersDeps {
  store: DeadLetterStore;
  tickets: Queue<TicketJob | CommandJob>;
  outbound: Queue<OutboundJob>;
  /** STAFF_ALERT_CHANNEL, when configured. */
  staffAddress?: Address;
  categoryName?(id: string): string;
  log: Logger;
  now?: () => Date;
}

/** Failed jobs one sweep looks at; the rest wait for the next tick. */
const SWEEP_LIMIT = 1000;

export class TicketDeadLetters {
  constructor(private readonly deps: TicketDeadLettersDeps) {}

  /** The tickets worker's 'failed' event: a ticket job that will not be tried again becomes a dead letter. */
  async onFailed(job: Job): Promise<void> {
    if (job.name !== 'ticket') return;
    if ((await job.getState()) !== 'failed') return;
    await this.capture(job as Job<TicketJob>);
  }

  /** Records a failed job, announces it if that is still owed, then lets the queue forget it. */
  async capture(job: Job<TicketJob>): Promise<TicketDeadLetterRow> {
    const data = storableJob(job.data);
    const row = await this.deps.store.record({
      sourceMessageId: data.message.id,
      channel: data.message.channel,
      job: data as unknown as Record<string, unknown>,
      error: job.failedReason || 'unknown error',
      attempts: job.attemptsMade,
      queuedAt: new Date(job.timestamp),
      failedAt: new Date(job.finishedOn ?? this.now().getTime()),
    });
    if (!row.notifiedAt) await this.announce(row);
    // The database holds it now; left in the queue, every sweep would find it again.
    await job.remove().catch((err: Error) => this.deps.log.debug({ err: err.message, jobId: job.id }, 'dead ticket job not removed from the queue'));
    return row;
  }

  /** The staff alert (once per failure) and the citizen's follow-up message (once per message). */
  private async announce(row: TicketDeadLetterRow): Promise<void> {
    const job = row.job as unknown as TicketJob;
    const m = job.message;
    const jobs: { name: string; data: OutboundJob; opts: { jobId: string } }[] = [];
    const staff = this.deps.staffAddress;
    if (staff) {
      const id = jobIdFor(`dead-letter:${row.sourceMessageId}:${row.failures}`);
      const category = job.decision.category ? (this.deps.categoryName?.(job.decision.category) ?? job.decision.category) : '未分类';
      const text = TICKET_PHRASES.zh.deadLetterAlert({ id: row.id, channel: row.channel, category, attempts: row.attempts });
      jobs.push({ name: 'staff-alert', data: { address: staff, reply: { id, text, kind: 'feedback' } }, opts: { jobId: id } });
    }
    if (row.failures === 1) {
      const id = jobIdFor(`follow-up:${row.sourceMessageId}`);
      const p = TICKET_PHRASES[job.decision.lang === 'en' ? 'en' : 'zh'];
      jobs.push({
        name: 'follow-up',
        data: {
          address: { channel: m.channel, conversationId: m.conversationId, senderId: m.sender.id, isPublic: m.isPublic },
          reply: { id, text: m.isPublic ? p.publicFollowUp : p.followUp, kind: 'feedback' },
        },
        opts: { jobId: id },
      });
    }
    if (jobs.length) await this.deps.outbound.addBulk(jobs);
    await this.deps.store.markNotified(row.id, this.now());
    this.deps.log.error({ deadLetter: row.id, channel: row.channel, attempts: row.attempts, failures: row.failures }, 'ticket job dead-lettered; staff alerted');
  }

  /** Supervision tick: failed ticket jobs not yet recorded, and dead letters whose announcements are owed. */
  async sweep(): Promise<number> {
    let n = 0;
    const failed = await this.deps.tickets.getJobs(['failed'], 0, SWEEP_LIMIT - 1);
    for (const job of failed) {
      if (job.name !== 'ticket') continue;
      await this.capture(job as Job<TicketJob>);
      n++;
    }
    for (const row of await this.deps.store.unnotified()) {
      await this.announce(row);
      n++;
    }
    return n;
  }

  /**
   * Queues a dead letter's job again under its message's job id, with fresh attempts and the ticket number it
   * reserved: it still makes exactly one ticket. Undefined when there is no such dead letter.
   */
  async retry(id: number): Promise<TicketDeadLetterRow | undefined> {
    const row = await this.deps.store.get(id);
    if (!row) return undefined;
    const data = row.job as unknown as TicketJob;
    const jobId = jobIdFor(row.sourceMessageId);
    const existing = await this.deps.tickets.getJob(jobId);
    if (!existing) await this.deps.tickets.add('ticket', data, { jobId });
    else if ((await existing.getState()) === 'failed') {
      await (existing as Job<TicketJob>).updateData(data);
      await existing.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    }
    // Otherwise it is queued or done already (the platform redelivered the message): nothing to add.
    await this.deps.store.markRetried(row.id, this.now());
    return row;
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}

/** The job with its message's text made storable (a job queued before the envelope did so has raw text). */
function storableJob(data: TicketJob): TicketJob {
  return { ...data, message: serializeMessage(storableMessage(deserializeMessage(data.message))) };
}
