// The Slack channel: on when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set (its configuration section,
// channels/slack/slack-config.ts).
import type { ChannelDefinition } from '../shared/channel-definition.js';
import { SlackAdapter } from './slack-adapter.js';

export const slackChannel: ChannelDefinition = {
  name: 'slack',
  label: 'Slack',
  capabilities: { buttons: true, publicReplies: false },
  demo: { ticketShare: 3 },
  build: (ctx) => {
    const config = ctx.config.channels.slack;
    return config && new SlackAdapter({ config, redisUrl: ctx.redis.url, prefix: ctx.prefix, log: ctx.log.child({ channel: 'slack' }) });
  },
};
