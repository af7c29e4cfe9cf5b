// A citizen's picture is checked by its bytes, re-encoded without EXIF, and its GPS kept only as a hint.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { gpsFromExif, MAX_PHOTO_BYTES, PhotoRefusedError, processPhoto } from '../../src/photos/photo-processing.js';
import { GPS_IN_FENGTAI, HTML, jpegWithGps, png, SVG } from '../helpers/photos.js';

async function refusal(input: Buffer): Promise<string> {
  try {
    await processPhoto(input);
  } catch (err) {
    if (err instanceof PhotoRefusedError) return err.reason;
    throw err;
  }
  return 'accepted';
}

describe('processPhoto', () => {
  it('reads the GPS position as a hint and stores a picture with no EXIF at all', async () => {
    const input = await jpegWithGps();
    expect((await sharp(input).metadata()).exif).toBeDefined();
    const out = await processPhoto(input);
    expect(out.gps).toEqual(GPS_IN_FENGTAI);
    expect(out.mime).toBe('image/jpeg');
    const stored = await sharp(out.bytes).metadata();
    expect(stored.format).toBe('jpeg');
    expect(stored.exif).toBeUndefined();
    expect((await sharp(out.thumb).metadata()).exif).toBeUndefined();
    // The position's bytes are nowhere in the stored file (the EXIF GPS IFD would carry the ASCII ref 'N').
    expect(out.bytes.includes(Buffer.from('PhoneCam'))).toBe(false);
  });

  it('shrinks a large picture to 2048 px on its longest side and makes a 320 px thumbnail', async () => {
    const out = await processPhoto(await jpegWithGps(4000, 3000));
    expect([out.width, out.height]).toEqual([2048, 1536]);
    const thumb = await sharp(out.thumb).metadata();
    expect(Math.max(thumb.width!, thumb.height!)).toBe(320);
  });

  it('takes PNG and turns it into JPEG', async () => {
    const out = await processPhoto(await png());
    expect((await sharp(out.bytes).metadata()).format).toBe('jpeg');
    expect(out.gps).toBeUndefined();
  });

  it('refuses SVG, HTML, text and a picture type named falsely, by their bytes', async () => {
    expect(await refusal(SVG)).toBe('unsupported_type');
    expect(await refusal(HTML)).toBe('unsupported_type');
    expect(await refusal(Buffer.from('just text'))).toBe('unsupported_type');
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } }).gif().toBuffer();
    expect(await refusal(gif)).toBe('unsupported_type');
  });

  it('refuses a picture over 10 MB and a truncated JPEG', async () => {
    expect(await refusal(Buffer.alloc(MAX_PHOTO_BYTES + 1, 0xff))).toBe('too_large');
    const jpeg = await jpegWithGps();
    expect(await refusal(jpeg.subarray(0, 200))).toBe('unreadable');
  });

  it('ignores a GPS block that is absent or absurd', () => {
    expect(gpsFromExif(Buffer.from('Exif\0\0garbage'))).toBeUndefined();
  });
});
