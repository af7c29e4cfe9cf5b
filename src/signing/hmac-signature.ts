// The one HMAC scheme of Jiesu's own signed HTTP (the partner API both ways, the city hotline both ways):
//   timestamp: unix seconds;  signature: "sha256=" + hex HMAC-SHA256(secret, timestamp + "." + raw body).
// The timestamp is inside the MAC and must be within the replay window, so a captured request stops working
// after a few minutes. Compared in constant time; an unknown secret still does the work, so timing does not
// tell a known sender from an unknown one.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { refused, VERIFIED, type Verification } from './verification.js';

export const SIGNATURE_PREFIX = 'sha256=';

export type HmacRefusal = 'missing_signature' | 'malformed_signature' | 'missing_timestamp' | 'stale_timestamp' | 'unknown_secret' | 'bad_signature';

export function signTimestamped(secret: string, timestamp: string, body: Buffer | string): string {
  return SIGNATURE_PREFIX + createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

export function timestampNow(now: Date = new Date()): string {
  return String(Math.floor(now.getTime() / 1000));
}

export interface TimestampedRequest {
  /** undefined: the sender is unknown (or no secret is configured); refused after the same work. */
  secret: string | undefined;
  signature: unknown;
  timestamp: unknown;
  /** The raw body as received; undefined (not read) is a refusal. */
  body: Buffer | string | undefined;
  windowSeconds: number;
  nowMs: number;
}

const PLACEHOLDER_SECRET = 'no-secret-placeholder-0123456789';

export function verifyTimestamped(p: TimestampedRequest): Verification<HmacRefusal> {
  if (typeof p.signature !== 'string' || p.signature.trim() === '' || p.body === undefined) return refused('missing_signature');
  const given = p.signature.trim().toLowerCase();
  if (!/^sha256=[0-9a-f]{64}$/.test(given)) return refused('malformed_signature');
  if (typeof p.timestamp !== 'string' || !/^\d{1,12}$/.test(p.timestamp)) return refused('missing_timestamp');
  if (Math.abs(p.nowMs / 1000 - Number(p.timestamp)) > p.windowSeconds) return refused('stale_timestamp');
  const expected = Buffer.from(signTimestamped(p.secret ?? PLACEHOLDER_SECRET, p.timestamp, p.body));
  const same = timingSafeEqual(expected, Buffer.from(given));
  if (p.secret === undefined) return refused('unknown_secret');
  return same ? VERIFIED : refused('bad_signature');
}
