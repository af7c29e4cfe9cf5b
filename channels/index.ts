// Which channel adapters this gateway runs, built from configuration. Each adapter is enabled by its own
// environment variables; web chat is always on.
import type { Config } from '../src/config.js';
import type { ChannelAdapter } from '../src/core/channel-adapter.js';
import type { Logger } from '../src/log.js';
import { WebchatAdapter } from './webchat/webchat-adapter.js';
import { wechatChannels } from './wechat/index.js';
import { apiChannels } from './api/index.js';
import { telegramChannels } from './telegram/index.js';
import { slackChannels } from './slack/index.js';
import { weiboChannels } from './weibo/index.js';
import { wechatOptionsFromEnv } from './wechat/wechat-options.js';
import { apiOptionsFromEnv } from './api/partner-options.js';
import { loadTelegramConfig } from './telegram/telegram-config.js';
import { loadSlackConfig } from './slack/slack-config.js';
import { loadWeiboConfig } from './weibo/weibo-config.js';

export interface ChannelDeps {
  config: Config;
  /** Each adapter reads and validates its own variables (TELEGRAM_*, SLACK_*, …) from here. */
  env: NodeJS.ProcessEnv;
  redisUrl: string;
  log: Logger;
}

/**
 * Reads every channel's variables without building anything or connecting anywhere, so a half-set channel stops
 * the start at once with its ConfigError, before the database and Redis are opened.
 */
export function checkChannelConfig(env: NodeJS.ProcessEnv): void {
  wechatOptionsFromEnv(env);
  apiOptionsFromEnv(env);
  loadTelegramConfig(env);
  loadSlackConfig(env);
  loadWeiboConfig(env);
}

export function buildChannels(deps: ChannelDeps): ChannelAdapter[] {
  const adapters: ChannelAdapter[] = [new WebchatAdapter({ redisUrl: deps.redisUrl, prefix: deps.config.queuePrefix, log: deps.log, timeZone: deps.config.timeZone })];
  // Adapters configured by their environment variables are added below, one line each.
  adapters.push(...wechatChannels(deps));
  adapters.push(...apiChannels(deps));
  adapters.push(...telegramChannels(deps));
  adapters.push(...slackChannels(deps));
  adapters.push(...weiboChannels(deps));
  return adapters;
}
