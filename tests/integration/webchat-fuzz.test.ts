// Hostile and random input to the web chat API (fast-check): never a crash or a 5xx, a 4xx with a reason for
// anything malformed, and nothing stored for it. Also CORS: only configured portal origins get access.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ CORS_ORIGINS: 'https://www.beijing.gov.cn', SENDER_LIMIT_PER_MINUTE: '100000', IP_LIMIT_PER_MINUTE: '100000' });
});
afterAll(async () => {
  await gw?.stop();
});

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom(
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE tickets; --",
    '1 OR 1=1',
    '\u200b\u200b\u200b',
    '\u202e井盖丢了\u202c',
    '\u0000\u0001\u0002',
    '${jndi:ldap://x}',
    '{{7*7}}',
    '井'.repeat(2001),
  ),
);

/** A JSON text nested `depth` objects deep, built as text (JSON.stringify would overflow the stack first). */
function nestedBody(depth: number): string {
  return `{"sessionId":"fuzz-session-0002","messageId":"m-00000${depth % 10}","text":${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}}`;
}

async function post(body: string | Buffer): Promise<{ status: number; json: any }> {
  const res = await fetch(`${gw.url}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : new Uint8Array(body) });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json };
}

describe('web chat API under hostile input', () => {
  it('answers random bodies with 200 or a 4xx that gives a reason, never a 5xx', async () => {
    const before = await gw.gateway.services.store.count();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.anything().map((v) => JSON.stringify(v) ?? 'null'),
          fc.record({ sessionId: hostileString, messageId: hostileString, text: hostileString }).map((v) => JSON.stringify(v)),
          fc.record({ sessionId: fc.constant('fuzz-session-0001'), messageId: fc.uuid(), text: hostileString, extra: fc.anything() }, { requiredKeys: ['sessionId', 'messageId', 'text'] }).map((v) => JSON.stringify(v)),
          fc.string().map((s) => `{"sessionId": ${s}`),
        ),
        async (body) => {
          const r = await post(body);
          expect(r.status, body.slice(0, 120)).toBeLessThan(500);
          if (r.status !== 200) expect(typeof r.json?.reason, body.slice(0, 120)).toBe('string');
        },
      ),
      { numRuns: 150 },
    );
    // Only well-formed messages of the one valid session can have made anything (a complaint whose place was
    // never given becomes a triage ticket after two tries); nothing else was stored.
    const { items } = await gw.gateway.services.store.list({ limit: 500 });
    expect(items.filter((t) => t.senderId !== 'fuzz-session-0001')).toEqual([]);
    expect(items.length).toBeLessThanOrEqual(before + 150);
  });

  it('rejects deeply nested, huge and invalid-UTF-8 bodies cleanly', async () => {
    expect((await post(nestedBody(100_000))).status).toBe(413);
    expect((await post(nestedBody(5000))).status).toBe(400);
    expect((await post('x'.repeat(1_000_000))).status).toBe(413);
    const invalidUtf8 = Buffer.concat([Buffer.from('{"sessionId":"fuzz-session-0003","messageId":"m-000003","text":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}')]);
    const r = await post(invalidUtf8);
    // Bytes that are not UTF-8 are read as U+FFFD (as body-parser reads them): the message is taken, and what
    // the session's history keeps is exactly what the citizen was shown, in text every store accepts.
    expect(r.status).toBe(200);
    expect(r.json.messages[0]).toMatchObject({ id: 'm-000003', from: 'citizen', text: '\uFFFD(\uFFFD\uFFFD' });
    const history = await fetch(`${gw.url}/api/webchat/sessions/fuzz-session-0003/messages`);
    expect(history.status).toBe(200);
    expect((await history.json()).messages).toEqual(r.json.messages);
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    fetch(`${gw.url}/api/webchat/messages`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
  it('allows the configured portal origin', async () => {
    expect((await preflight('https://www.beijing.gov.cn')).headers.get('access-control-allow-origin')).toBe('https://www.beijing.gov.cn');
  });
  it('does not allow any other origin', async () => {
    expect((await preflight('https://evil.example.com')).headers.get('access-control-allow-origin')).toBeNull();
  });
});
