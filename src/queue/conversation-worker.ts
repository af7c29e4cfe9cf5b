// The `conversations` worker: when a conversation with a half-collected complaint has gone quiet, the
// complaint becomes a ticket with what it has (flagged incomplete) and the citizen is told so. Nothing a
// citizen reported is dropped because they stopped answering.
import { Worker, type ConnectionOptions, type Job, type Queue } from 'bullmq';
import { QUEUE_NAMES, workerOptions, type CommandJob, type ExpiryJob, type OutboundJob, type TicketJob } from './queues.js';
import { jobIdFor } from '../core/job-id.js';
import type { ConversationStore } from '../core/conversation-state.js';
import type { DialoguePrompts } from '../core/dialogue/prompts.js';
import type { Lang } from '../nlu/decision.js';
import type { Logger } from '../log.js';

export interface ConversationWorkerDeps {
  conversations: ConversationStore;
  tickets: Queue<TicketJob | CommandJob>;
  outbound: Queue<OutboundJob>;
  prompts: Record<Lang, DialoguePrompts>;
  log: Logger;
}

export async function processExpiryJob(job: Job<ExpiryJob>, deps: ConversationWorkerDeps): Promise<'filed' | 'stale'> {
  const { channel, conversationId, version } = job.data;
  const state = await deps.conversations.get(channel, conversationId);
  const pending = state.pending;
  if (!pending || pending.version !== version) return 'stale';
  const lang: Lang = state.lang ?? 'zh';
  const origin = pending.message;
  // The ticket job id is the complaint's first message id: if the citizen confirmed at the same moment,
  // BullMQ and the tickets table still keep one ticket.
  await deps.tickets.add(
    'ticket',
    {
      message: { ...origin, text: pending.text },
      decision: { ...pending.decision, lang },
      details: { flags: ['incomplete', 'expired'], ...(pending.placeText ? { placeText: pending.placeText } : {}) },
    },
    { jobId: jobIdFor(origin.id) },
  );
  const noteId = jobIdFor(`expired:${origin.id}`);
  await deps.outbound.add(
    'conversation-expired',
    {
      address: { channel: origin.channel, conversationId: origin.conversationId, senderId: origin.sender.id, isPublic: origin.isPublic },
      reply: { id: noteId, text: deps.prompts[lang].expired, kind: 'chitchat' },
    },
    { jobId: noteId },
  );
  await deps.conversations.set(channel, conversationId, { ...state, pending: undefined, lastQuickReplies: undefined });
  return 'filed';
}

export function createConversationWorker(connection: ConnectionOptions, prefix: string, lockMs: number, deps: ConversationWorkerDeps): Worker<ExpiryJob> {
  const worker = new Worker<ExpiryJob>(QUEUE_NAMES.conversations, (job) => processExpiryJob(job, deps), {
    connection,
    prefix,
    concurrency: 4,
    ...workerOptions(lockMs),
  });
  worker.on('error', (err) => deps.log.warn({ err: err.message }, 'conversations worker error'));
  return worker;
}
