// Telegram proves a webhook request is its own by echoing the secret_token given to setWebhook in the
// X-Telegram-Bot-Api-Secret-Token header. Compared in constant time over digests, so neither the content
// nor the length of the secret leaks through timing; a missing header never matches.
import { createHash, timingSafeEqual } from 'node:crypto';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export function secretMatches(presented: string | string[] | undefined, expected: string): boolean {
  if (typeof presented !== 'string' || presented.length === 0 || expected.length === 0) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
