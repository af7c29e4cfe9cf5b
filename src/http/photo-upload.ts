// POST /api/webchat/photos: the widget's photo button. Up to three pictures of up to 10 MB each, multipart
// (multer, in memory: a picture is processed and stored before the answer, never written to a temporary file),
// bound to the chat session that sent them. The widget then sends its message with the ids it got back, so a
// picture is part of a complaint only through the durable message path. A refused picture refuses the whole
// upload: nothing is half-stored.
import express from 'express';
import multer from 'multer';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { MAX_PHOTO_BYTES, MAX_PHOTOS_PER_MESSAGE, PhotoRefusedError, processPhoto, type ProcessedPhoto } from '../photos/photo-processing.js';
import type { PhotoStore } from '../tickets/photo-store.js';
import { PhotoStorageError } from '../tickets/photo-blobs.js';
import { sendError, sendInvalid } from './http-errors.js';
import { parseOr400 } from './validate.js';

export const PHOTO_UPLOAD_PATH = '/api/webchat/photos';

const UploadFields = z.object({ sessionId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8–64 letters, digits, _ or -') }).strict();

export interface PhotoUploadDeps {
  photos: PhotoStore;
  redis: Redis;
  prefix: string;
  /** Uploads per minute from one address (processing a picture costs far more than a message). */
  perMinute?: number;
}

export function photoUploadRoutes(deps: PhotoUploadDeps): express.Router {
  const r = express.Router();
  const points = deps.perMinute ?? 20;
  // With Redis unreachable each gateway still limits on its own (the library's insurance limiter).
  const limiter = new RateLimiterRedis({
    storeClient: deps.redis,
    keyPrefix: `${deps.prefix}:limit:photos`,
    points,
    duration: 60,
    insuranceLimiter: new RateLimiterMemory({ points, duration: 60 }),
  });
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_PHOTO_BYTES, files: MAX_PHOTOS_PER_MESSAGE, fields: 2, parts: MAX_PHOTOS_PER_MESSAGE + 2, fieldSize: 1024 },
  }).array('photos', MAX_PHOTOS_PER_MESSAGE);

  r.post(
    PHOTO_UPLOAD_PATH,
    async (req, res, next) => {
      try {
        await limiter.consume(req.ip ?? 'unknown');
        next();
      } catch (err) {
        if (err instanceof Error) return next(err);
        const seconds = Math.ceil((err as { msBeforeNext: number }).msBeforeNext / 1000);
        res.setHeader('Retry-After', String(seconds));
        sendError(res, 429, 'rate_limited', 'too many pictures from this address; wait and retry', { retryAfter: seconds });
      }
    },
    (req, res, next) => {
      if (!req.is('multipart/form-data')) return sendError(res, 415, 'unsupported_media_type', 'send the pictures as multipart/form-data');
      upload(req, res, (err: unknown) => (err ? refuseUpload(err, res) : next()));
    },
    async (req, res) => {
      const fields = parseOr400(res, UploadFields, req.body ?? {}, 'body');
      if (!fields) return;
      const files = (req.files as Express.Multer.File[] | undefined) ?? [];
      if (!files.length) return sendInvalid(res, { field: 'photos', reason: 'photos: no picture in the field' });
      const processed: ProcessedPhoto[] = [];
      for (const [i, f] of files.entries()) {
        try {
          processed.push(await processPhoto(f.buffer));
        } catch (err) {
          if (!(err instanceof PhotoRefusedError)) throw err;
          const reason = `picture ${i + 1} (${f.originalname || 'unnamed'}): ${err.message}`;
          if (err.reason === 'unreadable') return sendInvalid(res, { field: `photos.${i}`, reason, rule: 'unreadable' });
          return sendError(res, err.reason === 'too_large' ? 413 : 415, `photo_${err.reason}`, reason, { field: 'photos', index: i });
        }
      }
      let ids: string[];
      try {
        ids = await deps.photos.saveAll(`webchat:${fields.sessionId}`, processed);
      } catch (err) {
        if (!(err instanceof PhotoStorageError)) throw err;
        // No row was written, so the widget can send the same pictures again.
        res.setHeader('Retry-After', '30');
        return sendError(res, 503, 'photo_storage_unavailable', 'the pictures could not be stored just now; send them again shortly');
      }
      res.status(201).json({ photos: ids.map((id, i) => ({ id, width: processed[i]!.width, height: processed[i]!.height })) });
    },
  );
  return r;
}

/** multer's limits as the widget understands them: too large (413), too many (400), anything else malformed (400). */
function refuseUpload(err: unknown, res: express.Response): void {
  if (err instanceof multer.MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE') return sendError(res, 413, 'photo_too_large', `a picture is larger than ${MAX_PHOTO_BYTES / 1024 / 1024} MB`, { field: 'photos' });
    if (err.code === 'LIMIT_FILE_COUNT' || (err.code === 'LIMIT_UNEXPECTED_FILE' && err.field === 'photos'))
      return sendInvalid(res, { field: 'photos', reason: `at most ${MAX_PHOTOS_PER_MESSAGE} pictures at once`, rule: 'too_many' });
    return sendInvalid(res, { field: err.field ?? 'body', reason: `${err.field ?? 'body'}: the upload is malformed: ${err.message}` });
  }
  // busboy's own parse errors (a broken multipart body).
  sendInvalid(res, { field: 'body', reason: 'body: is not a readable multipart body' });
}
