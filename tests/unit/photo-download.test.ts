// Downloading a platform's picture: only from the platform's own hosts, never past the size limit, and with
// failures the photo-fetch worker can tell apart (gone = 4xx, down = 5xx or no answer).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadPlatformImage } from '../../src/photos/download.js';
import { ChannelApiError } from '../../src/core/errors.js';
import { PhotoRefusedError } from '../../src/photos/photo-processing.js';

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/ok.jpg') return void res.end(Buffer.from('pretend-jpeg'));
    if (req.url === '/big') {
      res.writeHead(200);
      // No Content-Length: the limit is enforced while reading.
      const chunk = Buffer.alloc(64 * 1024, 1);
      let sent = 0;
      const pump = () => {
        while (sent < 400 * 1024 && res.write(chunk)) sent += chunk.length;
        if (sent < 400 * 1024) res.once('drain', pump);
        else res.end();
      };
      return pump();
    }
    if (req.url === '/down') return void res.writeHead(503).end();
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

describe('downloadPlatformImage', () => {
  it('downloads from an allowed host', async () => {
    expect((await downloadPlatformImage(`${base}/ok.jpg`, ['127.0.0.1'])).toString()).toBe('pretend-jpeg');
  });

  it('refuses a host the platform does not use, and a non-http link, without a request', async () => {
    const other = await failure(downloadPlatformImage(`${base}/ok.jpg`, ['.sinaimg.cn']));
    expect(other).toBeInstanceOf(ChannelApiError);
    expect((other as ChannelApiError).status).toBe(400);
    expect(((await failure(downloadPlatformImage('file:///etc/passwd', ['127.0.0.1']))) as ChannelApiError).status).toBe(400);
    // A suffix matches subdomains only, not a host that merely ends with the same letters.
    expect(((await failure(downloadPlatformImage('https://evilsinaimg.cn/x.jpg', ['.sinaimg.cn']))) as ChannelApiError).status).toBe(400);
  });

  it('stops reading past the limit', async () => {
    expect(await failure(downloadPlatformImage(`${base}/big`, ['127.0.0.1'], { maxBytes: 100 * 1024 }))).toBeInstanceOf(PhotoRefusedError);
  });

  it('tells a missing file (404) from a platform that is down (503)', async () => {
    expect(((await failure(downloadPlatformImage(`${base}/gone`, ['127.0.0.1']))) as ChannelApiError).status).toBe(404);
    expect(((await failure(downloadPlatformImage(`${base}/down`, ['127.0.0.1']))) as ChannelApiError).status).toBe(503);
  });
});
