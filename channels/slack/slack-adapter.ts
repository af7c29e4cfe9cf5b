// The Slack channel, for company users and staff: direct messages and @mentions to the app, the /12345 slash
// command and Block Kit buttons arrive through the Bolt App of slack-app.ts, are normalized and handed to the
// intake; every reply leaves through send() as chat.postMessage on the App's client, threaded where the
// conversation is a channel thread.
import type { ChannelAdapter, ChannelContext } from '../../src/core/channel-adapter.js';
import type { Address, InboundMessage, Reply } from '../../src/core/envelope.js';
import type { Logger } from '../../src/log.js';
import { ReplyDispatch } from '../reply-dispatch.js';
import { replyBlocks } from './block-kit.js';
import { slackDestination } from './conversation-id.js';
import { SlackApi } from './slack-api.js';
import { createSlackApp, type SlackApp } from './slack-app.js';
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
  private readonly slack: SlackApp;
  private readonly api: SlackApi;
  private ctx?: ChannelContext;
  private dispatch?: ReplyDispatch;

  constructor(private readonly opts: SlackAdapterOptions) {
    // Built here rather than in start(): worker processes only send, through the App's client.
    this.slack = createSlackApp({ config: opts.config, take: (m) => this.take(m), log: opts.log });
    this.api = new SlackApi(this.slack.app.client, opts.config.token);
  }

  async start(ctx: ChannelContext): Promise<void> {
    this.ctx = ctx;
    this.dispatch = new ReplyDispatch({ redisUrl: this.opts.redisUrl, prefix: this.opts.prefix, send: (to, r) => this.send(to, r), log: ctx.log });
    await this.dispatch.ready();
    ctx.router.use(this.slack.router);
    ctx.log.info('slack channel started');
  }

  private async take(message: InboundMessage): Promise<void> {
    // Requests reach the App only through the router start() mounts, so both are set by then.
    const result = await this.ctx!.intake.handle(message);
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
    await this.dispatch?.close();
  }
}
