// The Weibo channel. In: a poller for @-mentions (statuses and comments) and the fan-service push for private
// messages, both normalized into envelopes and handed to the intake. Out: send() posts a public comment under
// the mention (comments/create or comments/reply), varied so Weibo does not refuse it as a repeat, with
// nothing personal in it; or a private message (messages/reply) within Weibo's 48-hour window. Every call
// counts against the account's hourly budget, shared with other processes through Redis.
import { downloadPlatformImage } from '../../src/photos/download.js';
import type { ChannelAdapter, ChannelContext as StartContext } from '../../src/core/channel-adapter.js';
import type { Address, InboundMessage, Reply } from '../../src/core/envelope.js';
import { ChannelApiError } from '../../src/core/errors.js';
import type { Logger } from '../../src/log.js';
import { ReplayGuard } from '../replay-guard.js';
import { ReplyDispatch } from '../reply-dispatch.js';
import { commentVariant, privateMessageText, publicCommentText, splitMessage } from './comment-text.js';
import type { ChannelContext } from '../shared/channel-context.js';
import { CursorStore } from './cursor-store.js';
import { DM_WINDOW_MS, DmWindow } from './dm-window.js';
import { takeMention } from './mention-handler.js';
import { MentionsLog } from './mentions-log.js';
import { commentTarget, mentionIdFor } from './normalize.js';
import { WeiboPoller } from './poller.js';
import { PollerStatusStore } from './poller-status.js';
import { weiboPushRouter } from './push-route.js';
import { REPLAY_WINDOW_MS } from './push-signature.js';
import { RateBudget } from './rate-budget.js';
import { RecentComments } from './recent-comments.js';
import { WeiboApi } from './weibo-api.js';
import { effectivePollMs, type WeiboConfig } from './weibo-config.js';
import { WeiboApiError } from './weibo-error.js';

/** Variants of one comment tried before giving up on it (Weibo kept refusing them as repeats). */
const MAX_VARIANTS = 6;

export class WeiboAdapter implements ChannelAdapter {
  readonly name = 'weibo' as const;
  readonly api: WeiboApi;
  readonly mentions: MentionsLog;
  readonly cursors: CursorStore;
  readonly budget: RateBudget;
  private readonly recent: RecentComments;
  private readonly log: Logger;
  private readonly dm: DmWindow;
  private readonly pollerStatus: PollerStatusStore;
  private dispatch?: ReplyDispatch;
  private poller?: WeiboPoller;

  constructor(
    private readonly config: WeiboConfig,
    private readonly ctx: ChannelContext,
  ) {
    const { prefix } = ctx;
    this.log = ctx.log.child({ channel: 'weibo' });
    this.api = new WeiboApi(config.accessToken, config.apiBase);
    // The shared fail-fast client: bookkeeping is skipped, and a poll fails and backs off, rather than hanging.
    const redis = ctx.redis.client;
    this.mentions = new MentionsLog(redis, prefix);
    this.cursors = new CursorStore(redis, prefix);
    this.budget = new RateBudget(redis, prefix, config.hourlyLimit);
    this.recent = new RecentComments(redis, prefix);
    this.dm = new DmWindow(redis, prefix);
    this.pollerStatus = new PollerStatusStore(redis, prefix);
  }

  async start(ctx: StartContext): Promise<void> {
    const { config } = this;
    const { prefix } = this.ctx;
    const log = this.log;
    this.dispatch = new ReplyDispatch({ queue: ctx.outbound, send: (to, r) => this.send(to, r), log });
    await this.dispatch.ready();
    const dispatch = this.dispatch;
    const replays = new ReplayGuard(this.ctx.redis.client, `${prefix}:weibo`, REPLAY_WINDOW_MS);
    await replays.ready();
    ctx.router.use(
      weiboPushRouter({
        appSecret: config.appSecret,
        accountUid: config.accountUid,
        replays,
        log,
        handle: async (message) => {
          // The 48-hour reply window starts with the citizen's message (as it reaches us: Weibo's created_at
          // comes from another clock), before any reply is queued.
          await this.dm.touch(message.sender.id, new Date()).catch((err: Error) => log.warn({ err: err.message }, 'weibo dm window not recorded'));
          const result = await ctx.intake.handle(message);
          await dispatch.dispatch(message, result.replies);
        },
      }),
    );
    if (!config.appSecret) log.warn('WEIBO_APP_SECRET is not set: the private-message push endpoint refuses every request');
    this.poller = new WeiboPoller({
      api: this.api,
      cursors: this.cursors,
      budget: this.budget,
      status: this.pollerStatus,
      leadership: ctx.leadership,
      log,
      intervalMs: effectivePollMs(config),
      backoffMs: config.backoffMs,
      backfillMs: config.backfillMs,
      take: (m) =>
        takeMention(m, {
          intake: ctx.intake,
          dispatch: (message: InboundMessage, replies: Reply[]) => dispatch.dispatch(message, replies),
          mentions: this.mentions,
          accountUid: config.accountUid,
          log,
        }),
    });
    this.poller.start();
    log.info({ intervalMs: effectivePollMs(config), push: Boolean(config.appSecret) }, 'weibo channel started');
  }

