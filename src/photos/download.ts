// Downloads a picture a platform holds (a bot platform's file, a microblog picture) for the photo-fetch worker: one
// GET with a deadline, read up to the size limit and no further, so a huge or endless answer costs nothing more.
import { MAX_PHOTO_BYTES, PhotoRefusedError } from './photo-processing.js';
import { ChannelApiError } from '../core/errors.js';

export interface DownloadOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
  maxBytes?: number;
}

/**
 * downloadImage for a link that came in a platform's payload, only when its host is the platform's own (`hosts`:
 * exact names or `.suffix`): a forged payload must not make the gateway fetch from inside its own network.
 */
export function downloadPlatformImage(url: string, hosts: string[], opts: DownloadOptions = {}): Promise<Buffer> {
  let host: string;
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
    host = u.hostname.toLowerCase();
  } catch {
    return Promise.reject(new ChannelApiError(`not a picture link: ${url.slice(0, 80)}`, 400));
  }
  const allowed = hosts.some((h) => (h.startsWith('.') ? host.endsWith(h) : host === h.toLowerCase()));
  if (!allowed) return Promise.reject(new ChannelApiError(`picture link on a host the platform does not use: ${host}`, 400));
  return downloadImage(url, opts);
}

export async function downloadImage(url: string, opts: DownloadOptions = {}): Promise<Buffer> {
  const maxBytes = opts.maxBytes ?? MAX_PHOTO_BYTES;
  let res: Response;
  try {
    res = await fetch(url, { headers: opts.headers ?? {}, redirect: 'follow', signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000) });
  } catch (err) {
    throw new ChannelApiError(`download failed: ${(err as Error).message}`);
  }
  if (!res.ok || !res.body) {
    await discard(res.body);
    throw new ChannelApiError(`download answered ${res.status}`, res.status);
  }
  if (Number(res.headers.get('content-length') ?? 0) > maxBytes) {
    await discard(res.body);
    throw new PhotoRefusedError('too_large', `larger than ${maxBytes} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await discard(reader);
      throw new PhotoRefusedError('too_large', `larger than ${maxBytes} bytes`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

/**
 * Lets go of a body that will not be read, freeing its connection. A body that fails to cancel is closed
 * already; the error the caller throws next is what counts.
 */
async function discard(body: { cancel(): Promise<void> } | null): Promise<void> {
  await body?.cancel().catch(() => {});
}
