// A local fake of an S3-compatible object store on 127.0.0.1, speaking S3's REST protocol path-style:
// PUT /<bucket>/<key>, GET /<bucket>/<key> (404 NoSuchKey when missing), POST /<bucket>?delete with the
// DeleteObjects XML body. Every request must carry a SigV4 Authorization header for the configured access key
// (the signature itself is not recomputed). It can be told to fail (`down`: 503 SlowDown on every request).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export class FakeS3 {
  /** Stored objects by key (without the bucket). */
  readonly objects = new Map<string, { bytes: Buffer; contentType: string | undefined }>();
  /** Every request as `<METHOD> <path>` with its answer's status, in order. */
  readonly requests: { method: string; path: string; status: number }[] = [];
  down = false;
  private server: Server | undefined;
  url = '';

  constructor(
    readonly bucket: string,
    readonly accessKeyId: string,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((err: Error) => this.reply(req, res, 500, 'InternalError', err.message));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (this.down) return this.reply(req, res, 503, 'SlowDown', 'the fake store is down');
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith(`AWS4-HMAC-SHA256 Credential=${this.accessKeyId}/`) || !/SignedHeaders=.+, ?Signature=[0-9a-f]{64}$/.test(auth)) {
      return this.reply(req, res, 403, 'InvalidAccessKeyId', 'missing or foreign SigV4 Authorization');
    }
    const url = new URL(req.url ?? '/', 'http://s3.local');
    const [, bucket, ...rest] = url.pathname.split('/');
    if (bucket !== this.bucket) return this.reply(req, res, 404, 'NoSuchBucket', `no bucket ${bucket}`);
    const key = decodeURIComponent(rest.join('/'));
    if (req.method === 'PUT' && key) {
      const chunked = String(req.headers['content-encoding'] ?? '').includes('aws-chunked');
      this.objects.set(key, { bytes: chunked ? unchunk(body) : body, contentType: req.headers['content-type'] });
      return this.reply(req, res, 200);
    }
    if (req.method === 'GET' && key) {
      const o = this.objects.get(key);
      if (!o) return this.reply(req, res, 404, 'NoSuchKey', 'The specified key does not exist.');
      this.requests.push({ method: 'GET', path: url.pathname, status: 200 });
      res.writeHead(200, { 'Content-Type': o.contentType ?? 'application/octet-stream', 'Content-Length': o.bytes.length });
      res.end(o.bytes);
      return;
    }
    if (req.method === 'POST' && !key && url.searchParams.has('delete')) {
      const keys = [...body.toString('utf8').matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => unescapeXml(m[1]!));
      for (const k of keys) this.objects.delete(k);
      this.requests.push({ method: 'POST', path: `/${bucket}?delete`, status: 200 });
      res.writeHead(200, { 'Content-Type': 'application/xml' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?><DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></DeleteResult>`);
      return;
    }
    return this.reply(req, res, 405, 'MethodNotAllowed', `${req.method} ${url.pathname}${url.search}`);
  }

  private reply(req: IncomingMessage, res: ServerResponse, status: number, code?: string, message?: string): void {
    this.requests.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0]!, status });
    if (!code) {
      res.writeHead(status, { ETag: '"fake"' });
      res.end();
      return;
    }
    res.writeHead(status, { 'Content-Type': 'application/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message ?? ''}</Message></Error>`);
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

/** aws-chunked: `<hex size>[;chunk-signature=…]\r\n<data>\r\n` … `0\r\n` then optional trailers. */
function unchunk(body: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    const size = parseInt(body.subarray(at, eol).toString('latin1').split(';')[0]!, 16);
    if (!size) break;
    out.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}

function unescapeXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}
