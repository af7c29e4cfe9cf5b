// The web chat channel: the widget POSTs a message and gets the immediate replies in the response; replies
// that come later (ticket number, feedback) are appended to the conversation log and pushed over the
// WebSocket. The session's history is its conversation log (the intake records each message there, with its
// replies, in the same Redis call as its ledger entry). The session id is a random token the widget keeps in
// localStorage.
import express from 'express';
import type { ChannelAdapter, ChannelContext, IntakeResult, JsonPost } from '../../src/core/channel-adapter.js';
import type { Address, InboundMessage, Reply } from '../../src/core/envelope.js';
import { FloodLimitedError, IntakeUnavailableError } from '../../src/core/errors.js';
import { MAX_TEXT_LENGTH, normalizeText } from '../../src/core/normalize-text.js';
import { bodyErrorHandler, refuseBadBody, sendError, sendJson } from '../../src/http/http-errors.js';
import { invalidField, sendInvalid, type InvalidField } from '../../src/http/validate.js';
import type { ServerResponse } from 'node:http';
import { withTimeout } from '../../src/core/with-timeout.js';
import { intakeTurns, replyTurn, type ConversationKey } from '../../src/core/conversation-log.js';
import type { LiveConversationLog } from '../shared/channel-context.js';
import { webchatMessageId, widgetItem } from './widget-item.js';
import { PostMessageSchema, SessionIdSchema } from './request-schema.js';
import { SocketHub } from './socket-hub.js';
import type { Logger } from '../../src/log.js';

export interface WebchatOptions {
  redisUrl: string;
  conversationLog: LiveConversationLog;
  log: Logger;
  /** The hotline's time zone (TZ_NAME): the widget shows message times in it, as tickets show their deadlines. */
  timeZone: string;
}

/** The envelope reference of a picture the widget uploaded (src/tickets/photo-store.ts reads it back). */
const PHOTO_REF_PREFIX = 'photo:';
const PICTURES_ONLY_TEXT = '[图片]';

export const WEBCHAT_WS_PATH = '/api/webchat/ws';
const MESSAGES_PATH = '/api/webchat/messages';
/** A message is at most 2,000 characters; 32 kB leaves room for any encoding of it and the ids. */
const BODY_LIMIT_BYTES = 32 * 1024;

export class WebchatAdapter implements ChannelAdapter {
  readonly name = 'webchat' as const;
  private hub?: SocketHub;

  constructor(private readonly opts: WebchatOptions) {}

  private conversation(sessionId: string): ConversationKey {
    return { channel: this.name, conversationId: sessionId };
  }

  async start(ctx: ChannelContext): Promise<void> {
    this.hub = new SocketHub((sessionId) => this.opts.conversationLog.liveChannel(this.conversation(sessionId)), ctx.log);
    await this.hub.start(this.opts.redisUrl);
    ctx.onUpgrade(WEBCHAT_WS_PATH, this.hub.handleUpgrade);
    // Every message arrives through the server's JSON POST door, ahead of express.
    if (!ctx.rawPost) throw new Error('the web chat needs the HTTP server\'s JSON POST routes (ChannelContext.rawPost)');
    const r = ctx.router;
    ctx.rawPost(MESSAGES_PATH, (post) => this.postMessage(ctx, post), BODY_LIMIT_BYTES);
    r.get('/api/webchat/sessions/:id/messages', (req, res) => this.getMessages(req, res));
    r.use('/api/webchat', bodyErrorHandler);
  }

  // Every message counts against its IP's budget before anything else, and one over it gets 429 whatever its
  // body. A message that reaches the intake is counted there, as its client (HandleOptions.client); one refused
  // before (unreadable body, invalid fields) is counted here, so it is counted all the same and gets 429 rather
  // than 400 when over.

  /** Counts a refused message against its IP; true when it was over the limit and has been answered 429. */
  private async overIpLimit(ctx: ChannelContext, ip: string, res: ServerResponse): Promise<boolean> {
    const verdict = await ctx.intake.countRefused(ip);
    if (verdict.ok) return false;
    this.tooManyFromIp(res, verdict.retryAfterMs);
    return true;
  }

  private tooManyFromIp(res: ServerResponse, retryAfterMs: number): void {
    const seconds = Math.ceil(retryAfterMs / 1000);
    res.setHeader('Retry-After', String(seconds));
    sendError(res, 429, 'rate_limited', 'too many requests from this address; slow down', { retryAfter: seconds });
  }

  /** A 400 for a field (its `rule` lets the widget say it in the citizen's language). */
  private async refuse(ctx: ChannelContext, ip: string, res: ServerResponse, invalid: InvalidField): Promise<void> {
    if (!(await this.overIpLimit(ctx, ip, res))) sendInvalid(res, invalid);
  }

