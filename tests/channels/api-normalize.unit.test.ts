// The partner channel's pure parts: configuration, request signatures and the normalizer, on fixtures and
// on random and hostile bodies (only NormalizationError, which the route turns into a 400).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizePartnerMessage, splitConversation } from '../../channels/api/normalize.js';
import { signBody, verifySignedBody } from '../../channels/api/hmac-signature.js';
import { apiOptionsFromEnv } from '../../channels/api/partner-options.js';
import { NormalizationError } from '../../src/core/errors.js';
import { PartnerMessageSchema } from '../../channels/api/request-schema.js';
import { parse as parseYaml } from 'yaml';

const FIXTURES = join(import.meta.dirname, '../../channels/api/fixtures');
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const now = new Date('2026-11-28T06:30:00Z');
const SECRET = 'city-app-shared-secret-0123456789abcdef';

describe('partner normalizer', () => {
  it('reads a message; the partner is part of every id', () => {
    expect(normalizePartnerMessage('city-app', fixture('message.json'), now)).toEqual({
      id: 'api:city-app/app-20261128-7f3a9c',
      channel: 'api',
      conversationId: 'city-app/conv-5521',
      sender: { id: 'city-app/user-88231', name: '王女士' },
      text: '我家小区门口的井盖丢了好几天了，晚上很危险', // NFKC folds the full-width comma; it is put back in Chinese
      isPublic: false,
      receivedAt: now,
    });
    expect(splitConversation('city-app/conv/5521')).toEqual({ partnerId: 'city-app', conversationId: 'conv/5521' });
  });

  it('keeps location and attachments', () => {
    const m = normalizePartnerMessage('ivr', fixture('message-with-location.json'), now);
    expect(m.location).toEqual({ lat: 39.9087, lng: 116.3975, label: '东城区东华门街道' });
    expect(m.attachments).toEqual([{ kind: 'image', url: 'https://app.example.gov.cn/uploads/3f9a.jpg' }]);
  });

  const ok = fixture('message.json');
  const bad: [string, unknown, RegExp][] = [
    ['no text', { ...ok, text: undefined }, /text/],
    ['empty text', { ...ok, text: ' \u200b ' }, /empty/],
    ['long text', { ...ok, text: '井'.repeat(2001) }, /2000/],
    ['bad id', { ...ok, messageId: '../x' }, /messageId/],
    ['extra field', { ...ok, priority: 'high' }, /priority|unrecognized/i],
    ['bad location', { ...ok, location: { lat: 91, lng: 0 } }, /location\.lat/],
    ['http attachment', { ...ok, attachments: [{ kind: 'image', url: 'http://x/y.jpg' }] }, /https/],
    ['javascript attachment', { ...ok, attachments: [{ kind: 'file', url: 'javascript:alert(1)' }] }, /https/],
    ['array body', [ok], /body|expected object/i],
    ['null', null, /body|expected object/i],
  ];
  for (const [name, body, reason] of bad)
    it(`refuses ${name} with a reason`, () => {
      expect(() => normalizePartnerMessage('city-app', body, now)).toThrow(NormalizationError);
      expect(() => normalizePartnerMessage('city-app', body, now)).toThrow(reason);
    });

  it('never throws anything but NormalizationError on random and hostile bodies', () => {
    const hostile = fc.record(
      {
        messageId: fc.oneof(fc.string(), fc.constant('m-1'), fc.integer()),
        conversationId: fc.oneof(fc.string(), fc.constant('c-1')),
        sender: fc.oneof(fc.record({ id: fc.oneof(fc.string(), fc.constant('u-1')), name: fc.string() }, { requiredKeys: ['id'] }), fc.anything()),
        text: fc.oneof(fc.string({ maxLength: 3000 }), fc.string({ unit: 'binary', maxLength: 100 }), fc.anything()),
        location: fc.oneof(fc.record({ lat: fc.double(), lng: fc.double(), label: fc.string() }), fc.anything()),
        attachments: fc.oneof(fc.array(fc.record({ kind: fc.constantFrom('image', 'file', 'video'), url: fc.webUrl() })), fc.anything()),
        __proto__: fc.anything(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(hostile, fc.anything(), fc.jsonValue()), (body) => {
        try {
          normalizePartnerMessage('city-app', body, now);
        } catch (err) {
          if (!(err instanceof NormalizationError)) throw err;
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('partner request signature', () => {
  const body = Buffer.from('{"messageId":"m-1"}');
  const ts = String(now.getTime() / 1000);
  const good = { secret: SECRET, timestamp: ts, signature: signBody(SECRET, ts, body), body, windowSeconds: 300, now };

  it('accepts HMAC-SHA256 over timestamp.body', () => {
    expect(good.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignedBody(good)).toEqual({ ok: true });
  });

  it('fails closed', () => {
    const cases: [Partial<typeof good> & Record<string, unknown>, RegExp][] = [
      [{ secret: undefined }, /unknown partner or bad signature/],
      [{ signature: signBody('another-secret-another-secret-0000', ts, body) }, /bad signature/],
      [{ body: Buffer.from('{"messageId":"m-2"}') }, /bad signature/],
      [{ signature: undefined }, /Signature is missing/],
      [{ signature: 'sha1=abc' }, /Signature/],
      [{ timestamp: undefined }, /Timestamp is missing/],
      [{ timestamp: String(Number(ts) - 301), signature: signBody(SECRET, String(Number(ts) - 301), body) }, /window/],
      [{ timestamp: String(Number(ts) + 301), signature: signBody(SECRET, String(Number(ts) + 301), body) }, /window/],
    ];
    for (const [change, reason] of cases) {
      const v = verifySignedBody({ ...good, ...change } as typeof good);
      expect(v.ok, JSON.stringify(change)).toBe(false);
      expect(!v.ok && v.reason).toMatch(reason);
    }
  });
});

describe('API_PARTNERS', () => {
  const partner = { id: 'city-app', secret: SECRET, callbackUrl: 'https://app.example.gov.cn/jiesu/callback' };
  it('is off when unset and parsed when valid', () => {
    expect(apiOptionsFromEnv({})).toBeUndefined();
    const o = apiOptionsFromEnv({ API_PARTNERS: JSON.stringify([partner]) });
    expect(o?.partners.get('city-app')).toEqual(partner);
    expect(o?.replayWindowSeconds).toBe(300);
  });
  it('names every problem without printing secrets', () => {
    const bad = [
      { ...partner, secret: 'short' },
      { ...partner, id: 'City App', callbackUrl: 'http://app.example.gov.cn/cb' },
    ];
    let message = '';
    try {
      apiOptionsFromEnv({ API_PARTNERS: JSON.stringify(bad) });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/API_PARTNERS\[0\]\.secret: must be at least 32/);
    expect(message).toMatch(/API_PARTNERS\[1\]\.id/);
    expect(message).toMatch(/API_PARTNERS\[1\]\.callbackUrl: must be an https/);
    expect(message).not.toContain('short');
    expect(() => apiOptionsFromEnv({ API_PARTNERS: '[{' })).toThrow(/not valid JSON/);
    expect(() => apiOptionsFromEnv({ API_PARTNERS: JSON.stringify([partner, partner]) })).toThrow(/unique/);
  });
});

describe('docs/channels-api.openapi.yaml', () => {
  const doc = parseYaml(readFileSync(join(import.meta.dirname, '../../docs/channels-api.openapi.yaml'), 'utf8'));
  const op = doc.paths['/api/channels/api/messages'].post;

  it('is OpenAPI 3.1 with the inbound path and the callback webhook', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.webhooks.reply.post.requestBody).toBeDefined();
  });

  it("has request examples the server accepts, and documents every field the server accepts", () => {
    for (const [name, ex] of Object.entries(op.requestBody.content['application/json'].examples as Record<string, { value: unknown }>))
      expect(() => normalizePartnerMessage('city-app', ex.value, now), name).not.toThrow();
    const documented = Object.keys(doc.components.schemas.PartnerMessage.properties).sort();
    expect(documented).toEqual(Object.keys(PartnerMessageSchema.shape).sort());
  });

  it('documents the callback exactly as sent (fixture)', () => {
    const documented = Object.keys(doc.components.schemas.PartnerCallback.properties).sort();
    expect(Object.keys(fixture('callback.json')).sort()).toEqual(documented);
  });
});
