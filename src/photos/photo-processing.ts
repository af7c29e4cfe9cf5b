// What a citizen's picture becomes before anything keeps it: its type read from its bytes (never from the name or
// the Content-Type the sender claims), re-encoded by sharp so nothing but pixels survives (no EXIF, no embedded
// scripts, no polyglot payload), shrunk to a size an office can read on a phone, plus a thumbnail. The GPS position
// a phone writes into EXIF is read first and kept only as a location hint for the ticket: the served file never
// carries it.
import exifReader from 'exif-reader';
import type { Metadata } from 'sharp';

// libvips (sharp) and file-type are loaded with the first picture, not at start: a gateway that never receives
// one does not hold them.
const imaging = () => Promise.all([import('sharp'), import('file-type')]).then(([s, f]) => ({ sharp: s.default, fileTypeFromBuffer: f.fileTypeFromBuffer }));

/** What citizens' phones send. HEIC is accepted by type, but decoded only where libvips was built with HEVC. */
export const ACCEPTED_MIME = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif'] as const;
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
export const MAX_PHOTOS_PER_MESSAGE = 3;
/** Longest side of the stored picture: enough to read a house number on a phone, a fraction of a camera's 4000 px. */
const MAX_SIDE = 2048;
const THUMB_SIDE = 320;

export type PhotoRefusal = 'unsupported_type' | 'too_large' | 'unreadable';

export class PhotoRefusedError extends Error {
  constructor(
    readonly reason: PhotoRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'PhotoRefusedError';
  }
}

export interface GpsHint {
  lat: number;
  lng: number;
}

export interface ProcessedPhoto {
  /** Always JPEG: every office's browser and the hotline system read it. */
  mime: 'image/jpeg';
  bytes: Buffer;
  width: number;
  height: number;
  thumb: Buffer;
  gps?: GpsHint;
}

export async function processPhoto(input: Buffer): Promise<ProcessedPhoto> {
  if (input.length > MAX_PHOTO_BYTES) throw new PhotoRefusedError('too_large', `larger than ${MAX_PHOTO_BYTES / 1024 / 1024} MB`);
  const { sharp, fileTypeFromBuffer } = await imaging();
  const type = await fileTypeFromBuffer(input);
  if (!type || !(ACCEPTED_MIME as readonly string[]).includes(type.mime)) {
    throw new PhotoRefusedError('unsupported_type', `not a JPEG, PNG, WebP or HEIC picture${type ? ` (${type.mime})` : ''}`);
  }
  let meta: Metadata;
  try {
    // limitInputPixels keeps a decompression bomb (a tiny file that unpacks to gigapixels) from taking the memory.
    meta = await sharp(input, { limitInputPixels: 100_000_000 }).metadata();
  } catch {
    throw new PhotoRefusedError('unreadable', 'the picture cannot be read');
  }
  const gps = meta.exif ? gpsFromExif(meta.exif) : undefined;
  try {
    // rotate() applies the EXIF orientation to the pixels, since the EXIF that carried it is dropped: sharp writes
    // no metadata unless asked (withMetadata/keepExif), which is what strips the position.
    const image = sharp(input, { limitInputPixels: 100_000_000 }).rotate();
    const { data, info } = await image
      .clone()
      .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 82, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    const thumb = await image.clone().resize({ width: THUMB_SIDE, height: THUMB_SIDE, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 70 }).toBuffer();
    return { mime: 'image/jpeg', bytes: data, width: info.width, height: info.height, thumb, ...(gps ? { gps } : {}) };
  } catch {
    throw new PhotoRefusedError('unreadable', 'the picture cannot be read');
  }
}

/** Degrees from EXIF's degree/minute/second rationals, signed by the reference; undefined when absent or absurd. */
export function gpsFromExif(exif: Buffer): GpsHint | undefined {
  let tags: ReturnType<typeof exifReader>;
  try {
    tags = exifReader(exif);
  } catch {
    return undefined;
  }
  const g = tags.GPSInfo;
  if (!g?.GPSLatitude || !g.GPSLongitude) return undefined;
  const deg = (dms: number[]) => (dms[0] ?? 0) + (dms[1] ?? 0) / 60 + (dms[2] ?? 0) / 3600;
  const lat = deg(g.GPSLatitude) * (g.GPSLatitudeRef === 'S' ? -1 : 1);
  const lng = deg(g.GPSLongitude) * (g.GPSLongitudeRef === 'W' ? -1 : 1);
  if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180 || (lat === 0 && lng === 0)) return undefined;
  return { lat: Math.round(lat * 1e6) / 1e6, lng: Math.round(lng * 1e6) / 1e6 };
}
