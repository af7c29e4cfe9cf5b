// Slack payloads → envelopes: pure functions (no I/O, the clock passed in), tested on recorded payloads and
// random ones. Each returns undefined for what carries nothing to answer (edits, other bots, our own
// messages, a mention that the DM event already delivers) and throws NormalizationError, only that, for
// malformed input.
import type { z } from 'zod';
import type { InboundMessage } from '../../src/core/envelope.js';
import { NormalizationError } from '../../src/core/errors.js';
import { invalidField } from '../../src/http/validate.js';
import { MAX_TEXT_LENGTH, normalizeText } from '../../src/core/normalize-text.js';
import { threadConversationId } from './conversation-id.js';
import { BlockActionsSchema, EventCallbackSchema, MessageEventSchema, SlashCommandSchema } from './payload-schema.js';
import { plainText } from './slack-text.js';

const PLACEHOLDER = { image: '[图片]', file: '[文件]', button: '[按钮]' } as const;
const TICKET_NUMBER = /^\d{8}-\d{6}$/;

/** An Events API `event_callback` envelope: direct messages to the app, and @mentions in channels. */
export function normalizeEvent(body: unknown): InboundMessage | undefined {
  const envelope = parse(EventCallbackSchema, body, 'event envelope');
  if (envelope.event.type !== 'message' && envelope.event.type !== 'app_mention') return undefined;
  // Re-read the raw event: the envelope schema kept only its type.
  const e = parse(MessageEventSchema, (body as { event: unknown }).event, 'event');
  // Bots, including this app's own replies echoed back as message.im events: answering them would loop.
  if (e.bot_id || !e.user) return undefined;
  const isDm = e.channel.startsWith('D');
  if (e.type === 'message') {
    // Only plain DMs (and DMs with files); channel traffic reaches us as app_mention, edits are not new asks.
    if (e.channel_type !== 'im' || (e.subtype !== undefined && e.subtype !== 'file_share')) return undefined;
  } else if (isDm) {
    // A mention inside the DM arrives twice (message.im and app_mention); the DM event is the one kept.
    return undefined;
  }
  const attachments = (e.files ?? []).map((f) => ({
    kind: f.mimetype?.startsWith('image/') ? ('image' as const) : ('file' as const),
    url: f.url_private ?? `slack-file:${f.id}`,
  }));
  const text = limit(normalizeText(plainText(e.text ?? ''))) || (attachments[0] ? PLACEHOLDER[attachments[0].kind] : '');
  if (!text) return undefined;
  return {
    // Channel + ts names the message itself: Slack's retries of one event and the message/app_mention pair
    // of one message all collapse onto one id.
    id: `slack:${e.channel}:${e.ts}`,
    channel: 'slack',
    conversationId: isDm ? e.channel : threadConversationId(e.channel, e.thread_ts ?? e.ts),
    sender: { id: e.user },
    text,
    ...(attachments.length ? { attachments } : {}),
    isPublic: !isDm,
    receivedAt: fromTs(e.ts),
  };
}

/** The `/12345` slash command's form post. Replies go to the user's DM with the app. */
export function normalizeCommand(form: unknown, expectedCommand: string, now: Date): InboundMessage {
  const c = parse(SlashCommandSchema, form, 'slash command');
  if (c.command !== expectedCommand) throw new NormalizationError(`slack slash command: command: ${c.command} is not ${expectedCommand}`, 'command');
  const name = normalizeText(c.user_name ?? '').slice(0, 128);
  return {
    id: `slack:cmd:${c.trigger_id}`,
    channel: 'slack',
    conversationId: c.user_id,
    sender: { id: c.user_id, ...(name ? { name } : {}) },
    text: commandText(c.text),
    isPublic: false,
    receivedAt: now,
  };
}

/**
 * What `/12345 …` asks, in the words the pipeline knows: `查询 20261128-000123` (or `status …`) asks for one
 * ticket, a bare `查询` for all of the user's tickets, an empty command for the menu; anything else is the
 * question or complaint itself.
 */
export function commandText(raw: string): string {
  const text = limit(normalizeText(plainText(raw)));
  if (!text) return '帮助';
  const query = /^(?:查询|查|status|query)(?:\s*工单)?(?:\s+(\S+))?$/i.exec(text);
  if (query && (!query[1] || TICKET_NUMBER.test(query[1]))) return query[1] ? `查询工单 ${query[1]}` : '我的工单';
  return text;
}

/** A Block Kit button press (quick reply, return-visit rating). Other interactive elements are ignored. */
export function normalizeBlockActions(payload: unknown, now: Date): InboundMessage | undefined {
  const p = parse(BlockActionsSchema, payload, 'block_actions');
  const action = p.actions[0];
  if (action.type !== 'button' || action.value === undefined) return undefined;
  const channel = p.channel?.id ?? p.container.channel_id;
  // Buttons on the App Home tab or in a modal: no conversation to answer in.
  if (!channel) return undefined;
  const isDm = channel.startsWith('D');
  const threadTs = p.message?.thread_ts ?? p.container.message_ts;
  const name = normalizeText(p.user.name ?? p.user.username ?? '').slice(0, 128);
  return {
    id: `slack:act:${p.trigger_id}`,
    channel: 'slack',
    conversationId: isDm || !threadTs ? channel : threadConversationId(channel, threadTs),
    sender: { id: p.user.id, ...(name ? { name } : {}) },
    text: limit(normalizeText(action.text?.text ?? '')) || limit(normalizeText(action.value)) || PLACEHOLDER.button,
    action: action.value,
    isPublic: !isDm,
    receivedAt: action.action_ts ? fromTs(action.action_ts) : now,
  };
}

function fromTs(ts: string): Date {
  return new Date(Math.round(Number(ts) * 1000));
}

/** Slack allows 40,000 characters, the pipeline 2,000: the rest is cut rather than the message lost. */
function limit(text: string): string {
  if (text.length <= MAX_TEXT_LENGTH) return text;
  const cut = text.slice(0, MAX_TEXT_LENGTH);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const invalid = invalidField(r.error, 'body');
  throw new NormalizationError(`slack ${what}: ${invalid.reason}`, invalid.field);
}
