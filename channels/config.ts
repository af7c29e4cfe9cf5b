// Every channel's section of the configuration, each parsed and validated by the channel's own code; part of
// the one Config that src/config.ts builds at start (`config.channels`). A section is undefined when its
// channel is off; a half-set one throws its ConfigError, so a start stops before anything is opened.
import { apiOptionsFromEnv, type ApiChannelOptions } from './api/partner-options.js';
import { loadSlackConfig, type SlackConfig } from './slack/slack-config.js';
import { loadTelegramConfig, type TelegramConfig } from './telegram/telegram-config.js';
import { wechatOptionsFromEnv, type WechatOptions } from './wechat/wechat-options.js';
import { loadWeiboConfig, type WeiboConfig } from './weibo/weibo-config.js';

export interface ChannelConfigs {
  api?: ApiChannelOptions;
  slack?: SlackConfig;
  telegram?: TelegramConfig;
  wechat?: WechatOptions;
  weibo?: WeiboConfig;
}

export function loadChannelConfigs(env: NodeJS.ProcessEnv): ChannelConfigs {
  const sections: ChannelConfigs = {
    api: apiOptionsFromEnv(env),
    slack: loadSlackConfig(env),
    telegram: loadTelegramConfig(env),
    wechat: wechatOptionsFromEnv(env),
    weibo: loadWeiboConfig(env),
  };
  return Object.fromEntries(Object.entries(sections).filter(([, v]) => v !== undefined)) as ChannelConfigs;
}
