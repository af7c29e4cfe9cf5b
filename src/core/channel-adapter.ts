// The contract between the core and a channel (DESIGN.md). An adapter verifies and normalizes what its
// platform sends, hands envelopes to the intake, and delivers replies in its own way. It never decides what
// to answer; the core never reads a platform payload.
import type { Router } from 'express';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Address, ChannelName, InboundMessage, Reply } from './envelope.js';
import type { Logger } from '../log.js';
import type { FloodLimiter } from './rate-limits.js';
import type { TranscriptSource } from './transcript.js';
import type { RawPostHandler } from '../http/raw-post.js';
import type { Leadership } from './leadership.js';

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
  /** True when the intake already appended HandleOptions.transcript's items (along with its ledger claim). */
  transcribed?: boolean;
}

export interface HandleOptions {
  /**
   * A flood limit that comes before everything else (the web chat's per-IP limit): counted first, and over it
   * the message is refused with FloodLimitedError before anything else is counted, read or taken. Counted in the
   * same Redis command as the message's first reads.
   */
  gate?: { limiter: FloodLimiter; key: string };
  /**
   * The channel's transcript items for this message and the replies it gets (the web chat history): when the
   * intake can, it appends them in the same Redis command as its ledger claim, only if this delivery claimed
   * first, and says so with `transcribed`; otherwise the channel appends them itself as before.
   */
  transcript?: TranscriptSource;
}

export interface Intake {
  /**
   * Throws IntakeUnavailableError when the message could not be made durable: the channel must not ack; and
   * FloodLimitedError when options.gate refused it.
   */
  handle(message: InboundMessage, options?: HandleOptions): Promise<IntakeResult>;
}

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface ChannelContext {
  intake: Intake;
  /** Mounted at the server root; adapters add their webhook routes under /api/... */
  router: Router;
  /**
   * A POST answered by the HTTP server ahead of express, for a channel's hot path (every citizen's message):
   * only plain JSON bodies of at most `limitBytes` arrive here; every other request for the path goes to the
   * express route the channel also registers on `router`, which must answer it the same way.
   */
  rawPost?(path: string, handler: RawPostHandler, limitBytes: number): void;
  /** Claims WebSocket upgrades for a path. */
  onUpgrade(path: string, handler: UpgradeHandler): void;
  /** For work only one gateway of the deployment may do at a time (a platform poller). */
  leadership: Leadership;
  log: Logger;
}

export interface ChannelAdapter {
  readonly name: ChannelName;
  /** Mount webhooks or start polling. send() must work without start() (worker processes only send). */
  start(ctx: ChannelContext): Promise<void>;
  send(to: Address, reply: Reply): Promise<void>;
  /**
   * Present when sending only writes to our own Redis (the web chat's history and push): there is no platform
   * to wait out or rate-limit, so the ticket worker delivers a batch's confirmations through this, all at once,
   * instead of queueing them. Resolves, per reply, the error that stopped it or undefined when it was delivered.
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
