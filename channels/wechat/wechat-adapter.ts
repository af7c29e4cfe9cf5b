// The WeChat official account channel. WeChat POSTs XML to our server URL and waits 5 seconds, retrying
// three times with the same MsgId. FAQ answers go back passively in the response; everything that takes
// longer (ticket number, feedback, return visit) is answered `success` now and delivered later through the
// customer-service API by send(). A push that could not be made durable gets a 503, so WeChat retries it.
// In plain mode the signature covers only the query string: a signed query seen before with another body is
// a replay and gets 401 (replay-guard.ts); safe mode's msg_signature covers the body and needs no such check.
import { downloadPlatformImage } from '../../src/photos/download.js';
import express from 'express';
import type { ChannelAdapter, ChannelContext as StartContext, IntakeResult } from '../../src/core/channel-adapter.js';
import type { Address, Reply } from '../../src/core/envelope.js';
import { IntakeUnavailableError, NormalizationError, VerificationError } from '../../src/core/errors.js';
import { PHRASES } from '../../src/core/replies.js';
import type { Logger } from '../../src/log.js';
import { ReplayGuard } from '../replay-guard.js';
import type { ChannelContext } from '../shared/channel-context.js';
import { invalidPayload, sendInvalid } from '../../src/http/validate.js';
import { WechatMessageCrypto } from './message-crypto.js';
import { normalizeWechat, type WechatInbound } from './normalize.js';
import { encryptedReplyXml, passiveTextXml } from './passive-reply.js';
import { clipForWechat, joinReplies, replyText, splitForWechat } from './reply-text.js';
import { verifyMsgSignature, verifyUrlSignature } from './signature.js';
import { WechatApi } from './wechat-api.js';
import type { WechatOptions } from './wechat-options.js';
import { field, parseWechatXml } from './wechat-xml.js';

export const WECHAT_PATH = '/api/channels/wechat';
/** Pushes are a few hundred bytes; anything this large is not from WeChat. */
const BODY_LIMIT = '64kb';

/** What a handled push answers: a passive text, or the bare `success` that tells WeChat not to retry. */
type PushAnswer = { text: string } | { success: true };

export class WechatAdapter implements ChannelAdapter {
  readonly name = 'wechat' as const;
  readonly api: WechatApi;
  private readonly crypto?: WechatMessageCrypto;
  private readonly replays: ReplayGuard;
  private readonly log: Logger;

  constructor(
    private readonly options: WechatOptions,
    private readonly ctx: ChannelContext,
  ) {
    const o = options;
    this.log = ctx.log.child({ channel: 'wechat' });
    // The shared client fails fast: nothing here may hold a push past WeChat's 5 seconds while Redis is away.
    const redis = ctx.redis.client;
    if (o.encodingAesKey) this.crypto = new WechatMessageCrypto(o.encodingAesKey, o.appId);
    this.replays = new ReplayGuard(redis, `${ctx.prefix}:wechat`, o.replayWindowSeconds * 1000);
    this.api = new WechatApi({ apiBase: o.apiBase, appId: o.appId, appSecret: o.appSecret, redis, redisKey: `${ctx.prefix}:wechat:token:${o.appId}` });
  }

  async start(ctx: StartContext): Promise<void> {
    const r = express.Router();
    r.get(WECHAT_PATH, (req, res) => this.verifyServer(req, res));
    r.post(WECHAT_PATH, express.text({ type: () => true, limit: BODY_LIMIT }), (req, res) => this.receive(ctx, req, res));
    r.use(WECHAT_PATH, (err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
      const e = err as { type?: string; status?: number };
      if (e.type === 'entity.too.large') return void res.status(413).type('text/plain').send('payload too large');
      if (e.status === 400) return sendInvalid(res, { field: 'body', reason: 'body: could not be read' });
      if (typeof e.status === 'number' && e.status > 400 && e.status < 500) return void res.status(e.status).type('text/plain').send('bad request');
      next(err);
    });
    ctx.router.use(r);
    if (!this.crypto) await this.replays.ready();
    ctx.log.info({ path: WECHAT_PATH, safeMode: !!this.crypto }, 'wechat channel ready');
  }

  /** Server URL verification (服务器配置): echo `echostr` when the signature is ours. */
  private verifyServer(req: express.Request, res: express.Response): void {
    const query = req.query as Record<string, unknown>;
    const verified = verifyUrlSignature(this.options.token, query, this.options.replayWindowSeconds);
    if (!verified.ok) {
      this.log.warn({ reason: verified.reason, ip: req.ip }, 'wechat URL verification refused');
      return void res.status(401).type('text/plain').send('invalid signature');
    }
    const echo = query.echostr;
    if (typeof echo !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(echo)) return sendInvalid(res, { field: 'echostr', reason: 'echostr: is missing or not 1–128 letters, digits, _ or -' });
    res.type('text/plain').send(echo);
  }

