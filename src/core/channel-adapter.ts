// The contract between the core and a channel (DESIGN.md). An adapter verifies and normalizes what its
// platform sends, hands envelopes to the intake, and delivers replies in its own way. It never decides what
// to answer; the core never reads a platform payload.
import type { Router } from 'express';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Address, ChannelName, InboundMessage, Reply } from './envelope.js';
import type { Logger } from '../log.js';

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

export interface Intake {
  /** Throws IntakeUnavailableError when the message could not be made durable: the channel must not ack. */
  handle(message: InboundMessage): Promise<IntakeResult>;
}

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface ChannelContext {
  intake: Intake;
  /** Mounted at the server root; adapters add their webhook routes under /api/... */
  router: Router;
  /** Claims WebSocket upgrades for a path. */
  onUpgrade(path: string, handler: UpgradeHandler): void;
  log: Logger;
}

export interface ChannelAdapter {
  readonly name: ChannelName;
  /** Mount webhooks or start polling. send() must work without start() (worker processes only send). */
  start(ctx: ChannelContext): Promise<void>;
  send(to: Address, reply: Reply): Promise<void>;
  /**
   * True when send() only writes to our own Redis (the web chat's history and push): there is no platform to
   * wait out or rate-limit, so the ticket worker delivers confirmations directly instead of queueing them.
   */
  readonly deliversLocally?: boolean;
  stop(): Promise<void>;
}