  /** Polls at once (the console's "refresh" and tests); no-op while backing off. */
  pollNow(): void {
    this.poller?.pollNow();
  }

  /** Microblog pictures are links on Weibo's image hosts (or the configured API's host, e.g. a test double). */
  fetchAttachment(ref: string): Promise<Buffer> {
    return downloadPlatformImage(ref, ['.sinaimg.cn', new URL(this.config.apiBase).hostname]);
  }

  async send(to: Address, reply: Reply): Promise<void> {
    // Anything not explicitly public goes privately: the safe direction for a reply with personal details.
    if (to.isPublic === true) await this.sendComment(to, reply);
    else await this.sendPrivate(to, reply);
  }

  private async sendComment(to: Address, reply: Reply): Promise<void> {
    const target = commentTarget(to.conversationId);
    if (!target) throw new ChannelApiError(`not a Weibo status or comment: ${to.conversationId}`, 400, 'BAD_TARGET');
    const mentionId = mentionIdFor(to.conversationId)!;
    if (reply.id && (await this.ctx.deliveredParts.partsSent(this.name, reply.id)) > 0) return;
    const text = publicCommentText(reply);
    if (!text) return;
    const by = reply.kind === 'agent' ? 'manual' : 'auto';
    // The mentions log is the console's view of what was sent: its writes are best effort (`.catch(() => {})`),
    // since the comment went out, or failed, either way; a Redis outage behind a failed write is logged once by
    // the channel connection's watcher.
    for (let n = 0; n < MAX_VARIANTS; n++) {
      const comment = commentVariant(text, mentionId, n);
      if (!(await this.recent.claim(comment))) continue;
      await this.spend();
      try {
        if (target.commentId) await this.api.replyComment(target.statusId, target.commentId, comment, this.config.rip);
        else await this.api.createComment(target.statusId, comment, this.config.rip);
      } catch (err) {
        if (err instanceof WeiboApiError && err.repeatContent) continue;
        if (err instanceof WeiboApiError && err.rateLimited) await this.budget.exhaust();
        await this.mentions.noteSendError(mentionId, (err as Error).message).catch(() => {});
        throw err;
      }
      if (reply.id) await this.ctx.deliveredParts.markSent(this.name, reply.id, 1);
      await this.mentions.addReply(mentionId, { text: comment, at: Date.now(), by }).catch(() => {});
      return;
    }
    // Refused as a repeat however it was worded: skipping beats hammering the platform with more variants.
    this.log.warn({ mentionId }, 'weibo comment skipped: refused as repeated content in every variant');
    await this.mentions.addReply(mentionId, { text, at: Date.now(), by, error: '内容重复，平台拒绝，已跳过' }).catch(() => {});
  }

  private async sendPrivate(to: Address, reply: Reply): Promise<void> {
    const uid = to.conversationId;
    if (!/^\d+$/.test(uid)) throw new ChannelApiError(`not a Weibo uid: ${uid}`, 400, 'BAD_TARGET');
    const last = await this.dm.last(uid);
    if (last === undefined || (last !== 'unknown' && Date.now() - last.getTime() > DM_WINDOW_MS)) {
      // Weibo would refuse it too; a reply that can never be delivered is failed now, not retried for hours.
      throw new ChannelApiError(`no message from ${uid} in the last 48 hours: Weibo allows no private reply`, 403, 'DM_WINDOW_CLOSED');
    }
    const parts = splitMessage(privateMessageText(reply));
    const first = reply.id ? await this.ctx.deliveredParts.partsSent(this.name, reply.id) : 0;
    for (let i = first; i < parts.length; i++) {
      await this.spend();
      try {
        await this.api.replyMessage(uid, parts[i]);
      } catch (err) {
        if (err instanceof WeiboApiError && err.rateLimited) await this.budget.exhaust();
        throw err;
      }
      if (reply.id) await this.ctx.deliveredParts.markSent(this.name, reply.id, i + 1);
    }
  }

  /** One call from the hourly budget, or "not now" for the outbound worker (delayed, no attempt spent). */
  private async spend(): Promise<void> {
    if (!(await this.budget.take('reply'))) throw new ChannelApiError('Weibo hourly call budget used up', 429, 'BUDGET', this.budget.msToReset());
  }

  async stop(): Promise<void> {
    await this.poller?.stop();
  }
}
