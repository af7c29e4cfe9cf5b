// The JSON POST door: which requests it takes (every POST to its path, as express's router would match it), how it
// reads and parses bodies (the plain case itself, body-parser's strict JSON, the byte limit whether declared or
// counted; any other body through body-parser's json()), and the client address it reports (express's req.ip
// under the same trust setting).
import { gzipSync } from 'node:zlib';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawPostRoutes } from '../../src/http/raw-post.js';
import type { JsonPost } from '../../src/core/channel-adapter.js';

let server: Server;
let base: string;
const seen: Omit<JsonPost, 'req' | 'res'>[] = [];

beforeAll(async () => {
  const routes = new RawPostRoutes({
    trustProxy: 'loopback',
    before: (_req, res, next) => {
      res.setHeader('x-before', 'yes');
      next();
    },
    onError: (_err, post) => {
      post.res.statusCode = 500;
      post.res.end('failed');
    },
  });
  routes.post('/in', async ({ req: _req, res, ...rest }) => {
    if ((rest.body as { fail?: boolean } | undefined)?.fail) throw new Error('handler failed');
    seen.push(rest);
    res.end('raw');
  }, 64);
  server = createServer((req, res) => {
    if (routes.dispatch(req, res)) return;
    req.resume();
    req.on('end', () => res.end('express'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function send(path: string, body: string, headers: Record<string, string> = {}, method = 'POST') {
  seen.length = 0;
  const res = await fetch(base + path, { method, headers: { 'content-type': 'application/json', ...headers }, ...(method === 'GET' ? {} : { body }) });
  return { by: await res.text(), before: res.headers.get('x-before'), status: res.status, got: seen[0] };
}

describe('RawPostRoutes', () => {
  it('takes plain JSON POSTs to exactly its path, with the before-middleware run first', async () => {
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset="UTF-8"']) {
      const r = await send('/in', '{"a":1}', { 'content-type': type });
      expect([r.by, r.before], type).toEqual(['raw', 'yes']);
      expect(r.got?.body).toEqual({ a: 1 });
    }
  });

  it('takes every POST to its path as express would route it, and leaves other paths and methods to express', async () => {
    for (const path of ['/in?x=1', '/in/', '/IN']) expect((await send(path, '{"a":1}')).got?.body, path).toEqual({ a: 1 });
    const cases: [string, string?][] = [['/other'], ['/in/more'], ['/in', 'PUT'], ['/in', 'GET']];
    for (const [path, method] of cases) expect((await send(path, '{"a":1}', {}, method)).by, `${method ?? 'POST'} ${path}`).toBe('express');
  });

  it('reads other bodies as express.json does: gzip, other types, unsupported charsets', async () => {
    seen.length = 0;
    const gzipped = await fetch(`${base}/in`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: new Uint8Array(gzipSync('{"z":1}')) });
    expect(await gzipped.text()).toBe('raw');
    expect(seen[0]?.body).toEqual({ z: 1 });
    expect((await send('/in', '{"a":1}', { 'content-type': 'text/plain' })).got).toMatchObject({ body: undefined });
    expect((await send('/in', '{"a":1}', { 'content-type': 'application/json; charset=latin1' })).got?.bodyError).toMatchObject({ type: 'charset.unsupported', status: 415 });
    expect((await send('/in', '{"a":1}', { 'content-encoding': 'compress' })).got?.bodyError).toMatchObject({ type: 'encoding.unsupported', status: 415 });
  });

  it('parses as body-parser does: objects and arrays only, empty is {}, a byte-order mark is dropped', async () => {
    expect((await send('/in', '  [1, 2]')).got?.body).toEqual([1, 2]);
    expect((await send('/in', '')).got?.body).toEqual({});
    expect((await send('/in', '\ufeff{"b":2}')).got?.body).toEqual({ b: 2 });
    for (const bad of ['"text"', '42', 'null', '{"a":', 'nope']) {
      const r = await send('/in', bad);
      expect(r.got?.body, bad).toBeUndefined();
      expect(r.got?.bodyError, bad).toEqual({ type: 'entity.parse.failed', status: 400 });
    }
  });

  it('refuses bodies over the limit, whether declared or only counted', async () => {
    const big = JSON.stringify({ t: 'x'.repeat(100) });
    expect((await send('/in', big)).got?.bodyError).toEqual({ type: 'entity.too.large', status: 413, limit: 64 });
    // Chunked: no Content-Length to trust, so the bytes are counted as they arrive.
    const chunked = await new Promise<string>((resolve, reject) => {
      seen.length = 0;
      const req = request(`${base}/in`, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        res.setEncoding('utf8');
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write('{"pad":"0123456789"}');
      req.end();
    });
    expect(chunked).toBe('raw');
    expect(seen[0]?.bodyError?.type).toBe('entity.too.large');
  });

  it("gives the client's address as express does: X-Forwarded-For only from a trusted (loopback) proxy", async () => {
    expect((await send('/in', '{}')).got?.ip).toBe('127.0.0.1');
    expect((await send('/in', '{}', { 'x-forwarded-for': '203.0.113.7' })).got?.ip).toBe('203.0.113.7');
  });

  it('hands a failing handler to onError', async () => {
    const r = await send('/in', '{"fail":true}');
    expect([r.status, r.by]).toEqual([500, 'failed']);
  });
});