  private async receive(ctx: StartContext, req: express.Request, res: express.Response): Promise<void> {
    const query = req.query as Record<string, unknown>;
    const raw = typeof req.body === 'string' ? req.body : '';
    let inbound: WechatInbound;
    let encrypted = false;
    try {
      const fields = await this.open(query, raw);
      encrypted = fields.encrypted;
      inbound = normalizeWechat(fields.fields);
    } catch (err) {
      if (err instanceof VerificationError) {
        ctx.log.warn({ reason: err.message, ip: req.ip }, 'wechat push refused');
        return void res.status(401).type('text/plain').send('invalid signature');
      }
      if (err instanceof NormalizationError) return sendInvalid(res, invalidPayload(err));
      if (err instanceof IntakeUnavailableError) {
        ctx.log.warn({ reason: err.message }, 'wechat push not taken: replay check unavailable');
        res.setHeader('Retry-After', String(err.retryAfterSeconds));
        return void res.status(503).type('text/plain').send('temporarily unavailable');
      }
      throw err;
    }

    let answer: PushAnswer;
    try {
      answer = await this.answer(ctx, inbound);
    } catch (err) {
      if (err instanceof IntakeUnavailableError) {
        // Not acknowledged: WeChat retries with the same MsgId, and the retry finds Redis back (or not).
        res.setHeader('Retry-After', String(err.retryAfterSeconds));
        return void res.status(503).type('text/plain').send('temporarily unavailable');
      }
      throw err;
    }
    if ('success' in answer) return void res.type('text/plain').send('success');
    const plainXml = passiveTextXml({ openId: inbound.openId, account: inbound.account, text: clipForWechat(answer.text) });
    const xml = encrypted && this.crypto ? encryptedReplyXml({ plainXml, crypto: this.crypto, token: this.options.token }) : plainXml;
    res.type('application/xml').send(xml);
  }

  /**
   * Verifies the push and returns its fields, decrypted in safe mode. Throws VerificationError for a forged,
   * stale or replayed push, IntakeUnavailableError when a plain-mode replay cannot be ruled out (Redis down).
   */
  private async open(query: Record<string, unknown>, raw: string): Promise<{ fields: ReturnType<typeof parseWechatXml>; encrypted: boolean }> {
    const o = this.options;
    if (!this.crypto) {
      if (query.encrypt_type === 'aes') throw new VerificationError('encrypted push, but WECHAT_ENCODING_AES_KEY is not set');
      // Plain mode's signature covers only token, timestamp and nonce: check it, and that this signed query has
      // not come with another body, before reading anything.
      const verified = verifyUrlSignature(o.token, query, o.replayWindowSeconds);
      if (!verified.ok) throw new VerificationError(verified.reason);
      const { signature, timestamp, nonce } = query as Record<string, string>;
      if ((await this.replays.check({ signature, timestamp, nonce }, raw)) === 'replay') throw new VerificationError('signed query replayed with another body');
      return { fields: parseWechatXml(raw), encrypted: false };
    }
    // Safe mode is required once a key is configured: a plaintext push could not be told from a forgery.
    const outer = parseWechatXml(raw);
    const encryptedPart = field(outer, 'Encrypt');
    if (!encryptedPart) throw new VerificationError('safe mode is on and the push has no <Encrypt>');
    const verified = verifyMsgSignature(o.token, query, encryptedPart, o.replayWindowSeconds);
    if (!verified.ok) throw new VerificationError(verified.reason);
    return { fields: parseWechatXml(this.crypto.decrypt(encryptedPart)), encrypted: true };
  }

  private async answer(ctx: StartContext, inbound: WechatInbound): Promise<PushAnswer> {
    switch (inbound.kind) {
      case 'subscribe':
        return { text: PHRASES.zh.greeting };
      case 'unsupported':
        return { text: PHRASES.zh.noise };
      case 'ignore':
        return { success: true };
      case 'message': {
        // A typed "2" after a numbered list is mapped to the second button by the core, which remembers
        // the buttons it offered; the adapter only numbers them (reply-text.ts).
        const result: IntakeResult = await ctx.intake.handle(inbound.message);
        if (result.status !== 'answered' || result.replies.length === 0) return { success: true };
        return { text: joinReplies(result.replies) };
      }
    }
  }

  /** Customer-service message to the follower; long texts go as several messages, each sent once. */
  /**
   * An image message's PicUrl, on WeChat's picture hosts (or the configured API's host). A `wechat-media:` id
   * (no PicUrl) is not fetched: it needs the media API, which is left for later.
   */
  fetchAttachment(ref: string): Promise<Buffer> {
    return downloadPlatformImage(ref, ['.qpic.cn', '.qlogo.cn', new URL(this.options.apiBase).hostname]);
  }

  async send(to: Address, reply: Reply): Promise<void> {
    const openId = to.conversationId;
    const parts = splitForWechat(replyText(reply));
    const first = reply.id ? await this.ctx.deliveredParts.partsSent(this.name, reply.id) : 0;
    for (let i = first; i < parts.length; i++) {
      await this.api.sendText(openId, parts[i]);
      if (reply.id) await this.ctx.deliveredParts.markSent(this.name, reply.id, i + 1);
    }
  }

  async stop(): Promise<void> {}
}
