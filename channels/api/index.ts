// The partner API channel's definition (one line in the channel list, channels/index.ts): on when
// API_PARTNERS is set.
import type { ChannelDefinition } from '../shared/channel-definition.js';

export const apiChannel: ChannelDefinition = {
  name: 'api',
  label: '接口',
  capabilities: { buttons: true, publicReplies: false },
  demo: { ticketShare: 18 },
  build: async (ctx) => {
    const options = ctx.config.channels.api;
    if (!options) return undefined;
    const { ApiAdapter } = await import('./api-adapter.js');
    return new ApiAdapter(options);
  },
};
