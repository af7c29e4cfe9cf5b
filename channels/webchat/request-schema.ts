// What the widget may POST. Ids are opaque tokens the widget generates (UUIDs); text is checked after
// normalization, so zero-width padding cannot sneak past the length limit or make an empty message.
import { z } from 'zod';

const token = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8–64 letters, digits, _ or -');

export const PostMessageSchema = z.object({
  sessionId: token,
  messageId: token,
  text: z.string().max(8000, 'text is longer than 2000 characters'),
  action: z.string().max(200).optional(),
  /** Ids POST /api/webchat/photos returned for this session's pictures (at most three per message). */
  photos: z.array(z.string().uuid('must be a photo id from /api/webchat/photos')).max(3, 'at most 3 pictures per message').optional(),
}).strict();

export type PostMessageBody = z.infer<typeof PostMessageSchema>;

export const SessionIdSchema = token;
