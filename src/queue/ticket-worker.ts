// The `tickets` worker: dispatch ▸ duplicate check ▸ INSERT (idempotent on the message id) ▸ enqueue the
// confirmation, for batches of jobs at a time (src/queue/micro-batcher.ts). Every step is safe to repeat, so a
// worker SIGKILLed anywhere in here loses nothing and doubles nothing when BullMQ hands the jobs to the next
// worker.
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { DrizzleQueryError } from 'drizzle-orm';
import { QUEUE_NAMES, workerOptions, type CommandJob, type OutboundJob, type TicketJob } from './queues.js';
import { jobIdFor } from '../core/job-id.js';
import type { Queue } from 'bullmq';
import type { TicketStore } from '../tickets/ticket-store.js';
import type { TicketRow } from '../tickets/schema.js';
import type { Address, Reply } from '../core/envelope.js';
import { deserializeMessage } from '../core/serialize.js';
import { storableMessage } from '../core/envelope.js';
import { PHRASES, TICKET_PHRASES, formatDue } from '../core/replies.js';
import { createTickets, type TicketInput } from '../tickets/create-tickets.js';
import type { DispatchTable } from '../tickets/dispatch-table.js';
import { MicroBatcher, type Settled } from './micro-batcher.js';
import { isTier } from '../tickets/time-limits.js';
import type { Lang } from '../nlu/decision.js';
import type { Logger } from '../log.js';

export interface TicketWorkerDeps {
  store: TicketStore;
  outbound: Queue<OutboundJob>;
  timeZone: string;
  log: Logger;
  onTicket?(ticket: TicketRow, created: boolean, job: Job<TicketJob>): void;
  /** Handles 'command' jobs (ticket status queries, return-visit answers). */
  handleCommand?(job: Job<CommandJob>): Promise<unknown>;
  /** Dispatch and duplicate linking at creation (intents/dispatch.yaml); without it tickets stay unassigned. */
  dispatchTable?: DispatchTable;
  /** Queues the ticket for the external hotline (HOTLINE_URL); idempotent per ticket number. */
  enqueueHotlineSync?(number: string): Promise<void>;
  /** Staff channel for new 2-hour tickets (STAFF_ALERT_CHANNEL); staff see no personal data. */
  staffAddress?: Address;
  categoryName?(id: string): string;
  /**
   * Delivers a batch's confirmations at once where the channel's send() is only a write to our own Redis (the
   * web chat): an outbound job would add a queue round trip and nothing else. Resolves, per confirmation,
   * whether it was delivered; the rest (or all, when it rejects) go through the outbound queue.
   */
  deliverNow?(deliveries: { address: Address; reply: Reply }[]): Promise<boolean[]>;
  /** Turns a ticket job that failed for good into a dead letter (src/queue/ticket-dead-letters.ts). */
  deadLetters?: { onFailed(job: Job): Promise<void> };
}

export interface TicketJobResult {
  number: string;
  created: boolean;
}

function toTicketInput(job: Job<TicketJob>): TicketInput {
  // The intake made the envelope storable; a job queued before it did is made so here.
  const message = storableMessage(deserializeMessage(job.data.message));
  const d = job.data.decision;
  return {
    sourceMessageId: message.id,
    channel: message.channel,
    conversationId: message.conversationId,
    senderId: message.sender.id,
    senderName: message.sender.name,
    isPublic: message.isPublic,
    lang: d.lang,
    text: message.text,
    category: d.category,
    tier: isTier(d.tier) ? d.tier : '7d',
    district: d.district,
    street: d.street,
    phone: d.phone,
    details: {
      ...job.data.details,
      score: d.score,
      ...(d.time ? { time: d.time } : {}),
      ...(message.location ? { location: message.location } : {}),
      ...(message.attachments?.length ? { attachments: message.attachments } : {}),
    },
    receivedAt: message.receivedAt,
    ...(job.data.number ? { number: job.data.number } : {}),
  };
}

/**
 * A job whose attempt failed keeps the ticket number that attempt reserved, so its retry files the ticket
 * under it. Written only on failure: the common path costs nothing. Best effort (Redis may be what failed).
 */
async function keepNumbers(jobs: Job<TicketJob>[], inputs: TicketInput[], failed: (k: number) => boolean): Promise<void> {
  await Promise.all(
    jobs.map((job, k) => {
      const number = inputs[k].number;
      if (!failed(k) || !number || job.data.number === number) return undefined;
      return job.updateData({ ...job.data, number }).catch(() => {});
    }),
  );
}

/** The citizen's confirmation, under a job id derived from the ticket: a retried job re-adds it and BullMQ keeps one. */
function confirmation(ticket: TicketRow, job: Job<TicketJob>, deps: TicketWorkerDeps): { name: string; data: OutboundJob; opts: { jobId: string } } {
  const m = job.data.message;
  const lang: Lang = ticket.lang === 'en' ? 'en' : 'zh';
  const tier = isTier(ticket.tier) ? ticket.tier : '7d';
  const confirmId = jobIdFor(`confirm:${ticket.number}`);
  return {
    name: 'ticket-created',
    data: {
      address: { channel: m.channel, conversationId: m.conversationId, senderId: m.sender.id, isPublic: m.isPublic },
      reply: {
        id: confirmId,
        kind: 'ticket',
        // A public reply (microblog) carries no number and no details.
        ...(m.isPublic ? {} : { ticketNumber: ticket.number }),
        text: m.isPublic
          ? TICKET_PHRASES[lang].publicCreated
          : PHRASES[lang].ticketCreated({
              number: ticket.number,
              due: formatDue(ticket.dueAt, lang, deps.timeZone),
              tier,
              // Only an office that has it: a centre still routing it is not "派至".
              unit: ticket.status === 'received' ? null : ticket.unit,
            }) + (ticket.duplicateOf ? (lang === 'en' ? ' ' : '') + TICKET_PHRASES[lang].linked : ''),
      },
    },
    opts: { jobId: confirmId },
  };
}

