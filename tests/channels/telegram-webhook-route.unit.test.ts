// The Telegram webhook route on its own: what Telegram is answered for each outcome of handing an update over.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { telegramWebhookRouter } from '../../channels/telegram/webhook-route.js';
import { ReplyDispatchError } from '../../channels/reply-dispatch.js';
import { IntakeUnavailableError, NormalizationError } from '../../src/core/errors.js';
import { createLogger } from '../../src/log.js';
import { postUpdate } from '../fakes/telegram-api.js';

const SECRET = 'route-secret-0123456789';
let server: Server | undefined;

async function serve(handle: (update: unknown) => Promise<void>): Promise<string> {
  const app = express();
  app.use(telegramWebhookRouter(SECRET, handle, createLogger('silent')));
  server = createServer(app);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

describe('telegram webhook route', () => {
  it('checks the secret before reading the body', async () => {
    let calls = 0;
    const url = await serve(async () => {
      calls++;
    });
    expect((await postUpdate(url, '{not json', 'wrong-secret-0123456789')).status).toBe(401);
    expect((await postUpdate(url, { update_id: 1 }, SECRET)).status).toBe(200);
    expect(calls).toBe(1);
  });

  it('answers 503 with Retry-After when the update could not be taken, so Telegram redelivers it', async () => {
    for (const err of [new IntakeUnavailableError('redis down', 7), new ReplyDispatchError('neither queued nor sent')]) {
      const url = await serve(async () => {
        throw err;
      });
      const r = await postUpdate(url, { update_id: 1 }, SECRET);
      expect(r.status).toBe(503);
      await new Promise<void>((res) => server!.close(() => res()));
      server = undefined;
    }
  });

  it('answers 400 with the reason for an update that cannot be read', async () => {
    const url = await serve(async () => {
      throw new NormalizationError('telegram message: chat.id: expected number');
    });
    const r = await postUpdate(url, { update_id: 1 }, SECRET);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ error: 'invalid_update', reason: 'telegram message: chat.id: expected number' });
  });
});
