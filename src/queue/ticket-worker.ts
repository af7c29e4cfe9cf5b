// The `tickets` worker: classify ▸ dispatch ▸ INSERT (idempotent on the message id) ▸ enqueue the
// confirmation. Every step is safe to repeat, so a worker SIGKILLed anywhere in here loses nothing and doubles
// nothing when BullMQ hands the job to the next worker.
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { QUEUE_NAMES, workerOptions, type CommandJob, type OutboundJob, type TicketJob } from './queues.js';
import { jobIdFor } from './job-id.js';
import type { Queue } from 'bullmq';
import type { TicketStore } from '../tickets/ticket-store.js';
import type { TicketRow } from '../tickets/schema.js';
import type { Address } from '../core/envelope.js';
import { deserializeMessage } from '../core/serialize.js';
import { PHRASES, TICKET_PHRASES, formatDue } from '../core/replies.js';
import { createTicket } from '../tickets/ticket-intake.js';
import type { DispatchTable } from '../tickets/dispatch-table.js';
import type { NewTicket } from '../tickets/ticket-store.js';
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
}

export interface TicketJobResult {
  number: string;
  created: boolean;
}

export async function processTicketJob(job: Job<TicketJob>, deps: TicketWorkerDeps): Promise<TicketJobResult> {
  const message = deserializeMessage(job.data.message);
  const d = job.data.decision;
  const input: NewTicket = {
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
  };
  const table = deps.dispatchTable;
  const { ticket, created } = table ? await createTicket({ store: deps.store, table }, input) : await deps.store.createFromMessage(input);
  const lang: Lang = ticket.lang === 'en' ? 'en' : 'zh';
  const tier = isTier(ticket.tier) ? ticket.tier : '7d';
  // The confirmation's job id is derived from the ticket: a retried job re-adds it and BullMQ keeps one.
  const confirmId = jobIdFor(`confirm:${ticket.number}`);
  await deps.outbound.add(
    'ticket-created',
    {
      address: {
        channel: message.channel,
        conversationId: message.conversationId,
        senderId: message.sender.id,
        isPublic: message.isPublic,
      },
      reply: {
        id: confirmId,
        kind: 'ticket',
        // A public reply (microblog) carries no number and no details.
        ...(message.isPublic ? {} : { ticketNumber: ticket.number }),
        text: message.isPublic
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
    { jobId: confirmId },
  );
  await deps.enqueueHotlineSync?.(ticket.number);
  if (deps.staffAddress && tier === '2h') {
    const alertId = jobIdFor(`urgent:${ticket.number}`);
    const text = TICKET_PHRASES.zh.urgentAlert({
      number: ticket.number,
      category: ticket.category ? (deps.categoryName?.(ticket.category) ?? ticket.category) : '未分类',
      unit: ticket.unit ?? '待分派',
      due: formatDue(ticket.dueAt, 'zh', deps.timeZone),
    });
    await deps.outbound.add('staff-alert', { address: deps.staffAddress, reply: { id: alertId, text, kind: 'feedback', ticketNumber: ticket.number } }, { jobId: alertId });
  }
  deps.onTicket?.(ticket, created, job);
  return { number: ticket.number, created };
}

export function createTicketWorker(connection: ConnectionOptions, prefix: string, concurrency: number, lockMs: number, deps: TicketWorkerDeps): Worker<TicketJob | CommandJob> {
  const processor = async (job: Job<TicketJob | CommandJob>): Promise<unknown> => {
    if (job.name === 'command') {
      if (!deps.handleCommand) throw new UnrecoverableError('no command handler configured');
      return deps.handleCommand(job as Job<CommandJob>);
    }
    return processTicketJob(job as Job<TicketJob>, deps);
  };
  const worker = new Worker<TicketJob | CommandJob>(QUEUE_NAMES.tickets, processor, {
    connection,
    prefix,
    concurrency,
    ...workerOptions(lockMs),
  });
  // A background loop reports and keeps going; it never crashes the process.
  worker.on('error', (err) => deps.log.warn({ err: err.message }, 'tickets worker error'));
  worker.on('failed', (job, err) =>
    deps.log.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'ticket job failed (will retry if attempts remain)'),
  );
  return worker;
}
