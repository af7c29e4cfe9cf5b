// Builds the WeChat adapter when its variables are set (one line in channels/index.ts).
import type { ChannelAdapter } from '../../src/core/channel-adapter.js';
import type { ChannelDeps } from '../index.js';
import { WechatAdapter } from './wechat-adapter.js';

export function wechatChannels(deps: ChannelDeps): ChannelAdapter[] {
  const options = deps.config.channels.wechat;
  return options ? [new WechatAdapter({ options, redisUrl: deps.redisUrl, prefix: deps.config.queuePrefix, log: deps.log.child({ channel: 'wechat' }) })] : [];
}
