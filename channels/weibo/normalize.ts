// Weibo payloads → envelopes: the only place that knows how a status, a comment and a message push look.
// Pure functions; the poller and the push route call them. A mention's text loses what is not the citizen's
// own words: the repost chain after "//@", the @-names, and t.cn short links.
import type { InboundMessage } from '../../src/core/envelope.js';
import type { z } from 'zod';
import { NormalizationError } from '../../src/core/errors.js';
import { invalidField } from '../../src/http/validate.js';
import { MAX_TEXT_LENGTH, normalizeText } from '../../src/core/normalize-text.js';
import { createHash } from 'node:crypto';
import {
  WeiboCommentSchema,
  WeiboPushSchema,
  WeiboStatusSchema,
  idOf,
  parseWeiboDate,
  type WeiboComment,
  type WeiboPush,
  type WeiboStatus,
} from './payload-schema.js';

export type MentionKind = 'status' | 'comment';

/** What the poller hands on: the envelope plus what the console shows about the mention. */
export interface Mention {
  kind: MentionKind;
  /** Platform id (idstr) of the status or comment: the cursor value. */
  platformId: string;
  message: InboundMessage;
  /** The words as posted (for the console), before cleaning. */
  rawText: string;
  author: { id: string; name?: string };
  link: string;
  createdAt: Date;
  /** Set on reposts: whether the repost carries words of its own. */
  repost?: { ownText: string };
}

const MENTION = /@[\p{L}\p{N}_-]{1,30}/gu;
const SHORT_LINK = /https?:\/\/(t\.cn|weibo\.cn|m\.weibo\.cn|weibo\.com)\/\S*/gi;

/** The repost's own words: Weibo appends the reposted chain as "//@name:text". */
export function ownWords(text: string): string {
  const i = text.indexOf('//@');
  return (i >= 0 ? text.slice(0, i) : text).trim();
}

/** What the NLU should read: no repost chain, no @-names, no short links. */
export function cleanMentionText(text: string): string {
  const cleaned = normalizeText(ownWords(text).replace(SHORT_LINK, ' ').replace(MENTION, ' ').replace(/^回复\s*[:：]/, ''));
  return cleaned.slice(0, MAX_TEXT_LENGTH);
}

export function mentionLink(uid: string, mid: string): string {
  return `https://weibo.com/${uid}/${mid}`;
}

function receivedAt(createdAt: string, now: Date): Date {
  const d = parseWeiboDate(createdAt);
  // A clock far ahead (or an unreadable date) must not make a ticket's time limit start in the future.
  return d && d.getTime() <= now.getTime() + 60_000 ? d : now;
}

function parse<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.output<S> {
  const r = schema.safeParse(raw);
  if (!r.success) {
    const invalid = invalidField(r.error, 'body');
    throw new NormalizationError(`weibo ${what}: ${invalid.reason}`, invalid.field);
  }
  return r.data;
}

export function normalizeStatus(raw: unknown, now: Date): Mention {
  const s: WeiboStatus = parse(WeiboStatusSchema, raw, 'status');
  if (!s.user) throw new NormalizationError(`weibo status ${idOf(s)} has no author (deleted?)`, 'user');
  const id = idOf(s);
  const uid = idOf(s.user);
  const at = receivedAt(s.created_at, now);
  const coords = s.geo?.type === 'Point' ? s.geo.coordinates : undefined;
  const pics = (s.pic_urls ?? []).map((p) => p.thumbnail_pic.replace('/thumbnail/', '/large/'));
  const message: InboundMessage = {
    id: `weibo:status:${id}`,
    channel: 'weibo',
    conversationId: id,
    sender: { id: uid, ...(s.user.screen_name ? { name: s.user.screen_name } : {}) },
    text: cleanMentionText(s.text),
    ...(coords ? { location: { lat: coords[0], lng: coords[1] } } : {}),
    ...(pics.length ? { attachments: pics.map((url) => ({ kind: 'image' as const, url })) } : {}),
    isPublic: true,
    receivedAt: at,
  };
  return {
    kind: 'status',
    platformId: id,
    message,
    rawText: s.text,
    author: message.sender,
    link: mentionLink(uid, s.mid && /^\d+$/.test(s.mid) ? s.mid : id),
    createdAt: at,
    ...(s.retweeted_status ? { repost: { ownText: cleanMentionText(s.text) } } : {}),
  };
}

