// Which channel adapters this gateway runs, built from configuration. Each adapter is enabled by its own
// section of the configuration (channels/config.ts); web chat is always on.
import type { Config } from '../src/config.js';
import type { ChannelAdapter } from '../src/core/channel-adapter.js';
import type { Logger } from '../src/log.js';
import { WebchatAdapter } from './webchat/webchat-adapter.js';
import { wechatChannels } from './wechat/index.js';
import { apiChannels } from './api/index.js';
import { telegramChannels } from './telegram/index.js';
import { slackChannels } from './slack/index.js';
import { weiboChannels } from './weibo/index.js';

export interface ChannelDeps {
  /** `config.channels` holds each adapter's section, validated by the adapter's own parser at start. */
  config: Config;
  redisUrl: string;
  log: Logger;
}

export function buildChannels(deps: ChannelDeps): ChannelAdapter[] {
  const adapters: ChannelAdapter[] = [new WebchatAdapter({ redisUrl: deps.redisUrl, prefix: deps.config.queuePrefix, log: deps.log, ipLimitPerMinute: deps.config.ipLimitPerMinute, timeZone: deps.config.timeZone })];
  // Adapters with a configuration section are added below, one line each.
  adapters.push(...wechatChannels(deps));
  adapters.push(...apiChannels(deps));
  adapters.push(...telegramChannels(deps));
  adapters.push(...slackChannels(deps));
  adapters.push(...weiboChannels(deps));
  return adapters;
}
