// The Slack normalizers against recorded payload shapes, and against anything at all: an envelope or
// undefined, and nothing thrown but NormalizationError.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { commandText, normalizeBlockActions, normalizeCommand, normalizeEvent } from '../../channels/slack/normalize.js';
import { plainText } from '../../channels/slack/slack-text.js';
import { slackDestination } from '../../channels/slack/conversation-id.js';
import { NormalizationError } from '../../src/core/errors.js';
import { MAX_TEXT_LENGTH } from '../../src/core/normalize-text.js';

const fixture = (name: string): any => JSON.parse(readFileSync(new URL(`../../channels/slack/fixtures/${name}.json`, import.meta.url), 'utf8'));
const NOW = new Date('2026-11-28T04:00:00Z');

describe('slack normalizeEvent', () => {
  it('turns a direct message into a private envelope answered in the DM', () => {
    expect(normalizeEvent(fixture('event-message-im'))).toEqual({
      id: 'slack:D0PNCRP9N:1764302400.000200',
      channel: 'slack',
      conversationId: 'D0PNCRP9N',
      sender: { id: 'U061F7AUR' },
      text: '公积金怎么提取？',
      isPublic: false,
      receivedAt: new Date(1764302400000),
    });
  });

  it('turns an @mention into a public envelope answered in its thread, mention and entities removed', () => {
    const m = normalizeEvent(fixture('event-app-mention'))!;
    expect(m).toMatchObject({
      id: 'slack:C0LAN2Q65:1764303000.000400',
      conversationId: 'C0LAN2Q65:1764303000.000400',
      text: '我们园区门口的路灯坏了一周了 & 晚上很黑，请派人修一下',
      isPublic: true,
    });
    expect(slackDestination(m.conversationId)).toEqual({ channel: 'C0LAN2Q65', threadTs: '1764303000.000400' });
    expect(slackDestination('D0PNCRP9N')).toEqual({ channel: 'D0PNCRP9N' });
  });

  it('keeps shared files as attachments', () => {
    const m = normalizeEvent(fixture('event-file-share'))!;
    expect(m.attachments).toEqual([{ kind: 'image', url: 'https://files.slack.com/files-pri/T0J1F6H2K-F07PHOTO123/img_2041.jpg' }]);
    expect(m.text).toBe('[图片]');
  });

  it("ignores the app's own messages, edits, and a mention inside a DM", () => {
    expect(normalizeEvent(fixture('event-message-im-bot-echo'))).toBeUndefined();
    expect(normalizeEvent(fixture('event-message-changed'))).toBeUndefined();
    const dmMention = fixture('event-app-mention');
    dmMention.event.channel = 'D0PNCRP9N';
    expect(normalizeEvent(dmMention)).toBeUndefined();
    const reaction = fixture('event-message-im');
    reaction.event = { type: 'reaction_added', user: 'U061F7AUR', reaction: 'thumbsup', item: {} };
    expect(normalizeEvent(reaction)).toBeUndefined();
  });

  it('names a message by channel and ts, so every retry of its event maps to one id', () => {
    const first = fixture('event-message-im');
    const retry = fixture('event-message-im');
    expect(normalizeEvent(retry)!.id).toBe(normalizeEvent(first)!.id);
    retry.event.ts = '1764302400.000201';
    expect(normalizeEvent(retry)!.id).not.toBe(normalizeEvent(first)!.id);
  });
});

describe('slack normalizeCommand', () => {
  it('turns /12345 查询 <number> into a ticket query answered in the DM', () => {
    const m = normalizeCommand(fixture('slash-command'), '/12345', NOW);
    expect(m).toEqual({
      id: 'slack:cmd:8123456789013.19041234567.6a2f1e9c3b0d4e5f6a7b8c9d0e1f2a3b',
      channel: 'slack',
      conversationId: 'U061F7AUR',
      sender: { id: 'U061F7AUR', name: 'li.hua' },
      text: '查询工单 20261128-000123',
      isPublic: false,
      receivedAt: NOW,
    });
  });

  it('maps the command text to what a citizen would type', () => {
    expect(commandText('查询 20261128-000123')).toBe('查询工单 20261128-000123');
    expect(commandText('查询工单 20261128-000123')).toBe('查询工单 20261128-000123');
    expect(commandText('status 20261128-000123')).toBe('查询工单 20261128-000123');
    expect(commandText('查询')).toBe('我的工单');
    expect(commandText('')).toBe('帮助');
    expect(commandText('公司门口的共享单车堆了一片')).toBe('公司门口的共享单车堆了一片');
    expect(commandText('查询 公积金')).toBe('查询 公积金');
  });

  it('refuses another command', () => {
    expect(() => normalizeCommand({ ...fixture('slash-command'), command: '/other' }, '/12345', NOW)).toThrow(NormalizationError);
  });
});

