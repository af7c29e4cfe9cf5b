// The web chat channel: the widget POSTs a message and gets the immediate replies in the response; replies
// that come later (ticket number, feedback) are appended to the session's history and pushed over the
// WebSocket. The session id is a random token the widget keeps in localStorage.
import express from 'express';
import type { Redis } from 'ioredis';
import { failFastRedis } from '../../src/queue/redis.js';
import type { ChannelAdapter, ChannelContext, IntakeResult } from '../../src/core/channel-adapter.js';
import type { Address, InboundMessage, Reply } from '../../src/core/envelope.js';
import { FloodLimitedError, IntakeUnavailableError } from '../../src/core/errors.js';
import { MAX_TEXT_LENGTH, normalizeText } from '../../src/core/normalize-text.js';
import { bodyErrorHandler, refuseBadBody, sendError, sendJson } from '../../src/http/http-errors.js';
import type { BodyError } from '../../src/http/raw-post.js';
import { invalidField, sendInvalid, type InvalidField } from '../../src/http/validate.js';
import type { ServerResponse } from 'node:http';
import { withTimeout } from '../../src/core/with-timeout.js';
import { WebchatHistory, pushChannelPrefix, type HistoryItem } from './history.js';
import type { TranscriptAppend, TranscriptSource } from '../../src/core/transcript.js';
import { PostMessageSchema, SessionIdSchema } from './request-schema.js';
import { SocketHub } from './socket-hub.js';
import { FloodLimiter } from '../../src/core/rate-limits.js';
import type { Logger } from '../../src/log.js';

export interface WebchatOptions {
  redisUrl: string;
  prefix: string;
  log: Logger;
  /** Requests per minute from one IP (the web chat API is public). */
  ipLimitPerMinute: number;
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
  private readonly redis: Redis;
  private readonly history: WebchatHistory;
  private hub?: SocketHub;
  private readonly ipLimit: FloodLimiter;

  constructor(private readonly opts: WebchatOptions) {
    // Fails fast when Redis is down, so the FAQ path answers instead of waiting on history writes.
    this.redis = failFastRedis(opts.redisUrl);
    this.history = new WebchatHistory(this.redis, opts.prefix);
    this.ipLimit = new FloodLimiter(this.redis, `${opts.prefix}:limit:ip`, opts.ipLimitPerMinute);
  }

  async start(ctx: ChannelContext): Promise<void> {
    this.hub = new SocketHub(pushChannelPrefix(this.opts.prefix), ctx.log);
    await this.hub.start(this.opts.redisUrl);
    ctx.onUpgrade(WEBCHAT_WS_PATH, this.hub.handleUpgrade);
    // Straight on the router we are given (no router of our own in between): every message passes here —
    // or, in the plain case (JSON, no query string, no compression), through the server's raw door, which
    // reaches postMessage without express.
    const r = ctx.router;
    ctx.rawPost?.(MESSAGES_PATH, (post) => this.postMessage(ctx, post), BODY_LIMIT_BYTES);
    r.post(
      MESSAGES_PATH,
      express.json({ limit: BODY_LIMIT_BYTES }),
      (req: express.Request, res: express.Response) => this.postMessage(ctx, { ip: req.ip ?? 'unknown', body: req.body, res }),
      (err: unknown, req: express.Request, res: express.Response, next: express.NextFunction) => this.refuseBody(err, req, res, next),
    );
    r.get('/api/webchat/sessions/:id/messages', (req, res) => this.getMessages(req, res));
    r.use('/api/webchat', bodyErrorHandler);
  }

  // Every message counts against its IP's budget before anything else, and one over it gets 429 whatever its
  // body. A message that reaches the intake is counted there, in the intake's first Redis command (the gate of
  // HandleOptions); one refused before (unparseable body, invalid fields) is counted here first, so it is
  // counted all the same and still gets 429 rather than 400 when over.

  /** Counts a refused message against its IP; true when it was over the limit and has been answered 429. */
  private async overIpLimit(ip: string, res: ServerResponse): Promise<boolean> {
    const verdict = await this.ipLimit.check(ip);
    if (verdict.ok) return false;
    this.tooManyFromIp(res, verdict.retryAfterMs);
    return true;
  }

  private tooManyFromIp(res: ServerResponse, retryAfterMs: number): void {
    const seconds = Math.ceil(retryAfterMs / 1000);
    res.setHeader('Retry-After', String(seconds));
    sendError(res, 429, 'rate_limited', 'too many requests from this address; slow down', { retryAfter: seconds });
  }

  /** body-parser could not read or parse the body: the IP count comes first, then bodyErrorHandler's 4xx. */
  private async refuseBody(err: unknown, req: express.Request, res: express.Response, next: express.NextFunction): Promise<void> {
    if (res.locals.ipCounted) return next(err);
    if (!(await this.overIpLimit(req.ip ?? 'unknown', res))) bodyErrorHandler(err, req, res, next);
  }

  /** A 400 for a field; the widget says empty_text and text_too_long in the citizen's language, so they keep their codes. */
  private async refuse(ip: string, res: ServerResponse, invalid: InvalidField, code = 'invalid_request'): Promise<void> {
    if (!(await this.overIpLimit(ip, res))) sendError(res, 400, code, invalid.reason, { field: invalid.field });
  }

