// Builds the Slack adapter when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set (one line in channels/index.ts).
import type { ChannelAdapter } from '../../src/core/channel-adapter.js';
import type { ChannelDeps } from '../index.js';
import { SlackAdapter } from './slack-adapter.js';

export function slackChannels(deps: ChannelDeps): ChannelAdapter[] {
  const config = deps.config.channels.slack;
  return config ? [new SlackAdapter({ config, redisUrl: deps.redisUrl, prefix: deps.config.queuePrefix, log: deps.log.child({ channel: 'slack' }) })] : [];
}
