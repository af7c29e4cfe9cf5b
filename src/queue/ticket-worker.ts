// The `tickets` worker: classify ▸ dispatch ▸ INSERT (idempotent on the message id) ▸ enqueue the
// confirmation. Every step is safe to repeat, so a worker SIGKILLed anywhere in here loses nothing and doubles
// nothing when BullMQ hands the job to the next worker.
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import { QUEUE_NAMES, type OutboundJob, type TicketJob } from './queues.js';
import { jobIdFor } from './job-id.js';
import type { Queue } from 'bullmq';
import type { TicketStore } from '../tickets/ticket-store.js';
import type { TicketRow } from '../tickets/schema.js';
import { deserializeMessage } from '../core/serialize.js';
import { PHRASES, formatDue } from '../core/replies.js';
import { isTier } from '../tickets/time-limits.js';
import type { Lang } from '../nlu/decision.js';
import type { Logger } from '../log.js';

export interface TicketWorkerDeps {
  store: TicketStore;
  outbound: Queue<OutboundJob>;
  timeZone: string;
  log: Logger;
  onTicket?(ticket: TicketRow, created: boolean, job: Job<TicketJob>): void;
}

export interface TicketJobResult {
  number: string;
  created: boolean;
}

export async function processTicketJob(job: Job<TicketJob>, deps: TicketWorkerDeps): Promise<TicketJobResult> {
  const message = deserializeMessage(job.data.message);
  const d = job.data.decision;
  const { ticket, created } = await deps.store.createFromMessage({
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
      score: d.score,
      ...(d.time ? { time: d.time } : {}),
      ...(message.location ? { location: message.location } : {}),
      ...(message.attachments?.length ? { attachments: message.attachments } : {}),
    },
    receivedAt: message.receivedAt,
  });
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
        ticketNumber: ticket.number,
        text: PHRASES[lang].ticketCreated({
          number: ticket.number,
          due: formatDue(ticket.dueAt, lang, deps.timeZone),
          tier,
          unit: ticket.unit,
        }),
      },
    },
    { jobId: confirmId },
  );
  deps.onTicket?.(ticket, created, job);
  return { number: ticket.number, created };
}

export function createTicketWorker(connection: ConnectionOptions, prefix: string, concurrency: number, deps: TicketWorkerDeps): Worker<TicketJob, TicketJobResult> {
  const worker = new Worker<TicketJob, TicketJobResult>(QUEUE_NAMES.tickets, (job) => processTicketJob(job, deps), {
    connection,
    prefix,
    concurrency,
  });
  // A background loop reports and keeps going; it never crashes the process.
  worker.on('error', (err) => deps.log.warn({ err: err.message }, 'tickets worker error'));
  worker.on('failed', (job, err) =>
    deps.log.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'ticket job failed (will retry if attempts remain)'),
  );
  return worker;
}
