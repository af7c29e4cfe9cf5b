// The contract between the core and a channel (DESIGN.md). An adapter verifies and normalizes what its
// platform sends, hands envelopes to the intake, and delivers replies in its own way. It never decides what
// to answer; the core never reads a platform payload.
import type { Router } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Address, ChannelName, InboundMessage, Reply } from './envelope.js';
import type { Logger } from '../log.js';
import type { LimitVerdict } from './intake-memory.js';
import type { Leadership } from './leadership.js';
import type { OutboundQueue } from './jobs.js';

export interface IntakeResult {
  /**
   * answered: replies are final (FAQ, chitchat); queued: a job exists, the ticket number follows later;
   * throttled: the sender is over their budget and the message was not taken (retryAfterSeconds says when).
   */
  status: 'answered' | 'queued' | 'throttled';
  retryAfterSeconds?: number;
  replies: Reply[];
  /** True when this message id was seen before: the replies are the first delivery's, nothing new happened. */
  duplicate: boolean;
}

export interface HandleOptions {
  /**
   * The network address the message came from, for a channel whose citizens reach us directly (not through a
   * platform): counted against that address's flood limit before anything else; over it the message is refused
   * with FloodLimitedError and nothing else is counted, read or taken.
   */
  client?: string;
}

export interface Intake {
  /**
   * Throws IntakeUnavailableError when the message could not be made durable: the channel must not ack; and
   * FloodLimitedError when its client (options.client) is over its flood limit.
   */
  handle(message: InboundMessage, options?: HandleOptions): Promise<IntakeResult>;
  /** A request refused before it became a message still counts against its client's flood limit. */
  countRefused(client: string): Promise<LimitVerdict>;
}

/** A POST whose JSON body the HTTP server has read (ChannelContext.rawPost). */
export interface JsonPost {
  req: IncomingMessage;
  res: ServerResponse;
  /** The client's address, under the deployment's TRUST_PROXY setting. */
  ip: string;
  /** The parsed body when it was valid JSON within the limit; otherwise `bodyError` says why not. */
  body?: unknown;
  bodyError?: { type: string; status: number; limit?: number; message?: string };
}

export type JsonPostHandler = (post: JsonPost) => Promise<void>;

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface ChannelContext {
  intake: Intake;
  /** Mounted at the server root; adapters add their webhook routes under /api/... */
  router: Router;
  /**
   * A JSON POST route for a channel's hot path (every citizen's message), answered by the HTTP server ahead of
   * express: every POST to `path` arrives here, its body read (at most `limitBytes`) or the reason it could not be.
   */
  rawPost?(path: string, handler: JsonPostHandler, limitBytes: number): void;
  /** Claims WebSocket upgrades for a path. */
  onUpgrade(path: string, handler: UpgradeHandler): void;
  /** For work only one gateway of the deployment may do at a time (a platform poller). */
  leadership: Leadership;
  /** Where replies to deliver later go (ReplyDispatch): the `outbound` queue. */
  outbound: OutboundQueue;
  log: Logger;
}

export interface ChannelAdapter {
  readonly name: ChannelName;
  /** Mount webhooks or start polling. send() must work without start() (worker processes only send). */
  start(ctx: ChannelContext): Promise<void>;
  send(to: Address, reply: Reply): Promise<void>;
  /**
   * Present when sending is appending the reply to the conversation log (conversation-log.ts), which the channel
   * shows its citizens (the web chat): there is no platform to wait out or rate-limit, so the ticket worker
   * delivers a batch's confirmations through this, all at once, instead of queueing them. Resolves, per reply,
   * the error that stopped it or undefined when it was delivered. send() does the same for one reply.
   */
  deliverLocally?(deliveries: { to: Address; reply: Reply }[]): Promise<(Error | undefined)[]>;
  /**
   * Present when the platform holds the pictures citizens send (a file id, a link that expires): the bytes of one
   * attachment, by the `url` this adapter put in the envelope. Throws ChannelApiError (with the HTTP status when
   * there is one) so that the caller can tell a platform that is down from a file that is gone.
   */
  fetchAttachment?(ref: string): Promise<Buffer>;
  stop(): Promise<void>;
}
