// Which channel adapters this gateway runs, built from configuration. Each adapter is enabled by its own
// environment variables; web chat is always on.
import type { Config } from '../src/config.js';
import type { ChannelAdapter } from '../src/core/channel-adapter.js';
import type { Logger } from '../src/log.js';
import { WebchatAdapter } from './webchat/webchat-adapter.js';

export interface ChannelDeps {
  config: Config;
  redisUrl: string;
  log: Logger;
}

export function buildChannels(deps: ChannelDeps): ChannelAdapter[] {
  return [new WebchatAdapter({ redisUrl: deps.redisUrl, prefix: deps.config.queuePrefix, log: deps.log })];
}
