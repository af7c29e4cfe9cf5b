// What a channel tells the rest of the gateway about itself, in its own channels/<name>/index.ts: its name,
// how people see it (label), what its replies can carry (capabilities) and how its adapter is built (its
// configuration section is parsed by its own code, gathered in channels/config.ts). The gateway, the console and the reports learn about channels only from these, so
// adding one is a new channels/<name>/ and one line in the channel list (channels/index.ts).
import type { Router } from 'express';
import type { Redis } from 'ioredis';
import type { ChannelAdapter } from '../../src/core/channel-adapter.js';
import type { ChannelName } from '../../src/core/envelope.js';
import type { StaffAuth } from '../../src/http/admin/require-session.js';
import type { Nlu } from '../../src/nlu/decision.js';
import type { DemoHandoff } from '../../src/demo/demo-activity.js';
import type { Services } from '../../src/services.js';
import type { ChannelContext } from './channel-context.js';

export interface ChannelCapabilities {
  /** Quick replies are shown as buttons to press (otherwise as a numbered list to answer with a number, or text). */
  buttons: boolean;
  /** Replies may be seen by everyone (microblog comments), so nothing personal is ever put in them. */
  publicReplies: boolean;
}

/** What a channel's own console pages get from the gateway: its stores and queues, and the console's login. */
export interface ChannelConsoleDeps {
  services: Pick<Services, 'config' | 'database' | 'queues' | 'store'>;
  /** Any client on the gateway's Redis (the gateway's fail-fast one); a console page never blocks on Redis. */
  redis: Redis;
  /** For the FAQ entry shown next to an answered message. */
  nlu?: Pick<Nlu, 'entry'>;
  /** The admin console's sessions and credentials, so one login covers every page. */
  auth: StaffAuth;
}

/** How the channel appears in `jiesu demo`'s seeded month. */
export interface ChannelDemo {
  /** Relative share of the seeded tickets that arrive on this channel. */
  ticketShare: number;
  /** A conversation on this channel waiting for a person (转人工). */
  handoff?: DemoHandoff;
  /** Seeds what the channel's own console shows (in Redis, under `prefix`); says what in a few words. */
  seedActivity?(redis: Redis, prefix: string, now: Date): Promise<string>;
}

export interface ChannelDefinition {
  name: ChannelName;
  /** The channel's name in the console and the reports (Chinese first). */
  label: string;
  capabilities: ChannelCapabilities;
  demo: ChannelDemo;
  /**
   * The channel's adapter when its configuration section is set (`ctx.config.channels`); none otherwise. The
   * adapter's module is imported here, only then: a platform's SDK (Bolt, Telegraf) weighs tens of megabytes in
   * a process that never talks to that platform.
   */
  build(ctx: ChannelContext): Promise<ChannelAdapter | undefined>;
  /**
   * The channel's own console pages and their API (the microblog mentions console), mounted whether or not the
   * channel is configured here: what earlier runs or other gateways recorded stays reviewable.
   */
  consoleRoutes?(deps: ChannelConsoleDeps): Router;
}
