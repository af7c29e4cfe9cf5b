import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { storableMessage, type InboundMessage } from '../../src/core/envelope.js';
import { normalizeText } from '../../src/core/normalize-text.js';

const base: InboundMessage = {
  id: 'api:p/m1',
  channel: 'api',
  conversationId: 'p/c1',
  sender: { id: 'p/u1', name: '张三' },
  text: '井盖丢了',
  location: { lat: 39.9, lng: 116.4, label: '望京' },
  attachments: [{ kind: 'image', url: 'https://example.org/a.jpg' }],
  isPublic: false,
  receivedAt: new Date('2026-11-28T02:00:00Z'),
};

describe('storableMessage', () => {
  it('makes every text field of the envelope storable and leaves the rest alone', () => {
    const m = storableMessage({
      ...base,
      text: '井盖丢了\udfff',
      sender: { id: 'p/u1\u0000', name: '张\ud800三\u0007' },
      location: { lat: 39.9, lng: 116.4, label: '望京\uFFFF' },
      attachments: [{ kind: 'file', url: 'https://example.org/\u0000a.pdf' }],
      action: 'confirm:yes\u001b',
    });
    expect(m).toEqual({
      ...base,
      text: '井盖丢了\uFFFD',
      sender: { id: 'p/u1', name: '张\uFFFD三' },
      location: { lat: 39.9, lng: 116.4, label: '望京\uFFFD' },
      attachments: [{ kind: 'file', url: 'https://example.org/a.pdf' }],
      action: 'confirm:yes',
    });
  });

  it('changes nothing in a well-formed envelope', () => {
    expect(storableMessage(base)).toEqual(base);
  });

  it('repairs what a normalizer produces when its length limit cuts a 4-byte character in half', () => {
    const cut = normalizeText(`${'好'.repeat(1999)}😀`).slice(0, 2000);
    expect(cut.isWellFormed()).toBe(false);
    expect(storableMessage({ ...base, text: cut }).text).toBe(`${'好'.repeat(1999)}\uFFFD`);
  });

  it('always yields well-formed text without NUL in every field', () => {
    const any = fc.string({ unit: 'binary', maxLength: 40 });
    fc.assert(
      fc.property(any, any, any, any, (text, name, label, url) => {
        const m = storableMessage({ ...base, text, sender: { id: 'u', name }, location: { lat: 0, lng: 0, label }, attachments: [{ kind: 'image', url }] });
        for (const s of [m.text, m.sender.name!, m.location!.label!, m.attachments![0].url]) {
          expect(s.isWellFormed()).toBe(true);
          expect(s).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
        }
      }),
    );
  });
});
