// WeChat's request signatures. Plain mode: signature = SHA-1 of [token, timestamp, nonce] sorted and joined.
// Safe mode adds msg_signature = SHA-1 of [token, timestamp, nonce, Encrypt] sorted and joined, which is the
// only one that covers the message itself. Both are compared in constant time, and a timestamp outside the
// replay window fails even with a good signature (a captured request must not be replayable forever). Each
// check answers a Verification; the adapter turns a refusal into its 401.
import { createHash, timingSafeEqual } from 'node:crypto';
import { refused, VERIFIED, type Verification } from '../../src/signing/verification.js';

export function wechatSignature(parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

/** Constant-time comparison of two hex digests; false for anything that is not one (wrong length, missing). */
export function sameDigest(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Refused unless the timestamp is a number of seconds within `windowSeconds` of `now`. */
export function checkTimestamp(timestamp: unknown, windowSeconds: number, now: Date = new Date()): Verification {
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) return refused('timestamp is missing or not a number');
  const skew = Math.abs(now.getTime() / 1000 - Number(timestamp));
  return skew > windowSeconds ? refused(`timestamp is outside the ${windowSeconds}-second window`) : VERIFIED;
}

/** The GET/POST `signature` check: token, timestamp, nonce. */
export function verifyUrlSignature(token: string, query: Record<string, unknown>, windowSeconds: number, now?: Date): Verification {
  const { signature, timestamp, nonce } = query;
  if (typeof signature !== 'string' || typeof nonce !== 'string' || nonce.length > 64) return refused('signature or nonce is missing');
  const fresh = checkTimestamp(timestamp, windowSeconds, now);
  if (!fresh.ok) return fresh;
  return sameDigest(wechatSignature([token, timestamp as string, nonce]), signature) ? VERIFIED : refused('signature does not match');
}

/** The safe-mode `msg_signature` check over the encrypted payload. */
export function verifyMsgSignature(token: string, query: Record<string, unknown>, encrypted: string, windowSeconds: number, now?: Date): Verification {
  const { msg_signature: signature, timestamp, nonce } = query;
  if (typeof signature !== 'string' || typeof nonce !== 'string' || nonce.length > 64) return refused('msg_signature or nonce is missing');
  const fresh = checkTimestamp(timestamp, windowSeconds, now);
  if (!fresh.ok) return fresh;
  return sameDigest(wechatSignature([token, timestamp as string, nonce, encrypted]), signature) ? VERIFIED : refused('msg_signature does not match');
}
