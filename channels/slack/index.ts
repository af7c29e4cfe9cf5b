// The Slack channel: on when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set (its configuration section,
// channels/slack/slack-config.ts).
import type { ChannelDefinition } from '../shared/channel-definition.js';

export const slackChannel: ChannelDefinition = {
  name: 'slack',
  label: 'Slack',
  capabilities: { buttons: true, publicReplies: false },
  demo: { ticketShare: 3 },
  build: async (ctx) => {
    const config = ctx.config.channels.slack;
    if (!config) return undefined;
    const { SlackAdapter } = await import('./slack-adapter.js');
    return new SlackAdapter({ config, redisUrl: ctx.redis.url, prefix: ctx.prefix, log: ctx.log.child({ channel: 'slack' }) });
  },
};
