// The shared pieces a channel adapter is built with (channels/shared/channel-context.ts), for tests that build
// an adapter on its own: the real Redis under the test's key prefix, the default configuration.
import { createChannelContext, type ChannelContext } from '../../channels/shared/channel-context.js';
import { loadConfig } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/log.js';
import { TEST_REDIS_URL } from './databases.js';
import { Redis } from 'ioredis';
import { RedisConversationLog } from '../../src/queue/conversation-log-redis.js';

export function testChannelContext(prefix: string, opts: { redisUrl?: string; log?: Logger; env?: NodeJS.ProcessEnv } = {}): ChannelContext {
  const env = opts.env ?? {};
  const redisUrl = opts.redisUrl ?? TEST_REDIS_URL;
  // Connected only if the adapter uses it (the web chat does).
  const conversationLog = new RedisConversationLog(new Redis(redisUrl, { lazyConnect: true }), prefix);
  return createChannelContext({ config: { ...loadConfig(env), queuePrefix: prefix }, redisUrl, conversationLog, log: opts.log ?? createLogger('silent') });
}
