// The hotline link's signatures, both directions (docs/openapi.yaml): Jiesu's one HMAC scheme
// (src/signing/hmac-signature.ts) with a five-minute replay window.
import { signTimestamped, verifyTimestamped, type HmacRefusal } from '../signing/hmac-signature.js';
import type { Verification } from '../signing/verification.js';

/** Messages older (or newer) than this are refused, whatever their signature. */
export const REPLAY_WINDOW_SECONDS = 300;

export const sign = signTimestamped;

/** Checks a signed message; fails closed (no secret, header or body = refused). */
export function verify(
  secret: string | undefined,
  headers: { signature?: string; timestamp?: string },
  body: Buffer | undefined,
  nowMs: number,
): Verification<HmacRefusal> {
  return verifyTimestamped({ secret, signature: headers.signature, timestamp: headers.timestamp, body, windowSeconds: REPLAY_WINDOW_SECONDS, nowMs });
}
