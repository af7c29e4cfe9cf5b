// What a WeChat errcode means for delivery. The outbound worker retries with backoff unless the error says
// otherwise: a ChannelApiError with a 4xx status is not retried, one with retryAfterMs waits without spending
// an attempt. WeChat answers HTTP 200 with an errcode, so the errcode is mapped to those terms here.
import { ChannelApiError } from '../../src/core/errors.js';

/** The token was revoked (40001: invalid credential, 40014: invalid token) or ran out (42001). */
export const TOKEN_ERRCODES = new Set([40001, 40014, 42001]);

// Permanent for this message: retrying cannot help, and would only burn the account's quota.
const PERMANENT: Record<number, string> = {
  45015: 'the follower has not written within the last 48 hours (response out of time limit)',
  45047: 'too many customer-service messages to this follower since they last wrote',
  43004: 'the recipient does not follow the account',
  40003: 'invalid OpenID',
  45002: 'message content is too long',
  44002: 'empty message',
  40008: 'invalid message type',
};

export function wechatError(what: string, errcode: number, errmsg: string | undefined): ChannelApiError {
  const detail = `${what}: WeChat errcode ${errcode} (${(errmsg ?? '').slice(0, 120)})`;
  if (PERMANENT[errcode]) return new ChannelApiError(`${detail}: ${PERMANENT[errcode]}`, 403, errcode);
  // The daily API quota is spent: wait instead of burning the retry budget, the quota resets at midnight.
  if (errcode === 45009) return new ChannelApiError(`${detail}: daily API quota reached`, 429, errcode, 15 * 60_000);
  // -1 (system busy), token errors after a refresh, unknown codes: retried with backoff.
  return new ChannelApiError(detail, undefined, errcode);
}
