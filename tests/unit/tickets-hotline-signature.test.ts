// The hotline HMAC: signed messages verify; a changed byte, another secret, a missing header or an old
// timestamp do not.
import { describe, expect, it } from 'vitest';
import { sign, verify } from '../../src/tickets/hotline-signature.js';

const secret = 'hotline-secret-0123456789';
const now = Date.UTC(2026, 10, 28, 8, 0, 0);
const ts = String(now / 1000);
const body = Buffer.from('{"eventId":"e1","number":"20261128-000001","status":"in_progress"}');

describe('hotline signature', () => {
  it('verifies what it signed', () => {
    expect(verify(secret, { signature: sign(secret, ts, body), timestamp: ts }, body, now)).toEqual({ ok: true });
  });
  it.each([
    ['another body', { signature: sign(secret, ts, body), timestamp: ts }, Buffer.from(body.toString().replace('in_progress', 'resolved')), 'bad_signature'],
    ['another secret', { signature: sign('another-secret-0123456789', ts, body), timestamp: ts }, body, 'bad_signature'],
    ['the timestamp changed', { signature: sign(secret, ts, body), timestamp: String(Number(ts) + 1) }, body, 'bad_signature'],
    ['a truncated signature', { signature: sign(secret, ts, body).slice(0, 20), timestamp: ts }, body, 'malformed_signature'],
    ['no signature', { timestamp: ts }, body, 'missing_signature'],
    ['no timestamp', { signature: sign(secret, ts, body) }, body, 'missing_timestamp'],
    ['six minutes old', { signature: sign(secret, String(Number(ts) - 360), body), timestamp: String(Number(ts) - 360) }, body, 'stale_timestamp'],
    ['six minutes ahead', { signature: sign(secret, String(Number(ts) + 360), body), timestamp: String(Number(ts) + 360) }, body, 'stale_timestamp'],
  ] as const)('refuses %s', (_what, headers, b, reason) => {
    expect(verify(secret, headers, b, now)).toEqual({ ok: false, reason });
  });
  it('fails closed without a secret', () => {
    expect(verify(undefined, { signature: sign(secret, ts, body), timestamp: ts }, body, now)).toEqual({ ok: false, reason: 'unknown_secret' });
  });
});
