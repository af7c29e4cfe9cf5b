// What the core hands to the queues: the jobs it asks for (a ticket, a citizen's command, the expiry of a
// half-collected complaint) and the replies it sends later. The core defines their shape; src/queue carries
// them (BullMQ) and the workers there and in src/tickets read them.
import type { Address, Reply } from './envelope.js';
import type { Decision } from '../nlu/decision.js';
import type { SerializedMessage } from './serialize.js';
import type { CitizenCommand } from './citizen-command.js';

export interface TicketJob {
  message: SerializedMessage;
  decision: Decision;
  /** Kept on the ticket for operators (flags such as 'incomplete', a free-text place). */
  details?: Record<string, unknown>;
  /** The ticket number an earlier attempt reserved: a retry files the ticket under it (no gaps from retries). */
  number?: string;
}

/** Fires when a conversation with a half-collected complaint has been silent for the conversation TTL. */
export interface ExpiryJob {
  channel: string;
  conversationId: string;
  /** PendingComplaint.version when scheduled: a newer version means the citizen answered since. */
  version: string;
}

/** A citizen's command about their tickets, on the `tickets` queue under the job name 'command'. */
export interface CommandJob {
  message: SerializedMessage;
  command: CitizenCommand;
}

/** A reply to deliver through its channel's adapter (the `outbound` queue). */
export interface OutboundJob {
  address: Address;
  reply: Reply;
}

/**
 * Port: the `outbound` queue as a channel uses it to deliver the intake's replies. Adding a job under an id that
 * is already there is a no-op, so a redelivered message's replies go out once. Rejects when the queue cannot
 * take the job.
 */
export interface OutboundQueue {
  add(job: OutboundJob, jobId: string): Promise<void>;
  /** Resolves once the queue can take jobs (a producer without an offline queue fails adds until then). */
  ready(): Promise<void>;
}
