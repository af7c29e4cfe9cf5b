// The parts of a Bot API Update (https://core.telegram.org/bots/api#update) this adapter reads. Together with
// normalize-update.ts, the only place that knows the payload's shape. Unknown fields are ignored, so newer
// Bot API versions keep working; the fields read are checked, so a hostile payload cannot smuggle in a
// non-string text or a chat id that is not a number.
import { z } from 'zod';

const id = z.number().int().refine(Number.isSafeInteger, 'must be a safe integer');

export const UserSchema = z.object({
  id,
  is_bot: z.boolean().optional(),
  first_name: z.string().max(256).optional(),
  last_name: z.string().max(256).optional(),
  username: z.string().max(64).optional(),
});

const ChatSchema = z.object({ id, type: z.string().max(32) });

const LocationSchema = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
});

const FileRefSchema = z.object({ file_id: z.string().min(1).max(256) });

const InlineKeyboardSchema = z.object({
  inline_keyboard: z.array(z.array(z.object({ text: z.string(), callback_data: z.string().optional() }))),
});

export const MessageSchema = z.object({
  message_id: id,
  date: z.number().int().nonnegative(),
  chat: ChatSchema,
  from: UserSchema.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  /** The same photo in several sizes, smallest first. */
  photo: z.array(FileRefSchema).optional(),
  document: FileRefSchema.optional(),
  location: LocationSchema.optional(),
  venue: z.object({ location: LocationSchema, title: z.string().max(512), address: z.string().max(512).optional() }).optional(),
  reply_markup: InlineKeyboardSchema.optional(),
});

export const CallbackQuerySchema = z.object({
  id: z.string().min(1).max(128),
  from: UserSchema,
  /** The message with the keyboard; absent for inline-mode messages, `date: 0` when no longer accessible. */
  message: z.object({ message_id: id, chat: ChatSchema, date: z.number().int(), reply_markup: InlineKeyboardSchema.optional() }).optional(),
  data: z.string().max(64).optional(),
});

export const UpdateSchema = z.object({
  update_id: id,
  message: z.unknown().optional(),
  callback_query: z.unknown().optional(),
});

export type TelegramUser = z.infer<typeof UserSchema>;
export type TelegramMessage = z.infer<typeof MessageSchema>;
export type TelegramCallbackQuery = z.infer<typeof CallbackQuerySchema>;
