// The HMAC scheme both directions of the external hotline link use (docs/openapi.yaml): the signature is
// HMAC-SHA256(secret, `${timestamp}.${raw body}`) in hex, sent as `sha256=<hex>` next to the timestamp
// (unix seconds). Signing the timestamp with the body lets the receiver refuse old messages replayed later.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_PREFIX = 'sha256=';
/** Messages older (or newer) than this are refused, whatever their signature. */
export const REPLAY_WINDOW_SECONDS = 300;

export function sign(secret: string, timestamp: string, body: string | Buffer): string {
  return SIGNATURE_PREFIX + createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

export type VerifyFailure = 'missing_signature' | 'missing_timestamp' | 'stale_timestamp' | 'bad_signature';

/**
 * Checks a signed message; fails closed (no secret, header or body = refused). The comparison is constant
 * time over equal-length digests, so timing reveals nothing about the expected signature.
 */
export function verify(
  secret: string | undefined,
  headers: { signature?: string; timestamp?: string },
  body: Buffer | undefined,
  nowMs: number,
): { ok: true } | { ok: false; reason: VerifyFailure } {
  if (!secret || !headers.signature || !body) return { ok: false, reason: 'missing_signature' };
  if (!headers.timestamp || !/^\d{9,12}$/.test(headers.timestamp)) return { ok: false, reason: 'missing_timestamp' };
  if (Math.abs(nowMs / 1000 - Number(headers.timestamp)) > REPLAY_WINDOW_SECONDS) return { ok: false, reason: 'stale_timestamp' };
  const expected = Buffer.from(sign(secret, headers.timestamp, body));
  const given = Buffer.from(headers.signature.trim());
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  return { ok: true };
}
