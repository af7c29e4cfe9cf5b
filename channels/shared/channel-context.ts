// What every channel adapter is handed when it is built, so none rebuilds shared infrastructure: the one Redis
// connection (and producer options), the one delivered-parts store, the deployment's settings and the log.
// The core's start-time context (intake, router, leadership: src/core/channel-adapter.ts) is a different
// thing, given to start(); this one is given to the channel's factory and works in a process that only sends.
import type { Config } from '../../src/config.js';
import type { Logger } from '../../src/log.js';
import type { ConversationKey, ConversationLog } from '../../src/core/conversation-log.js';
import { ChannelRedis } from './channel-redis.js';
import { DeliveredParts } from './delivered-parts.js';

/**
 * The conversation log, live: each new turn is also published on the conversation's pub/sub channel of the
 * deployment's Redis (src/queue/conversation-log-redis.ts), for a channel that shows conversations as they go.
 */
export interface LiveConversationLog extends ConversationLog {
  liveChannel(conversation: ConversationKey): string;
}

export interface ChannelContext {
  /** The one configuration; each adapter's section is `config.channels.<name>`. */
  config: Config;
  /** QUEUE_PREFIX: every channel's Redis keys start with it. */
  prefix: string;
  redis: ChannelRedis;
  deliveredParts: DeliveredParts;
  /** The conversations as the staff read them (the web chat's history is its own conversations' part). */
  conversationLog: LiveConversationLog;
  /** The gateway's log; an adapter logs through `log.child({ channel })`. */
  log: Logger;
}

export interface ChannelContextOptions {
  config: Config;
  redisUrl: string;
  conversationLog: LiveConversationLog;
  log: Logger;
}

export function createChannelContext(o: ChannelContextOptions): ChannelContext {
  const redis = new ChannelRedis(o.redisUrl, o.log);
  return {
    config: o.config,
    prefix: o.config.queuePrefix,
    redis,
    deliveredParts: new DeliveredParts(() => redis.client, o.config.queuePrefix),
    conversationLog: o.conversationLog,
    log: o.log,
  };
}
