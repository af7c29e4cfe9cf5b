// Pictures for the photo tests, made with sharp: a JPEG whose EXIF carries a GPS position (as a phone writes it),
// and a few things that are not pictures a citizen may send.
import sharp from 'sharp';

/** 39°52'30"N 116°17'0"E — in 丰台区, as a phone would stamp it. */
export const GPS_IN_FENGTAI = { lat: 39.875, lng: 116.283333 };

export function jpegWithGps(width = 800, height = 600, color = '#c33'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color } })
    .withExif({
      IFD0: { Make: 'PhoneCam', Model: 'Test 1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '39/1 52/1 3000/100', GPSLongitudeRef: 'E', GPSLongitude: '116/1 17/1 0/1' },
    })
    .jpeg()
    .toBuffer();
}

export function png(width = 64, height = 64): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: '#36c' } }).png().toBuffer();
}

export const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');
export const HTML = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');

export interface UploadFile {
  bytes: Buffer;
  name: string;
  type: string;
}

/** Posts pictures to the web chat's upload route as the widget does (multipart, field `photos`). */
export function uploadPhotos(baseUrl: string, sessionId: string, files: UploadFile[]): Promise<Response> {
  const form = new FormData();
  form.append('sessionId', sessionId);
  for (const f of files) form.append('photos', new Blob([new Uint8Array(f.bytes)], { type: f.type }), f.name);
  return fetch(`${baseUrl}/api/webchat/photos`, { method: 'POST', body: form });
}
