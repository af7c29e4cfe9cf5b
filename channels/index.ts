// The channel list: every channel this gateway can run, each defined in its own channels/<name>/index.ts
// (label, capabilities, adapter). The `satisfies` below keeps it in step with the envelope's CHANNEL_NAMES.
// Each adapter is enabled by its own section of the configuration (channels/config.ts); web chat is always on.
// An adapter's module (and its platform's SDK) is imported only when its channel is configured.
import type { ChannelAdapter } from '../src/core/channel-adapter.js';
import type { ChannelName } from '../src/core/envelope.js';
import { WebchatAdapter } from './webchat/webchat-adapter.js';
import { wechatChannel } from './wechat/index.js';
import { apiChannel } from './api/index.js';
import { telegramChannel } from './telegram/index.js';
import { slackChannel } from './slack/index.js';
import { weiboChannel } from './weibo/index.js';
import { createChannelContext, type ChannelContext, type ChannelContextOptions } from './shared/channel-context.js';
import type { Router } from 'express';
import type { DemoChannel } from '../src/demo/seed-model.js';
import type { ChannelConsoleDeps, ChannelDefinition } from './shared/channel-definition.js';

const webchatChannel: ChannelDefinition = {
  name: 'webchat',
  label: '网站对话',
  capabilities: { buttons: true, publicReplies: false },
  demo: {
    ticketShare: 30,
    handoff: {
      minutesAgo: 12,
      lang: 'zh',
      before: [
        ['citizen', '养老金每个月几号发'],
        ['bot', '北京市城乡居民养老金一般在每月中旬发放至社保卡银行账户，具体以所在区发放时间为准。'],
        ['citizen', '没解决'],
        ['bot', '抱歉没能帮到您。需要为您登记工单，或转人工客服吗？'],
      ],
      turns: [
        ['citizen', '我家老人的养老金这个月没到账，打了好几个电话都没人说清楚'],
        ['citizen', '转人工'],
      ],
    },
  },
  build: async (ctx) =>
    new WebchatAdapter({ redisUrl: ctx.redis.url, conversationLog: ctx.conversationLog, log: ctx.log, timeZone: ctx.config.timeZone }),
};

export const CHANNELS = {
  webchat: webchatChannel,
  telegram: telegramChannel,
  slack: slackChannel,
  wechat: wechatChannel,
  weibo: weiboChannel,
  api: apiChannel,
} as const satisfies Record<ChannelName, ChannelDefinition>;

const definitions: ChannelDefinition[] = Object.values(CHANNELS);

/** Each channel's label, for the console (`/api/admin/meta`) and the reports. */
export function channelLabels(): Record<string, string> {
  return Object.fromEntries(definitions.map((d) => [d.name, d.label]));
}

/** The channels whose replies everyone sees (the social-media team's, as the access rules treat them). */
export function publicChannels(): string[] {
  return definitions.filter((d) => d.capabilities.publicReplies).map((d) => d.name);
}

/** The channels as `jiesu demo` seeds them, largest share of tickets first. */
export function demoChannels(): (DemoChannel & { demo: ChannelDefinition['demo'] })[] {
  return definitions
    .map((d) => ({ name: d.name, share: d.demo.ticketShare, publicReplies: d.capabilities.publicReplies, demo: d.demo }))
    .sort((a, b) => b.share - a.share);
}

/** The channels' own console pages and APIs, for the gateway to mount behind the console's login. */
export function channelConsoleRoutes(deps: ChannelConsoleDeps): Router[] {
  return definitions.flatMap((d) => (d.consoleRoutes ? [d.consoleRoutes(deps)] : []));
}

/** The configured channels' adapters, and closing what they share once they have stopped. */
export interface Channels {
  adapters: ChannelAdapter[];
  context: ChannelContext;
  close(): void;
}

export async function buildChannels(options: ChannelContextOptions): Promise<Channels> {
  const context = createChannelContext(options);
  const built = await Promise.all(definitions.map((d) => d.build(context)));
  const adapters = built.filter((a): a is ChannelAdapter => a !== undefined);
  return { adapters, context, close: () => context.redis.close() };
}
