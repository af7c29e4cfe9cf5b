// What a partner may POST to /api/channels/api/messages. Strict: unknown fields are refused, so a typo in a
// partner's integration shows up as a 400 instead of a silently dropped field.
import { z } from 'zod';

const id = z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'must be 1–128 letters, digits or . _ : @ -');

export const PartnerMessageSchema = z
  .object({
    messageId: id,
    conversationId: id,
    sender: z.object({ id, name: z.string().max(100).optional() }).strict(),
    text: z.string().max(8000, 'text is longer than 2000 characters'),
    location: z
      .object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180), label: z.string().max(200).optional() })
      .strict()
      .optional(),
    attachments: z
      .array(
        z
          .object({
            kind: z.enum(['image', 'file']),
            url: z
              .string()
              .max(2000)
              .regex(/^https:\/\/[^\s]+$/, 'must be an https:// URL'),
          })
          .strict(),
      )
      .max(10)
      .optional(),
    /** The payload of a quick reply the citizen pressed in the partner's UI. */
    action: z.string().max(200).optional(),
  })
  .strict();

export type PartnerMessage = z.infer<typeof PartnerMessageSchema>;
