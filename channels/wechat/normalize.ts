// The only place that knows the shape of a WeChat push: parsed <xml> fields in, an envelope (or what to do
// instead) out. Pure: no I/O, the clock is passed in. Anything it cannot read is a NormalizationError.
import type { InboundMessage } from '../../src/core/envelope.js';
import { NormalizationError } from '../../src/core/errors.js';
import { MAX_TEXT_LENGTH, normalizeText } from '../../src/core/normalize-text.js';
import { field, requiredField, type XmlFields } from './wechat-xml.js';

export type WechatInbound =
  /** Something for the intake. */
  | { kind: 'message'; account: string; openId: string; message: InboundMessage }
  /** A new follower: greeted, nothing stored. */
  | { kind: 'subscribe'; account: string; openId: string }
  /** A message type we cannot read (video, link, voice without recognition): the citizen is asked for text. */
  | { kind: 'unsupported'; account: string; openId: string; msgType: string }
  /** Pushes that need no answer (unsubscribe, menu links, position reports): `success`, nothing stored. */
  | { kind: 'ignore'; account: string; openId: string; reason: string };

// OpenIDs are 28 characters of base64url today; the bound is loose on purpose but keeps junk out of keys.
const OPEN_ID = /^[A-Za-z0-9_-]{6,64}$/;
const DIGITS = /^\d{1,20}$/;

export function normalizeWechat(fields: XmlFields, now: Date = new Date()): WechatInbound {
  const account = requiredField(fields, 'ToUserName');
  const openId = requiredField(fields, 'FromUserName');
  if (!OPEN_ID.test(openId)) throw new NormalizationError('<FromUserName> is not an OpenID', 'FromUserName');
  const createTime = requiredField(fields, 'CreateTime');
  if (!DIGITS.test(createTime)) throw new NormalizationError('<CreateTime> is not a number', 'CreateTime');
  const msgType = requiredField(fields, 'MsgType');
  const base = { account, openId };

  if (msgType === 'event') return normalizeEvent(fields, base, createTime, now);

  const msgId = requiredField(fields, 'MsgId');
  if (!DIGITS.test(msgId)) throw new NormalizationError('<MsgId> is not a number', 'MsgId');
  const envelope = (text: string, extra: Partial<InboundMessage> = {}): WechatInbound => ({
    kind: 'message',
    ...base,
    message: {
      id: `wechat:${msgId}`,
      channel: 'wechat',
      conversationId: openId,
      sender: { id: openId },
      text: clip(normalizeText(text)),
      isPublic: false,
      receivedAt: now,
      ...extra,
    },
  });

  switch (msgType) {
    case 'text':
      return envelope(field(fields, 'Content') ?? '');
    case 'image': {
      const url = field(fields, 'PicUrl');
      const mediaId = field(fields, 'MediaId');
      if (!url && !mediaId) throw new NormalizationError('image message has neither <PicUrl> nor <MediaId>', 'PicUrl');
      // PicUrl is a temporary CDN link; the media id lets staff fetch the original for 3 days.
      return envelope('', { attachments: [{ kind: 'image', url: url && /^https?:\/\//.test(url) ? url : `wechat-media:${mediaId ?? ''}` }] });
    }
    case 'location': {
      const lat = coordinate(field(fields, 'Location_X'), 90, 'Location_X');
      const lng = coordinate(field(fields, 'Location_Y'), 180, 'Location_Y');
      const label = normalizeText(field(fields, 'Label') ?? '').slice(0, 200);
      return envelope(label, { location: { lat, lng, ...(label ? { label } : {}) } });
    }
    case 'voice': {
      // Accounts with speech recognition turned on get the words; without them there is nothing to read.
      const words = field(fields, 'Recognition');
      return words ? envelope(words) : { kind: 'unsupported', ...base, msgType };
    }
    default:
      return { kind: 'unsupported', ...base, msgType: msgType.slice(0, 32) };
  }
}

function normalizeEvent(fields: XmlFields, base: { account: string; openId: string }, createTime: string, now: Date): WechatInbound {
  const event = requiredField(fields, 'Event');
  switch (event) {
    case 'subscribe':
      return { kind: 'subscribe', ...base };
    case 'CLICK': {
      // Menu keys are set to the words a citizen would type (e.g. 我的工单), so a click reads like a message.
      const key = normalizeText(field(fields, 'EventKey') ?? '');
      if (!key) throw new NormalizationError('CLICK event has no <EventKey>', 'EventKey');
      return {
        kind: 'message',
        ...base,
        message: {
          id: `wechat:${base.openId}:${createTime}:${event}`,
          channel: 'wechat',
          conversationId: base.openId,
          sender: { id: base.openId },
          text: clip(key),
          action: key.slice(0, 200),
          isPublic: false,
          receivedAt: now,
        },
      };
    }
    default:
      return { kind: 'ignore', ...base, reason: `event ${event.slice(0, 32)}` };
  }
}

function coordinate(raw: string | undefined, bound: number, name: string): number {
  const v = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(v) || Math.abs(v) > bound) throw new NormalizationError(`<${name}> is not a coordinate`, name);
  return v;
}

// WeChat cannot show our 400 reason to the citizen, so an over-long text is kept (clipped), not refused.
function clip(text: string): string {
  return text.length > MAX_TEXT_LENGTH ? text.slice(0, MAX_TEXT_LENGTH) : text;
}