describe('slack normalizeBlockActions', () => {
  it('turns a button press into an action with the label as text', () => {
    const m = normalizeBlockActions(fixture('block-actions'), NOW)!;
    expect(m).toMatchObject({
      id: 'slack:act:8123456789999.19041234567.0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      conversationId: 'D0PNCRP9N',
      sender: { id: 'U061F7AUR', name: 'li.hua' },
      text: '公积金提取条件',
      action: 'faq:gjj-withdraw',
      isPublic: false,
    });
  });

  it('answers a press in a channel in the thread of the message', () => {
    const p = fixture('block-actions');
    p.channel = { id: 'C0LAN2Q65', name: 'general' };
    p.message.thread_ts = '1764303000.000400';
    expect(normalizeBlockActions(p, NOW)!.conversationId).toBe('C0LAN2Q65:1764303000.000400');
  });

  it('ignores elements other than buttons', () => {
    const p = fixture('block-actions');
    p.actions = [{ type: 'static_select', action_id: 'x', selected_option: { value: 'a' } }];
    expect(normalizeBlockActions(p, NOW)).toBeUndefined();
  });
});

describe('slack mrkdwn', () => {
  it('reads mentions, channels, links and entities as a person would', () => {
    expect(plainText('<@U07BOT> 看 <https://12345.beijing.gov.cn|官网> 和 <#C0LAN2Q65|general> &lt;急&gt; <!here>')).toBe('  看 官网 和 #general <急> @here');
  });
});

describe('slack normalizers on hostile input', () => {
  const id = fc.oneof(fc.constantFrom('U061F7AUR', 'D0PNCRP9N', 'C0LAN2Q65'), fc.string(), fc.integer());
  const ts = fc.oneof(fc.constantFrom('1764302400.000200', '1.1'), fc.string(), fc.double());
  const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 5000 }), fc.integer(), fc.constant(undefined));
  const event = fc.record(
    {
      type: fc.constantFrom('message', 'app_mention', 'reaction_added', ''),
      subtype: fc.constantFrom(undefined, 'file_share', 'bot_message'),
      channel: id,
      channel_type: fc.constantFrom('im', 'channel', undefined),
      user: id,
      bot_id: fc.constantFrom(undefined, 'B1'),
      text,
      ts,
      thread_ts: ts,
      files: fc.anything(),
    },
    { requiredKeys: [] },
  );
  const envelope = fc.oneof(fc.anything(), fc.record({ type: fc.constantFrom('event_callback', 'x'), event_id: fc.string(), event: fc.oneof(event, fc.anything()) }, { requiredKeys: [] }));
  const command = fc.record({ command: fc.constantFrom('/12345', '/x'), text: fc.string({ unit: 'binary' }), user_id: id, channel_id: id, trigger_id: fc.string(), user_name: fc.string() }, { requiredKeys: [] });
  const actions = fc.oneof(
    fc.anything(),
    fc.record(
      {
        type: fc.constantFrom('block_actions', 'view_submission'),
        trigger_id: fc.string(),
        user: fc.oneof(fc.record({ id }), fc.anything()),
        channel: fc.oneof(fc.record({ id }), fc.anything()),
        container: fc.oneof(fc.record({ message_ts: ts, channel_id: id }, { requiredKeys: [] }), fc.anything()),
        actions: fc.array(fc.record({ type: fc.constantFrom('button', 'overflow'), action_id: fc.string(), value: fc.oneof(fc.string(), fc.integer()), text: fc.record({ text: fc.string() }) }, { requiredKeys: [] })),
      },
      { requiredKeys: [] },
    ),
  );
  const check = (fn: () => { text: string; id: string } | undefined) => {
    try {
      const m = fn();
      if (m) {
        expect(m.text.length).toBeGreaterThan(0);
        expect(m.text.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
        expect(m.id.startsWith('slack:')).toBe(true);
      }
    } catch (err) {
      if (!(err instanceof NormalizationError)) throw err;
    }
  };

  it('never throws anything but NormalizationError', () => {
    fc.assert(fc.property(envelope, (e) => check(() => normalizeEvent(e))), { numRuns: 1500 });
    fc.assert(fc.property(command, (c) => check(() => normalizeCommand(c as Record<string, string>, '/12345', NOW))), { numRuns: 1500 });
    fc.assert(fc.property(actions, (a) => check(() => normalizeBlockActions(a, NOW))), { numRuns: 1500 });
  });
});
