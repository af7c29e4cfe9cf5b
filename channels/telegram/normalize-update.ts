// Update → envelope: a pure function (no I/O, the clock passed in), so it is tested against recorded
// payloads and random ones alike. Returns undefined for updates that carry nothing to answer (stickers,
// edits, service messages, other bots); throws NormalizationError, and only that, for malformed ones.
import type { z } from 'zod';
import type { InboundMessage } from '../../src/core/envelope.js';
import { NormalizationError } from '../../src/core/errors.js';
import { invalidField } from '../../src/http/validate.js';
import { MAX_TEXT_LENGTH, normalizeText } from '../../src/core/normalize-text.js';
import {
  CallbackQuerySchema,
  MessageSchema,
  UpdateSchema,
  type TelegramCallbackQuery,
  type TelegramMessage,
  type TelegramUser,
} from './update-schema.js';

/** Attachments are referenced, not downloaded: staff fetch them with getFile when they open the ticket. */
export const FILE_REF_PREFIX = 'tg-file:';

// In a group the bot is addressed as @SomethingBot; bot usernames always end in "bot", people's rarely.
const BOT_MENTION = /@[A-Za-z0-9_]{2,29}bot\b/gi;

// What a bare attachment says to the pipeline, so it still reaches a person (who can ask for the details).
const PLACEHOLDER = { location: '[位置]', image: '[图片]', file: '[文件]', button: '[按钮]' } as const;

export function normalizeUpdate(raw: unknown, now: Date): InboundMessage | undefined {
  const update = parse(UpdateSchema, raw, 'update');
  if (update.message !== undefined) return fromMessage(parse(MessageSchema, update.message, 'message'));
  if (update.callback_query !== undefined) return fromCallback(parse(CallbackQuerySchema, update.callback_query, 'callback_query'), now);
  // edited_message, channel_post, my_chat_member, …: nothing a citizen asked.
  return undefined;
}

function fromMessage(m: TelegramMessage): InboundMessage | undefined {
  if (m.from?.is_bot || m.chat.type === 'channel') return undefined;
  const place = m.venue?.location ?? m.location;
  const location = place
    ? { lat: place.latitude, lng: place.longitude, ...(m.venue ? { label: limit(normalizeText([m.venue.title, m.venue.address].filter(Boolean).join(' '))) } : {}) }
    : undefined;
  const attachments: NonNullable<InboundMessage['attachments']> = [];
  // Sizes come smallest first; the largest is the one worth keeping.
  const photo = m.photo?.at(-1);
  if (photo) attachments.push({ kind: 'image', url: FILE_REF_PREFIX + photo.file_id });
  if (m.document) attachments.push({ kind: 'file', url: FILE_REF_PREFIX + m.document.file_id });

  let text = limit(normalizeText(commandText(m.text ?? m.caption ?? '').replace(BOT_MENTION, ' ')));
  if (!text) text = location?.label || (location ? PLACEHOLDER.location : attachments[0] ? PLACEHOLDER[attachments[0].kind] : '');
  if (!text) return undefined;

  return {
    id: `telegram:${m.chat.id}:${m.message_id}`,
    channel: 'telegram',
    conversationId: String(m.chat.id),
    sender: sender(m.from, m.chat.id),
    text,
    ...(location ? { location } : {}),
    ...(attachments.length ? { attachments } : {}),
    // In a group everyone reads the bot's answers.
    isPublic: m.chat.type !== 'private',
    // Telegram's own timestamp: a redelivered update normalizes to the same envelope.
    receivedAt: new Date(m.date * 1000),
  };
}

function fromCallback(q: TelegramCallbackQuery, now: Date): InboundMessage | undefined {
  // No data: a game button. No message: inline mode, which this bot does not offer.
  if (q.data === undefined || !q.message || q.from.is_bot) return undefined;
  const label = q.message.reply_markup?.inline_keyboard.flat().find((b) => b.callback_data === q.data)?.text;
  const text = limit(normalizeText(label ?? '')) || limit(normalizeText(q.data)) || PLACEHOLDER.button;
  return {
    id: `telegram:cb:${q.id}`,
    channel: 'telegram',
    conversationId: String(q.message.chat.id),
    sender: sender(q.from, q.message.chat.id),
    text,
    action: q.data,
    isPublic: q.message.chat.type !== 'private',
    receivedAt: now,
  };
}

/**
 * Bot commands become what a citizen would have typed: /start greets, /status asks for their tickets
 * (/status 20261128-000123 for one), /help shows the menu. Other text passes through.
 */
export function commandText(text: string): string {
  const cmd = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]{1,64})?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!cmd) return text;
  const rest = cmd[2]?.trim() ?? '';
  switch (cmd[1].toLowerCase()) {
    case 'start':
      return '你好';
    case 'status':
      return rest ? `查询工单 ${rest}` : '我的工单';
    case 'help':
      return '帮助';
    default:
      return text;
  }
}

function sender(from: TelegramUser | undefined, chatId: number): InboundMessage['sender'] {
  if (!from) return { id: String(chatId) };
  const name = limit(normalizeText([from.first_name, from.last_name].filter(Boolean).join(' ') || from.username || ''), 128);
  return { id: String(from.id), ...(name ? { name } : {}) };
}

/** Telegram allows 4,096 characters, the pipeline 2,000: the rest is cut rather than the message lost. */
function limit(text: string, max = MAX_TEXT_LENGTH): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  // Never leave half a surrogate pair behind.
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const invalid = invalidField(r.error, 'body');
  throw new NormalizationError(`telegram ${what}: ${invalid.reason}`, invalid.field);
}
