// Builds the Weibo adapter when WEIBO_ACCESS_TOKEN is set (one line in channels/index.ts).
import type { ChannelAdapter } from '../../src/core/channel-adapter.js';
import type { ChannelDeps } from '../index.js';
import { WeiboAdapter } from './weibo-adapter.js';

export function weiboChannels(deps: ChannelDeps): ChannelAdapter[] {
  const config = deps.config.channels.weibo;
  return config ? [new WeiboAdapter({ config, redisUrl: deps.redisUrl, prefix: deps.config.queuePrefix, log: deps.log.child({ channel: 'weibo' }) })] : [];
}
