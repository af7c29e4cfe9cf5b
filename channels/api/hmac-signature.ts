// Partner request signing, the same both ways: Jiesu's one HMAC scheme (src/signing/hmac-signature.ts) in
//   X-Jiesu-Timestamp: unix seconds
//   X-Jiesu-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>
// Within the replay window a replay is harmless because messages are idempotent on messageId.
import { signTimestamped, timestampNow, verifyTimestamped, type HmacRefusal } from '../../src/signing/hmac-signature.js';
import { refused, VERIFIED, type Verification } from '../../src/signing/verification.js';

export const PARTNER_HEADER = 'x-jiesu-partner';
export const TIMESTAMP_HEADER = 'x-jiesu-timestamp';
export const SIGNATURE_HEADER = 'x-jiesu-signature';

export const signBody = signTimestamped;

export function signedHeaders(partnerId: string, secret: string, body: string, now: Date = new Date()): Record<string, string> {
  const timestamp = timestampNow(now);
  return { 'X-Jiesu-Partner': partnerId, 'X-Jiesu-Timestamp': timestamp, 'X-Jiesu-Signature': signBody(secret, timestamp, body) };
}

/** What a partner is told, per refusal: the header to fix, never which of partner and secret was wrong. */
const REASONS: Record<HmacRefusal, string> = {
  missing_signature: 'X-Jiesu-Signature is missing or not sha256=<hex>',
  malformed_signature: 'X-Jiesu-Signature is missing or not sha256=<hex>',
  missing_timestamp: 'X-Jiesu-Timestamp is missing or not unix seconds',
  stale_timestamp: 'X-Jiesu-Timestamp is outside the replay window',
  unknown_secret: 'unknown partner or bad signature',
  bad_signature: 'unknown partner or bad signature',
};

/** `secret` undefined (unknown partner) is refused after the same work. */
export function verifySignedBody(p: { secret: string | undefined; timestamp: unknown; signature: unknown; body: Buffer; windowSeconds: number; now?: Date }): Verification {
  const v = verifyTimestamped({ ...p, nowMs: (p.now ?? new Date()).getTime() });
  return v.ok ? VERIFIED : refused(v.reason === 'stale_timestamp' ? `X-Jiesu-Timestamp is outside the ${p.windowSeconds}-second window` : REASONS[v.reason]);
}