  /** One message from either door: its body (or why it could not be read), its client's address, the response. */
  private async postMessage(ctx: ChannelContext, post: Pick<JsonPost, 'ip' | 'body' | 'bodyError' | 'res'>): Promise<void> {
    const { ip, res } = post;
    if (post.bodyError) {
      if (!(await this.overIpLimit(ctx, ip, res))) refuseBadBody(post.bodyError, res);
      return;
    }
    const parsed = PostMessageSchema.safeParse(post.body);
    if (!parsed.success) return this.refuse(ctx, ip, res, invalidField(parsed.error, 'body'));
    const body = parsed.data;
    const photos = body.photos ?? [];
    // A message of pictures alone reads as the placeholder other channels use for one.
    const text = normalizeText(body.text) || (photos.length ? PICTURES_ONLY_TEXT : '');
    if (!text) return this.refuse(ctx, ip, res, { field: 'text', reason: 'text is empty', rule: 'empty' });
    if (text.length > MAX_TEXT_LENGTH) return this.refuse(ctx, ip, res, { field: 'text', reason: `text is longer than ${MAX_TEXT_LENGTH} characters`, rule: 'too_long' });
    const receivedAt = new Date();
    const message: InboundMessage = {
      // The session is part of the id: another session reusing a message id must not see this one's replies.
      id: webchatMessageId(body.sessionId, body.messageId),
      channel: 'webchat',
      conversationId: body.sessionId,
      sender: { id: body.sessionId },
      text,
      isPublic: false,
      receivedAt,
      ...(body.action ? { action: body.action } : {}),
      ...(photos.length ? { attachments: photos.map((id) => ({ kind: 'image' as const, url: PHOTO_REF_PREFIX + id })) } : {}),
    };
    let result: IntakeResult;
    try {
      result = await ctx.intake.handle(message, { client: ip });
    } catch (err) {
      if (err instanceof FloodLimitedError) return this.tooManyFromIp(res, err.retryAfterMs);
      if (err instanceof IntakeUnavailableError) {
        res.setHeader('Retry-After', String(err.retryAfterSeconds));
        return sendError(res, 503, 'unavailable', 'the service cannot take complaints right now; retry with the same messageId', {
          retryAfter: err.retryAfterSeconds,
        });
      }
      throw err;
    }
    if (result.status === 'throttled') {
      res.setHeader('Retry-After', String(result.retryAfterSeconds ?? 10));
      return sendError(res, 429, 'rate_limited', result.replies[0]?.text ?? 'too many messages; slow down', {
        retryAfter: result.retryAfterSeconds,
        replies: result.replies,
      });
    }
    // The intake has recorded these in the conversation log; the widget gets them as they were recorded.
    const items = intakeTurns(message, result.replies).map((t) => widgetItem(t, body.sessionId));
    sendJson(res, 200, { replies: result.replies, messages: items, status: result.status, timeZone: this.opts.timeZone });
  }

  private async getMessages(req: express.Request, res: express.Response): Promise<void> {
    const id = SessionIdSchema.safeParse(req.params.id);
    if (!id.success) return sendInvalid(res, invalidField(id.error, 'sessionId'));
    try {
      const turns = await withTimeout(this.opts.conversationLog.read(this.conversation(id.data)), 1000, 'history read');
      const messages = turns.map((t) => widgetItem(t, id.data));
      res.setHeader('Cache-Control', 'no-store');
      sendJson(res, 200, { messages, timeZone: this.opts.timeZone });
    } catch {
      res.setHeader('Retry-After', '5');
      sendError(res, 503, 'unavailable', 'conversation history is not available right now');
    }
  }

  async send(to: Address, reply: Reply): Promise<void> {
    const [err] = await this.deliverLocally([{ to, reply }]);
    if (err) throw err;
  }

  /**
   * Sending is an append to the conversation log, which publishes it to the session's open widgets in the same
   * script: no platform to wait out, so the ticket worker delivers a batch's confirmations in one round trip.
   */
  async deliverLocally(deliveries: { to: Address; reply: Reply }[]): Promise<(Error | undefined)[]> {
    const at = new Date();
    return this.opts.conversationLog.appendEach(
      deliveries.map(({ to, reply }) => ({
        conversation: this.conversation(to.conversationId),
        turns: [replyTurn(reply, reply.id ?? `out-${at.getTime()}-${Math.random().toString(36).slice(2)}`, at)],
      })),
    );
  }

  async stop(): Promise<void> {
    await this.hub?.stop();
  }
}
