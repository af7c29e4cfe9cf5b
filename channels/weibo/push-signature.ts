// The fan-service push is signed: signature = sha1 of appsecret, timestamp and nonce, sorted as strings and
// joined. Checked in constant time and failing closed: no secret configured, a missing parameter or a
// timestamp outside the replay window is a failure like a wrong signature.
import { createHash, timingSafeEqual } from 'node:crypto';
import { refused, VERIFIED, type Verification } from '../../src/signing/verification.js';

/** As WeChat's: a signed query is good for 5 minutes either way of our clock (and used once: replay-guard.ts). */
export const REPLAY_WINDOW_MS = 5 * 60_000;

export function pushSignature(appSecret: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([appSecret, timestamp, nonce].sort().join('')).digest('hex');
}

export interface SignedQuery {
  signature?: unknown;
  timestamp?: unknown;
  nonce?: unknown;
}

export function verifyPushSignature(appSecret: string | undefined, q: SignedQuery, now = Date.now()): Verification {
  const { signature, timestamp, nonce } = q;
  if (!appSecret) return refused('WEIBO_APP_SECRET is not set');
  if (typeof signature !== 'string' || typeof timestamp !== 'string' || typeof nonce !== 'string') return refused('signature, timestamp or nonce is missing');
  if (!/^\d{9,13}$/.test(timestamp) || nonce.length === 0 || nonce.length > 128) return refused('timestamp or nonce is malformed');
  // Weibo sends seconds; milliseconds are accepted too.
  const ts = timestamp.length >= 13 ? Number(timestamp) : Number(timestamp) * 1000;
  if (Math.abs(now - ts) > REPLAY_WINDOW_MS) return refused('timestamp is outside the replay window');
  const expected = Buffer.from(pushSignature(appSecret, timestamp, nonce));
  const given = Buffer.from(signature.toLowerCase());
  return given.length === expected.length && timingSafeEqual(given, expected) ? VERIFIED : refused('signature does not match');
}
