// The Slack channel, for company users and staff: direct messages and @mentions to the app, the /12345 slash
// command and Block Kit buttons arrive verified at routes.ts, are normalized and handed to the intake; every
// reply leaves through send() as chat.postMessage, threaded where the conversation is a channel thread.
import type { ChannelAdapter, ChannelContext } from '../../src/core/channel-adapter.js';
import type { Address, InboundMessage, Reply } from '../../src/core/envelope.js';
import type { Logger } from '../../src/log.js';
import { ReplyDispatch } from '../reply-dispatch.js';
import { replyBlocks } from './block-kit.js';
import { slackDestination } from './conversation-id.js';
import { slackRouter } from './routes.js';
import { SlackApi } from './slack-api.js';
import type { SlackConfig } from './slack-config.js';
import { escapeText } from './slack-text.js';

export interface SlackAdapterOptions {
  config: SlackConfig;
  redisUrl: string;
  prefix: string;
  log: Logger;
}

export class SlackAdapter implements ChannelAdapter {
  readonly name = 'slack' as const;
  private readonly api: SlackApi;
  private dispatch?: ReplyDispatch;

  constructor(private readonly opts: SlackAdapterOptions) {
    this.api = new SlackApi(opts.config.token, opts.config.apiUrl, opts.log);
  }

  async start(ctx: ChannelContext): Promise<void> {
    this.dispatch = new ReplyDispatch({ queue: ctx.outbound, send: (to, r) => this.send(to, r), log: ctx.log });
    await this.dispatch.ready();
    ctx.router.use(slackRouter({ config: this.opts.config, take: (m) => this.take(ctx, m), log: ctx.log }));
    ctx.log.info('slack channel started');
  }

  private async take(ctx: ChannelContext, message: InboundMessage): Promise<void> {
    const result = await ctx.intake.handle(message);
    await this.dispatch!.dispatch(message, result.replies);
  }

  async send(to: Address, reply: Reply): Promise<void> {
    const { channel, threadTs } = slackDestination(to.conversationId, to.replyTo);
    await this.api.postMessage({
      channel,
      // Shown in notifications and wherever blocks cannot be.
      text: escapeText(reply.text),
      ...(threadTs ? { threadTs } : {}),
      ...(reply.quickReplies?.length ? { blocks: replyBlocks(reply.text, reply.quickReplies) } : {}),
    });
  }

  async stop(): Promise<void> {
  }
}
