// Serving citizens' pictures: to staff under /api/admin/photos (behind the console's session or token, as every
// /api/admin route), and to the external hotline system through signed, expiring links (src/photos/photo-link.ts).
// Pictures are served as stored — re-encoded JPEG without EXIF — never as the bytes a citizen sent.
import express from 'express';
import { z } from 'zod';
import type { PhotoStore } from '../tickets/photo-store.js';
import { PhotoStorageError } from '../tickets/photo-blobs.js';
import { checkPhotoLink, PHOTO_LINK_PATH } from '../photos/photo-link.js';
import { sendError } from './http-errors.js';
import { validate } from './validate.js';

const PhotoParams = z.object({ id: z.string().uuid('must be a photo id') }).strict();
const LinkQuery = z.object({ expires: z.string().regex(/^\d{9,12}$/, 'must be unix seconds'), signature: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex digits') }).strict();

async function send(photos: PhotoStore, id: string, size: 'full' | 'thumb', res: express.Response): Promise<void> {
  let photo: Awaited<ReturnType<PhotoStore['content']>>;
  try {
    photo = await photos.content(id, size);
  } catch (err) {
    if (!(err instanceof PhotoStorageError)) throw err;
    res.setHeader('Retry-After', '30');
    return sendError(res, 503, 'photo_storage_unavailable', 'the photo storage cannot be reached; try again shortly');
  }
  if (!photo) return sendError(res, 404, 'not_found', `no photo ${id}`);
  // Private: a picture may show a citizen's home; no shared cache keeps it.
  res.set({ 'Content-Type': photo.mime, 'Cache-Control': 'private, max-age=3600', 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': "default-src 'none'" });
  res.send(photo.bytes);
}

/** Staff routes; mounted inside the console's router, after its session check. */
export function staffPhotoRoutes(photos: PhotoStore): express.Router {
  const r = express.Router();
  const one = validate({ params: PhotoParams });
  r.get('/api/admin/photos/:id', one, (_req, res) => send(photos, one.of(res).params.id, 'full', res));
  r.get('/api/admin/photos/:id/thumb', one, (_req, res) => send(photos, one.of(res).params.id, 'thumb', res));
  return r;
}

/** The hotline's signed links; without HOTLINE_SECRET no link can be valid and every request is refused. */
export function signedPhotoRoutes(photos: PhotoStore, secret: string | undefined, now: () => number = Date.now): express.Router {
  const r = express.Router();
  const link = validate({ params: PhotoParams, query: LinkQuery });
  r.get(`${PHOTO_LINK_PATH}/:id`, link, (_req, res) => {
    const { params, query } = link.of(res);
    if (!secret) return sendError(res, 403, 'forbidden', 'photo links are not enabled (HOTLINE_SECRET is not set)');
    const check = checkPhotoLink(secret, params.id, query.expires, query.signature, now());
    if (check === 'bad_signature') return sendError(res, 403, 'forbidden', 'the link signature does not match');
    if (check === 'expired') return sendError(res, 410, 'expired', 'the link has expired');
    return send(photos, params.id, 'full', res);
  });
  return r;
}