  /** One message from either door: its body (or why it could not be read), its client's address, the response. */
  private async postMessage(ctx: ChannelContext, post: { ip: string; body?: unknown; bodyError?: BodyError; res: ServerResponse }): Promise<void> {
    const { ip, res } = post;
    if (post.bodyError) {
      if (!(await this.overIpLimit(ip, res))) refuseBadBody(post.bodyError, res);
      return;
    }
    const parsed = PostMessageSchema.safeParse(post.body);
    if (!parsed.success) return this.refuse(ip, res, invalidField(parsed.error, 'body'));
    const body = parsed.data;
    const photos = body.photos ?? [];
    // A message of pictures alone reads as the placeholder other channels use for one.
    const text = normalizeText(body.text) || (photos.length ? PICTURES_ONLY_TEXT : '');
    if (!text) return this.refuse(ip, res, { field: 'text', reason: 'text is empty' }, 'empty_text');
    if (text.length > MAX_TEXT_LENGTH) return this.refuse(ip, res, { field: 'text', reason: `text is longer than ${MAX_TEXT_LENGTH} characters` }, 'text_too_long');
    const receivedAt = new Date();
    const message: InboundMessage = {
      // The session is part of the id: another session reusing a message id must not see this one's replies.
      id: `webchat:${body.sessionId}/${body.messageId}`,
      channel: 'webchat',
      conversationId: body.sessionId,
      sender: { id: body.sessionId },
      text,
      isPublic: false,
      receivedAt,
      ...(body.action ? { action: body.action } : {}),
      ...(photos.length ? { attachments: photos.map((id) => ({ kind: 'image' as const, url: PHOTO_REF_PREFIX + id })) } : {}),
    };
    // The history items for this message and its replies; the intake writes them along with its ledger claim
    // when it can (result.transcribed), else they are written below.
    const transcript = new MessageHistory(this.history, body.sessionId, body.messageId, text, receivedAt);
    let result: IntakeResult;
    // From here the IP has been counted (by the intake's gate): a failure after this must not count it again.
    if ('locals' in res) (res as express.Response).locals.ipCounted = true;
    try {
      result = await ctx.intake.handle(message, { gate: { limiter: this.ipLimit, key: ip }, transcript });
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
    const items = (result.transcribed && transcript.items) || historyItems(body.messageId, text, receivedAt, result.replies);
    if (!result.duplicate && !result.transcribed) {
      // History is a convenience: with Redis down the FAQ answer is still returned.
      try {
        await withTimeout(this.history.appendAll(body.sessionId, items), 500, 'history append');
      } catch (err) {
        ctx.log.debug({ err: (err as Error).message }, 'webchat history not written');
      }
    }
    sendJson(res, 200, { replies: result.replies, messages: items, status: result.status, timeZone: this.opts.timeZone });
  }

  private async getMessages(req: express.Request, res: express.Response): Promise<void> {
    const id = SessionIdSchema.safeParse(req.params.id);
    if (!id.success) return sendInvalid(res, invalidField(id.error, 'sessionId'));
    try {
      const messages = await withTimeout(this.history.read(id.data), 1000, 'history read');
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
   * Sending is a history append and a publish on our own Redis (one script), so confirmations need no outbound
   * job: every reply is stored and pushed in one Redis round trip (the ticket worker's batch of confirmations).
   */
  async deliverLocally(deliveries: { to: Address; reply: Reply }[]): Promise<(Error | undefined)[]> {
    const at = new Date().toISOString();
    return this.history.deliverAll(deliveries.map(({ to, reply }) => ({ sessionId: to.conversationId, item: historyItemOf(reply, at) })));
  }

  socketCount(): number {
    return this.hub?.connectionCount() ?? 0;
  }

  async stop(): Promise<void> {
    await this.hub?.stop();
    this.redis.disconnect();
  }
}

/** A message and the replies it got, as history items. */
function historyItems(messageId: string, text: string, at: Date, replies: Reply[]): HistoryItem[] {
  const citizen: HistoryItem = { id: messageId, from: 'citizen', text, at: at.toISOString() };
  return [
    citizen,
    ...replies.map((r, i) => ({
      id: `${messageId}.r${i}`,
      from: 'bot' as const,
      text: r.text,
      ...(r.kind ? { kind: r.kind } : {}),
      ...(r.quickReplies ? { quickReplies: r.quickReplies } : {}),
      ...(r.ticketNumber ? { ticketNumber: r.ticketNumber } : {}),
      // Replies sort right after the message they answer.
      at: new Date(at.getTime() + 1 + i).toISOString(),
    })),
  ];
}

/** One message's history items, made when the intake asks for them (HandleOptions.transcript). */
class MessageHistory implements TranscriptSource {
  items?: HistoryItem[];

  constructor(
    private readonly history: WebchatHistory,
    private readonly sessionId: string,
    private readonly messageId: string,
    private readonly text: string,
    private readonly at: Date,
  ) {}

  append(result: { replies: Reply[] }): TranscriptAppend {
    this.items = historyItems(this.messageId, this.text, this.at, result.replies);
    return this.history.transcriptAppend(this.sessionId, this.items);
  }
}

function historyItemOf(reply: Reply, at: string): HistoryItem {
  return {
    id: reply.id ?? `out-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    from: reply.kind === 'agent' ? 'agent' : 'bot',
    text: reply.text,
    ...(reply.kind ? { kind: reply.kind } : {}),
    ...(reply.quickReplies ? { quickReplies: reply.quickReplies } : {}),
    ...(reply.ticketNumber ? { ticketNumber: reply.ticketNumber } : {}),
    at,
  };
}
