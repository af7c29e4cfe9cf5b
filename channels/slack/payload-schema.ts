// The parts of Slack's payloads this adapter reads: Events API envelopes
// (https://api.slack.com/apis/events-api#callback-field), slash command form posts
// (https://api.slack.com/interactivity/slash-commands#app_command_handling) and block_actions interaction
// payloads (https://api.slack.com/reference/interaction-payloads/block-actions). With the normalizers, the
// only place that knows these shapes. Unknown fields are ignored; the ones read are checked.
import { z } from 'zod';

const slackId = z.string().regex(/^[A-Z0-9]{2,32}$/, 'must be a Slack id');
/** Message timestamps ("1700000000.123456") are ids too: they name a message within its channel. */
const ts = z.string().regex(/^\d{1,12}\.\d{1,9}$/, 'must be a Slack timestamp');

export const UrlVerificationSchema = z.object({ type: z.literal('url_verification'), challenge: z.string().max(256) });

const FileSchema = z.object({
  id: z.string().max(64),
  mimetype: z.string().max(255).optional(),
  url_private: z.string().max(2048).optional(),
});

export const MessageEventSchema = z.object({
  type: z.enum(['message', 'app_mention']),
  subtype: z.string().optional(),
  channel: slackId,
  channel_type: z.string().optional(),
  user: slackId.optional(),
  bot_id: z.string().optional(),
  text: z.string().max(40_000).optional(),
  ts,
  thread_ts: ts.optional(),
  files: z.array(FileSchema).max(20).optional(),
});

export const EventCallbackSchema = z.object({
  type: z.literal('event_callback'),
  event_id: z.string().min(1).max(64),
  /** Checked in full by the normalizer once the type says it is one this adapter reads. */
  event: z.object({ type: z.string() }),
});

export const SlashCommandSchema = z.object({
  command: z.string().max(64),
  text: z.string().max(4000).default(''),
  user_id: slackId,
  user_name: z.string().max(128).optional(),
  channel_id: slackId,
  trigger_id: z.string().min(1).max(128),
});

export const BlockActionsSchema = z.object({
  type: z.literal('block_actions'),
  trigger_id: z.string().min(1).max(128),
  user: z.object({ id: slackId, name: z.string().max(128).optional(), username: z.string().max(128).optional() }),
  channel: z.object({ id: slackId }).optional(),
  container: z.object({ message_ts: ts.optional(), channel_id: slackId.optional() }),
  message: z.object({ ts: ts.optional(), thread_ts: ts.optional() }).optional(),
  actions: z
    .array(
      z.object({
        type: z.string(),
        action_id: z.string().max(255),
        value: z.string().max(2000).optional(),
        text: z.object({ text: z.string().max(256) }).optional(),
        action_ts: ts.optional(),
      }),
    )
    .min(1),
});

export type MessageEvent = z.infer<typeof MessageEventSchema>;
export type SlashCommand = z.infer<typeof SlashCommandSchema>;
export type BlockActions = z.infer<typeof BlockActionsSchema>;
