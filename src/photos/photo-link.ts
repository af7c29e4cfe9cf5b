// Links to a citizen's picture that work without a console session, for the external hotline system: the
// picture's id and an expiry, signed with HOTLINE_SECRET by the HMAC scheme the hotline link already uses
// (HMAC-SHA256 over `${expires}.${id}`). A link stops working at its expiry; nothing else about it can be changed
// without the secret.
import { sign } from '../tickets/hotline-signature.js';
import { timingSafeEqual } from 'node:crypto';

export const PHOTO_LINK_PATH = '/api/photos';
/** Long enough for the hotline to fetch the picture when it processes the ticket, even after retries. */
export const PHOTO_LINK_TTL_SECONDS = 7 * 24 * 3600;

export interface PhotoLink {
  url: string;
  expiresAt: string;
}

export function photoLink(baseUrl: string, secret: string, id: string, nowMs: number, ttlSeconds = PHOTO_LINK_TTL_SECONDS): PhotoLink {
  const expires = Math.floor(nowMs / 1000) + ttlSeconds;
  const signature = sign(secret, String(expires), id).slice('sha256='.length);
  const url = new URL(`${PHOTO_LINK_PATH}/${id}`, baseUrl);
  url.searchParams.set('expires', String(expires));
  url.searchParams.set('signature', signature);
  return { url: url.toString(), expiresAt: new Date(expires * 1000).toISOString() };
}

export type PhotoLinkCheck = 'ok' | 'expired' | 'bad_signature';

export function checkPhotoLink(secret: string, id: string, expires: string, signature: string, nowMs: number): PhotoLinkCheck {
  const expected = Buffer.from(sign(secret, expires, id).slice('sha256='.length));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad_signature';
  return Number(expires) * 1000 < nowMs ? 'expired' : 'ok';
}