/** A comment's replies go back into its thread: the conversation is "<status id>/<comment id>". */
export function normalizeComment(raw: unknown, now: Date): Mention {
  const c: WeiboComment = parse(WeiboCommentSchema, raw, 'comment');
  const id = idOf(c);
  const statusId = idOf(c.status);
  const uid = idOf(c.user);
  const at = receivedAt(c.created_at, now);
  const message: InboundMessage = {
    id: `weibo:comment:${id}`,
    channel: 'weibo',
    conversationId: `${statusId}/${id}`,
    sender: { id: uid, ...(c.user.screen_name ? { name: c.user.screen_name } : {}) },
    text: cleanMentionText(c.text),
    isPublic: true,
    receivedAt: at,
  };
  const statusAuthor = c.status.user ? idOf(c.status.user) : uid;
  return { kind: 'comment', platformId: id, message, rawText: c.text, author: message.sender, link: mentionLink(statusAuthor, statusId), createdAt: at };
}

/** Where a public reply goes, read back from an envelope's conversationId. */
export function commentTarget(conversationId: string): { statusId: string; commentId?: string } | undefined {
  const m = /^(\d+)(?:\/(\d+))?$/.exec(conversationId);
  if (!m) return undefined;
  return m[2] ? { statusId: m[1], commentId: m[2] } : { statusId: m[1] };
}

/** The mentions-log id of the mention a public reply answers. */
export function mentionIdFor(conversationId: string): string | undefined {
  const t = commentTarget(conversationId);
  if (!t) return undefined;
  return t.commentId ? `weibo:comment:${t.commentId}` : `weibo:status:${t.statusId}`;
}

export function parsePush(raw: unknown): WeiboPush {
  return parse(WeiboPushSchema, raw, 'push');
}

/**
 * A private message (fan-service push) → an envelope in the sender's private conversation; undefined for
 * events (follow, unfollow, menu) and types this gateway does not read. Pushes carry no message id: Weibo
 * retries a push up to three times, so the id is derived from sender, time and content.
 */
export function normalizePush(p: WeiboPush, now: Date): InboundMessage | undefined {
  const data = typeof p.data === 'object' && p.data !== null && !Array.isArray(p.data) ? p.data : {};
  const base = {
    channel: 'weibo' as const,
    conversationId: p.sender_id,
    sender: { id: p.sender_id },
    isPublic: false,
    receivedAt: receivedAt(p.created_at ?? '', now),
  };
  const key = createHash('sha1')
    .update(`${p.type}\n${p.created_at ?? ''}\n${p.text}\n${JSON.stringify(p.data ?? null)}`)
    .digest('hex')
    .slice(0, 16);
  const id = `weibo:dm:${p.sender_id}:${key}`;
  switch (p.type) {
    case 'text': {
      const text = normalizeText(p.text).slice(0, MAX_TEXT_LENGTH);
      return text ? { ...base, id, text } : undefined;
    }
    case 'position': {
      const lat = Number(data.latitude);
      const lng = Number(data.longitude);
      if (!Number.isFinite(lat) || !Number.isFinite(lng)) return undefined;
      const label = normalizeText(p.text);
      return { ...base, id, text: label, location: { lat, lng, ...(label ? { label } : {}) } };
    }
    case 'image': {
      // The image itself is only reachable with the account's token (vfid); staff see it on Weibo.
      const text = normalizeText(p.text);
      return { ...base, id, text: text && text !== '分享图片' ? text : '[图片]' };
    }
    default:
      return undefined;
  }
}
