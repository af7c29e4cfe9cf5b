// The Telegram normalizer against recorded Update shapes, and against anything at all: it returns an
// envelope or undefined, and throws nothing but NormalizationError.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { commandText, normalizeUpdate } from '../../channels/telegram/normalize-update.js';
import { NormalizationError } from '../../src/core/errors.js';
import { MAX_TEXT_LENGTH } from '../../src/core/normalize-text.js';

const fixture = (name: string): any => JSON.parse(readFileSync(new URL(`../../channels/telegram/fixtures/${name}.json`, import.meta.url), 'utf8'));
const NOW = new Date('2026-11-28T04:00:00Z');

describe('telegram normalizeUpdate', () => {
  it('turns a private text message into an envelope', () => {
    const m = normalizeUpdate(fixture('text-message'), NOW)!;
    expect(m).toEqual({
      id: 'telegram:5012345678:1201',
      channel: 'telegram',
      conversationId: '5012345678',
      sender: { id: '5012345678', name: '晓明 王' },
      text: '社保卡丢了怎么补办？',
      isPublic: false,
      receivedAt: new Date(1764302400 * 1000),
    });
  });

  it('greets on /start and asks for tickets on /status, also in a group with the bot named', () => {
    expect(normalizeUpdate(fixture('start-command'), NOW)!.text).toBe('你好');
    const status = normalizeUpdate(fixture('status-command'), NOW)!;
    expect(status.text).toBe('查询工单 20261128-000123');
    expect(status.isPublic).toBe(true);
    expect(status.conversationId).toBe('-1001987654321');
    expect(commandText('/status')).toBe('我的工单');
    expect(commandText('/help')).toBe('帮助');
    expect(commandText('/unknown thing')).toBe('/unknown thing');
    expect(commandText('井盖丢了')).toBe('井盖丢了');
    const mention = fixture('status-command');
    mention.message.text = '@Beijing12345Bot 小区井盖丢了 @wangxm';
    expect(normalizeUpdate(mention, NOW)!.text).toBe('小区井盖丢了 @wangxm');
  });

  it('keeps a location, with the venue as its label', () => {
    const bare = normalizeUpdate(fixture('location-message'), NOW)!;
    expect(bare.location).toEqual({ lat: 39.921789, lng: 116.443267 });
    expect(bare.text).toBe('[位置]');
    const venue = normalizeUpdate(fixture('venue-message'), NOW)!;
    expect(venue.location).toEqual({ lat: 39.908722, lng: 116.397499, label: '天安门广场 北京市东城区东长安街' });
    expect(venue.text).toBe('天安门广场 北京市东城区东长安街');
  });

  it('references the largest photo size and takes the caption as text', () => {
    const m = normalizeUpdate(fixture('photo-message'), NOW)!;
    expect(m.attachments).toEqual([{ kind: 'image', url: 'tg-file:AgACAgUAAxkBAAIEy2VnLarge' }]);
    expect(m.text).toBe('小区门口的井盖丢了好几天了，晚上很危险');
  });

  it('turns a pressed button into an action, with the button label as text', () => {
    const m = normalizeUpdate(fixture('callback-query'), NOW)!;
    expect(m).toMatchObject({
      id: 'telegram:cb:2154826390112837461',
      conversationId: '5012345678',
      sender: { id: '5012345678' },
      text: '社保卡丢失如何补办',
      action: 'faq:shebao-card-lost',
      receivedAt: NOW,
    });
  });

  it('ignores stickers, edits and other bots', () => {
    expect(normalizeUpdate(fixture('sticker-message'), NOW)).toBeUndefined();
    expect(normalizeUpdate(fixture('edited-message'), NOW)).toBeUndefined();
    const fromBot = fixture('text-message');
    fromBot.message.from.is_bot = true;
    expect(normalizeUpdate(fromBot, NOW)).toBeUndefined();
  });

  it('cuts text longer than the pipeline takes, never inside a surrogate pair', () => {
    const u = fixture('text-message');
    u.message.text = '井'.repeat(MAX_TEXT_LENGTH - 1) + '😀' + '盖'.repeat(100);
    const m = normalizeUpdate(u, NOW)!;
    expect(m.text.length).toBe(MAX_TEXT_LENGTH - 1);
  });

  it('rejects malformed updates with NormalizationError', () => {
    const cases: unknown[] = [
      null,
      'update',
      {},
      { update_id: 'x' },
      { update_id: 1, message: { message_id: 1, date: 1, chat: { id: '5', type: 'private' }, text: 'hi' } },
      { update_id: 1, message: { message_id: 1, date: 1, chat: { id: 5, type: 'private' }, text: 42 } },
      { update_id: 1, callback_query: { id: 'x', from: { id: 1 }, data: 'd'.repeat(65) } },
      { update_id: 1, message: null },
    ];
    for (const c of cases) expect(() => normalizeUpdate(c, NOW), JSON.stringify(c)).toThrow(NormalizationError);
  });

  it('never throws anything but NormalizationError, whatever arrives', () => {
    const user = fc.record({ id: fc.oneof(fc.integer(), fc.double(), fc.string()), is_bot: fc.oneof(fc.boolean(), fc.string()), first_name: fc.string() }, { requiredKeys: [] });
    const chat = fc.record({ id: fc.oneof(fc.integer(), fc.bigInt().map(String), fc.constant(null)), type: fc.constantFrom('private', 'group', 'supergroup', 'channel', '') }, { requiredKeys: [] });
    const message = fc.record(
      {
        message_id: fc.oneof(fc.integer(), fc.string()),
        date: fc.oneof(fc.integer(), fc.double()),
        chat,
        from: user,
        text: fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 5000 }), fc.integer()),
        caption: fc.string(),
        photo: fc.array(fc.record({ file_id: fc.oneof(fc.string(), fc.integer()) })),
        location: fc.record({ latitude: fc.double(), longitude: fc.double() }),
        venue: fc.anything(),
        reply_markup: fc.anything(),
      },
      { requiredKeys: [] },
    );
    const callback = fc.record({ id: fc.string(), from: user, message, data: fc.string() }, { requiredKeys: [] });
    // Well-formed messages whose text is anything at all, so the success path is exercised too.
    const wellFormed = fc.record({
      update_id: fc.nat(),
      message: fc.record({
        message_id: fc.nat(),
        date: fc.nat(),
        chat: fc.record({ id: fc.integer(), type: fc.constantFrom('private', 'group', 'supergroup') }),
        text: fc.string({ unit: 'binary', maxLength: 5000 }),
      }),
    });
    const update = fc.oneof(
      wellFormed,
      fc.anything(),
      fc.record({ update_id: fc.oneof(fc.integer(), fc.anything()), message: fc.oneof(message, fc.anything()) }, { requiredKeys: [] }),
      fc.record({ update_id: fc.integer(), callback_query: fc.oneof(callback, fc.anything()) }, { requiredKeys: [] }),
    );
    fc.assert(
      fc.property(update, (u) => {
        try {
          const m = normalizeUpdate(u, NOW);
          if (m) {
            expect(m.text.length).toBeGreaterThan(0);
            expect(m.text.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
            expect(m.id.startsWith('telegram:')).toBe(true);
          }
        } catch (err) {
          if (!(err instanceof NormalizationError)) throw err;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
