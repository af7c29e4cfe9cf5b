// The partner API channel's definition (one line in the channel list, channels/index.ts): on when
// API_PARTNERS is set.
import type { ChannelDefinition } from '../shared/channel-definition.js';
import { ApiAdapter } from './api-adapter.js';
import { apiOptionsFromEnv } from './partner-options.js';

export const apiChannel: ChannelDefinition = {
  name: 'api',
  label: '接口',
  capabilities: { buttons: true, publicReplies: false },
  demo: { ticketShare: 18 },
  checkConfig: (env) => void apiOptionsFromEnv(env),
  build: (ctx) => {
    const options = apiOptionsFromEnv(ctx.env);
    return options && new ApiAdapter(options);
  },
};
