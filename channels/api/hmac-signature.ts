// Partner request signing, the same both ways:
//   X-Jiesu-Timestamp: unix seconds
//   X-Jiesu-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>
// The timestamp is inside the MAC and must be within the replay window, so a captured request stops working
// after a few minutes; within them a replay is harmless because messages are idempotent on messageId.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { VerificationError } from '../../src/core/errors.js';

export const PARTNER_HEADER = 'x-jiesu-partner';
export const TIMESTAMP_HEADER = 'x-jiesu-timestamp';
export const SIGNATURE_HEADER = 'x-jiesu-signature';

export function signBody(secret: string, timestamp: string, body: Buffer | string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

export function signedHeaders(partnerId: string, secret: string, body: string, now: Date = new Date()): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return { 'X-Jiesu-Partner': partnerId, 'X-Jiesu-Timestamp': timestamp, 'X-Jiesu-Signature': signBody(secret, timestamp, body) };
}

/**
 * Throws VerificationError unless `signature` is the MAC of the body under `secret` and the timestamp is
 * fresh. `secret` undefined (unknown partner) still does the work, so timing does not tell partners apart.
 */
export function verifySignedBody(p: { secret: string | undefined; timestamp: unknown; signature: unknown; body: Buffer; windowSeconds: number; now?: Date }): void {
  if (typeof p.timestamp !== 'string' || !/^\d{1,12}$/.test(p.timestamp)) throw new VerificationError('X-Jiesu-Timestamp is missing or not unix seconds');
  if (typeof p.signature !== 'string' || !/^sha256=[0-9a-f]{64}$/i.test(p.signature)) throw new VerificationError('X-Jiesu-Signature is missing or not sha256=<hex>');
  const now = (p.now ?? new Date()).getTime() / 1000;
  if (Math.abs(now - Number(p.timestamp)) > p.windowSeconds) throw new VerificationError(`X-Jiesu-Timestamp is outside the ${p.windowSeconds}-second window`);
  const expected = Buffer.from(signBody(p.secret ?? 'unknown-partner-placeholder-secret', p.timestamp, p.body), 'utf8');
  const given = Buffer.from(p.signature.toLowerCase(), 'utf8');
  const same = expected.length === given.length && timingSafeEqual(expected, given);
  if (!same || p.secret === undefined) throw new VerificationError('unknown partner or bad signature');
}
