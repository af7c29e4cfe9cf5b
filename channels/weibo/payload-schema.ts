// The parts of Weibo's payloads the adapter reads, as zod schemas. Only normalize.ts, noise-filter.ts and
// the poller touch these shapes; everything past them sees envelopes. Unknown fields are ignored, missing
// optional ones are fine: Weibo omits fields freely (a deleted status has no user, geo is often null).
import { z } from 'zod';

/** Ids arrive as numbers (which lose precision past 2^53) and as `idstr`; idstr wins wherever it is present. */
const numericId = z.union([z.number(), z.string().regex(/^\d+$/)]).transform(String);

export const WeiboUserSchema = z.object({
  id: numericId,
  idstr: z.string().optional(),
  screen_name: z.string().optional(),
  name: z.string().optional(),
});

const GeoSchema = z
  .object({
    type: z.string().optional(),
    /** [latitude, longitude] for type Point. */
    coordinates: z.tuple([z.number(), z.number()]).optional(),
  })
  .nullable()
  .optional();

const BaseStatusSchema = z.object({
  id: numericId,
  idstr: z.string().optional(),
  mid: z.string().optional(),
  created_at: z.string(),
  text: z.string().default(''),
  user: WeiboUserSchema.nullable().optional(),
  geo: GeoSchema,
  pic_urls: z.array(z.object({ thumbnail_pic: z.string() })).optional(),
  bmiddle_pic: z.string().optional(),
  deleted: z.union([z.string(), z.number()]).optional(),
});

export const WeiboStatusSchema = BaseStatusSchema.extend({
  /** Present on reposts: what was reposted. The repost's own words are in `text`, before the first "//@". */
  retweeted_status: BaseStatusSchema.nullable().optional(),
});

export const WeiboCommentSchema = z.object({
  id: numericId,
  idstr: z.string().optional(),
  mid: z.string().optional(),
  created_at: z.string(),
  text: z.string().default(''),
  user: WeiboUserSchema,
  /** The status the comment is on. */
  status: BaseStatusSchema,
  /** The comment this one answers, when it is a reply in a thread. */
  reply_comment: z.object({ id: numericId, idstr: z.string().optional() }).nullable().optional(),
});

export const StatusMentionsSchema = z.object({ statuses: z.array(z.unknown()).default([]), total_number: z.number().optional() });
export const CommentMentionsSchema = z.object({ comments: z.array(z.unknown()).default([]), total_number: z.number().optional() });

/** A fan-service message push (private message or event), JSON variant. */
export const WeiboPushSchema = z.object({
  type: z.string(),
  receiver_id: numericId,
  sender_id: numericId,
  created_at: z.string().optional(),
  text: z.string().default(''),
  data: z.union([z.record(z.string(), z.unknown()), z.string(), z.array(z.unknown())]).optional(),
});

export type WeiboUser = z.infer<typeof WeiboUserSchema>;
export type WeiboStatus = z.infer<typeof WeiboStatusSchema>;
export type WeiboComment = z.infer<typeof WeiboCommentSchema>;
export type WeiboPush = z.infer<typeof WeiboPushSchema>;

export function idOf(x: { id: string; idstr?: string }): string {
  return x.idstr && /^\d+$/.test(x.idstr) ? x.idstr : x.id;
}

/** Weibo's "Wed Jun 01 00:50:25 +0800 2011"; undefined when unreadable. */
export function parseWeiboDate(s: string | undefined): Date | undefined {
  if (!s) return undefined;
  const m = /^\w{3} (\w{3}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) ([+-]\d{4}) (\d{4})$/.exec(s.trim());
  const d = m ? new Date(`${m[1]} ${m[2]} ${m[7]} ${m[3]}:${m[4]}:${m[5]} GMT${m[6]}`) : new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Compares decimal id strings without losing precision. */
export function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
