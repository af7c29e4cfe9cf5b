// The shared pieces a channel adapter is built with (channels/shared/channel-context.ts), for tests that build
// an adapter on its own: the real Redis under the test's key prefix, the default configuration.
import { createChannelContext, type ChannelContext } from '../../channels/shared/channel-context.js';
import { loadConfig } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/log.js';
import { TEST_REDIS_URL } from './databases.js';

export function testChannelContext(prefix: string, opts: { redisUrl?: string; log?: Logger; env?: NodeJS.ProcessEnv } = {}): ChannelContext {
  const env = opts.env ?? {};
  return createChannelContext({ config: { ...loadConfig(env), queuePrefix: prefix }, redisUrl: opts.redisUrl ?? TEST_REDIS_URL, log: opts.log ?? createLogger('silent') });
}
