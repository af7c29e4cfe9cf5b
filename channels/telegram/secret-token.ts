// Telegram proves a webhook request is its own by echoing the secret_token given to setWebhook in the
// X-Telegram-Bot-Api-Secret-Token header. Compared in constant time over digests, so neither the content
// nor the length of the secret leaks through timing; a missing header never matches.
import { createHash, timingSafeEqual } from 'node:crypto';
import { refused, VERIFIED, type Verification } from '../../src/signing/verification.js';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export function checkSecretToken(presented: string | string[] | undefined, expected: string): Verification<'missing_secret_token' | 'wrong_secret_token'> {
  if (typeof presented !== 'string' || presented.length === 0 || expected.length === 0) return refused('missing_secret_token');
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(presented), digest(expected)) ? VERIFIED : refused('wrong_secret_token');
}
