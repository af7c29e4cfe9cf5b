// The microblog (Weibo) channel's definition (one line in the channel list, channels/index.ts): on when
// WEIBO_ACCESS_TOKEN is set.
import type { ChannelDefinition } from '../shared/channel-definition.js';
import { mentionsRoutes } from './console/mentions-routes.js';
import { seedDemoMentions } from './console/demo-mentions.js';

export const weiboChannel: ChannelDefinition = {
  name: 'weibo',
  label: '微博',
  capabilities: { buttons: false, publicReplies: true },
  demo: { ticketShare: 10, seedActivity: seedDemoMentions },
  build: async (ctx) => {
    const config = ctx.config.channels.weibo;
    if (!config) return undefined;
    const { WeiboAdapter } = await import('./weibo-adapter.js');
    return new WeiboAdapter(config, ctx);
  },
  // The social-media team's mentions console, /admin/mentions.
  consoleRoutes: (deps) => mentionsRoutes(deps),
};
