// The partner API channel: other front doors of the city (its app, an IVR's transcripts, a partner portal)
// POST citizens' messages here, signed per partner, and get the immediate replies in the response, like the
// web chat. Replies that come later (ticket number, feedback, return visit) are POSTed to the partner's
// callbackUrl by send(), through the `outbound` queue and its retries.
import express from 'express';
import type { ChannelAdapter, ChannelContext, IntakeResult } from '../../src/core/channel-adapter.js';
import type { Address, Reply } from '../../src/core/envelope.js';
import { ChannelApiError, IntakeUnavailableError, NormalizationError } from '../../src/core/errors.js';
import { NOT_JSON, bodyErrorHandler, sendError } from '../../src/http/http-errors.js';
import { invalidPayload, sendInvalid } from '../../src/http/validate.js';
import { postCallback } from './callback-client.js';
import { PARTNER_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignedBody } from './hmac-signature.js';
import { normalizePartnerMessage, splitConversation } from './normalize.js';
import type { ApiChannelOptions } from './partner-options.js';

export const API_MESSAGES_PATH = '/api/channels/api/messages';

export class ApiAdapter implements ChannelAdapter {
  readonly name = 'api' as const;

  constructor(private readonly opts: ApiChannelOptions) {}

  async start(ctx: ChannelContext): Promise<void> {
    const r = express.Router();
    // Raw bytes: the signature is over the body exactly as sent, so it is checked before any parsing.
    r.post(API_MESSAGES_PATH, express.raw({ type: () => true, limit: '64kb' }), (req, res) => this.receive(ctx, req, res));
    r.use('/api/channels/api', bodyErrorHandler);
    ctx.router.use(r);
    ctx.log.info({ path: API_MESSAGES_PATH, partners: [...this.opts.partners.keys()] }, 'partner API channel ready');
  }

  private async receive(ctx: ChannelContext, req: express.Request, res: express.Response): Promise<void> {
    const partnerId = req.get(PARTNER_HEADER);
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!partnerId) return sendError(res, 401, 'unauthorized', 'X-Jiesu-Partner is missing');
    const partner = this.opts.partners.get(partnerId);
    const verified = verifySignedBody({
      secret: partner?.secret,
      timestamp: req.get(TIMESTAMP_HEADER),
      signature: req.get(SIGNATURE_HEADER),
      body,
      windowSeconds: this.opts.replayWindowSeconds,
    });
    if (!verified.ok) {
      ctx.log.warn({ partner: partnerId.slice(0, 64), reason: verified.reason, ip: req.ip }, 'partner request refused');
      return sendError(res, 401, 'unauthorized', verified.reason);
    }

    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return sendInvalid(res, NOT_JSON);
    }
    let result: IntakeResult;
    try {
      result = await ctx.intake.handle(normalizePartnerMessage(partner!.id, json));
    } catch (err) {
      if (err instanceof NormalizationError) return sendInvalid(res, invalidPayload(err));
      if (err instanceof IntakeUnavailableError) {
        res.setHeader('Retry-After', String(err.retryAfterSeconds));
        return sendError(res, 503, 'unavailable', 'the message could not be queued; retry with the same messageId', { retryAfter: err.retryAfterSeconds });
      }
      throw err;
    }
    if (result.status === 'throttled') {
      // As on every channel: the sender is over its limit, told when to come back, and the message was not taken.
      res.setHeader('Retry-After', String(result.retryAfterSeconds ?? 10));
      return sendError(res, 429, 'rate_limited', result.replies[0]?.text ?? 'too many messages from this sender; slow down', {
        retryAfter: result.retryAfterSeconds,
        replies: result.replies,
      });
    }
    res.json({ status: result.status, replies: result.replies, duplicate: result.duplicate });
  }

  async send(to: Address, reply: Reply): Promise<void> {
    let target: { partnerId: string; conversationId: string };
    try {
      target = splitConversation(to.conversationId);
    } catch (err) {
      throw new ChannelApiError((err as Error).message, 400);
    }
    const partner = this.opts.partners.get(target.partnerId);
    // A partner removed from API_PARTNERS cannot be reached any more: not worth retrying.
    if (!partner) throw new ChannelApiError(`partner ${target.partnerId} is not configured`, 404);
    const senderPrefix = `${partner.id}/`;
    await postCallback(partner, {
      type: 'reply',
      id: reply.id ?? `adhoc-${Date.now()}-${Math.random().toString(36).slice(2)}`,
      conversationId: target.conversationId,
      ...(to.senderId?.startsWith(senderPrefix) ? { senderId: to.senderId.slice(senderPrefix.length) } : {}),
      reply: {
        text: reply.text,
        ...(reply.kind ? { kind: reply.kind } : {}),
        ...(reply.quickReplies?.length ? { quickReplies: reply.quickReplies } : {}),
        ...(reply.ticketNumber ? { ticketNumber: reply.ticketNumber } : {}),
        ...(reply.faqId ? { faqId: reply.faqId } : {}),
      },
      sentAt: new Date().toISOString(),
    });
  }

  async stop(): Promise<void> {}
}