/** After the ticket is stored: the external hotline and, for a 2-hour ticket, the staff channel. */
async function announce(ticket: TicketRow, deps: TicketWorkerDeps): Promise<void> {
  await deps.enqueueHotlineSync?.(ticket.number);
  if (deps.staffAddress && ticket.tier === '2h') {
    const alertId = jobIdFor(`urgent:${ticket.number}`);
    const text = TICKET_PHRASES.zh.urgentAlert({
      number: ticket.number,
      category: ticket.category ? (deps.categoryName?.(ticket.category) ?? ticket.category) : '未分类',
      unit: ticket.unit ?? '待分派',
      due: formatDue(ticket.dueAt, 'zh', deps.timeZone),
    });
    await deps.outbound.add('staff-alert', { address: deps.staffAddress, reply: { id: alertId, text, kind: 'feedback', ticketNumber: ticket.number } }, { jobId: alertId });
  }
}

/**
 * A batch of ticket jobs: one transaction stores them all; confirmations go out directly where the channel
 * allows it (web chat) and the rest are queued in one round trip. When the batch's transaction fails, each job
 * is tried on its own, so one bad message cannot hold back the others (and a database outage fails them all,
 * to be retried with backoff).
 */
export async function processTicketBatch(jobs: Job<TicketJob>[], deps: TicketWorkerDeps): Promise<Settled<TicketJobResult>[]> {
  // Numbers first, so a job that fails below can keep its own for the next attempt.
  const inputs = await deps.store.numbered(jobs.map(toTicketInput));
  const intake = { store: deps.store, ...(deps.dispatchTable ? { table: deps.dispatchTable } : {}) };
  let stored: Settled<{ ticket: TicketRow; created: boolean }>[];
  try {
    stored = (await createTickets(intake, inputs)).map((value) => ({ ok: true, value }));
  } catch (err) {
    if (jobs.length === 1) {
      await keepNumbers(jobs, inputs, () => true);
      throw withoutQuery(err as Error);
    }
    deps.log.warn({ err: withoutQuery(err as Error).message, jobs: jobs.length }, 'ticket batch failed; storing its jobs one by one');
    stored = await Promise.all(
      inputs.map((input) =>
        createTickets(intake, [input]).then(
          ([value]) => ({ ok: true as const, value }),
          (error: Error) => ({ ok: false as const, error: withoutQuery(error) }),
        ),
      ),
    );
    await keepNumbers(jobs, inputs, (k) => !stored[k].ok);
  }
  const done = stored.flatMap((s, k) => (s.ok ? [{ k, ...s.value }] : []));
  // Also when the ticket existed (a retried job): the first attempt may have died before sending these. Both
  // ways are idempotent on the reply id, so the citizen sees the confirmation once.
  const confirmations = done.map(({ ticket, k }) => confirmation(ticket, jobs[k], deps));
  const delivered = deps.deliverNow ? await deps.deliverNow(confirmations.map((c) => c.data)).catch(() => []) : [];
  const queued = confirmations.filter((_, i) => delivered[i] !== true);
  if (queued.length) await deps.outbound.addBulk(queued);
  await Promise.all(done.map(({ ticket }) => announce(ticket, deps)));
  for (const { ticket, created, k } of done) deps.onTicket?.(ticket, created, jobs[k]);
  return stored.map((s) => (s.ok ? { ok: true, value: { number: s.value.ticket.number, created: s.value.created } } : s));
}

/**
 * The database's own reason for a failed statement. Drizzle's message repeats the query and its parameters —
 * the complaint's text and the citizen's ids — which would end up in the job's failedReason, the logs and the
 * dead letter.
 */
function withoutQuery(err: Error): Error {
  return err instanceof DrizzleQueryError && err.cause instanceof Error ? err.cause : err;
}

/** Jobs one batch takes at most; the worker's concurrency bounds it too (a batch holds its jobs' slots). */
const MAX_BATCH = 100;

export function createTicketWorker(connection: ConnectionOptions, prefix: string, concurrency: number, lockMs: number, deps: TicketWorkerDeps): Worker<TicketJob | CommandJob> {
  const batcher = new MicroBatcher<Job<TicketJob>, TicketJobResult>((jobs) => processTicketBatch(jobs, deps), { maxBatch: MAX_BATCH, maxInFlight: 2 });
  const processor = async (job: Job<TicketJob | CommandJob>): Promise<unknown> => {
    if (job.name === 'command') {
      if (!deps.handleCommand) throw new UnrecoverableError('no command handler configured');
      return deps.handleCommand(job as Job<CommandJob>);
    }
    return batcher.add(job as Job<TicketJob>);
  };
  const worker = new Worker<TicketJob | CommandJob>(QUEUE_NAMES.tickets, processor, {
    connection,
    prefix,
    concurrency,
    ...workerOptions(lockMs),
  });
  // A background loop reports and keeps going; it never crashes the process.
  worker.on('error', (err) => deps.log.warn({ err: err.message }, 'tickets worker error'));
  worker.on('failed', (job, err) => {
    deps.log.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'ticket job failed (will retry if attempts remain)');
    // If the recording fails too (database down), the supervision tick's sweep records it later.
    if (job && deps.deadLetters) deps.deadLetters.onFailed(job).catch((e: Error) => deps.log.warn({ jobId: job.id, err: e.message }, 'dead letter not recorded yet; the sweep retries'));
  });
  return worker;
}
