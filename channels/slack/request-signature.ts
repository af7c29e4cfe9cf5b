// Slack signs every request (https://api.slack.com/authentication/verifying-requests-from-slack):
// X-Slack-Signature = "v0=" + hex HMAC-SHA256(signing secret, "v0:" + X-Slack-Request-Timestamp + ":" + raw
// body). Checked here over the raw bytes, in constant time, with the replay window applied both ways (a
// timestamp from the future is as suspect as a stale one). Fails closed: a missing header, a missing raw
// body or a malformed value is a VerificationError, never a pass.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { VerificationError } from '../../src/core/errors.js';

export const SIGNATURE_HEADER = 'x-slack-signature';
export const TIMESTAMP_HEADER = 'x-slack-request-timestamp';

export function signSlackRequest(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`;
}

export function verifySlackRequest(opts: {
  secret: string;
  rawBody: unknown;
  signature: string | string[] | undefined;
  timestamp: string | string[] | undefined;
  windowSeconds: number;
  nowMs: number;
}): void {
  const { secret, rawBody, signature, timestamp } = opts;
  if (!Buffer.isBuffer(rawBody)) throw new VerificationError('no raw request body to verify');
  if (typeof signature !== 'string' || !/^v0=[a-f0-9]{64}$/.test(signature)) throw new VerificationError(`missing or malformed ${SIGNATURE_HEADER}`);
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) throw new VerificationError(`missing or malformed ${TIMESTAMP_HEADER}`);
  if (Math.abs(opts.nowMs / 1000 - Number(timestamp)) > opts.windowSeconds)
    throw new VerificationError(`${TIMESTAMP_HEADER} is more than ${opts.windowSeconds} s from now (replayed or clock skew)`);
  const expected = Buffer.from(signSlackRequest(secret, timestamp, rawBody));
  if (!timingSafeEqual(expected, Buffer.from(signature))) throw new VerificationError('signature does not match');
}
