// The partner route with a scripted intake (no Redis, no database), and how callback failures map to the
// outbound worker's retry rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { ApiAdapter } from '../../channels/api/api-adapter.js';
import { FakePartner, PartnerClient } from '../fakes/partner-callback.js';
import type { IntakeResult } from '../../src/core/channel-adapter.js';
import { ChannelApiError, IntakeUnavailableError } from '../../src/core/errors.js';

let next: () => Promise<IntakeResult>;
let server: Server;
let base = '';
let partner: FakePartner;
let apiAdapter: ApiAdapter;

beforeAll(async () => {
  partner = await new FakePartner().start();
  apiAdapter = new ApiAdapter({ partners: new Map([[partner.id, partner.config()]]), replayWindowSeconds: 300 });
  const app = express();
  const router = express.Router();
  app.use(router);
  await apiAdapter.start({ intake: { handle: () => next(), countRefused: async () => ({ ok: true, retryAfterMs: 0 }) }, router, log: pino({ level: 'silent' }), onUpgrade: () => {}, leadership: { lead: (_role, lead, stop) => lead(stop) }, outbound: { add: async () => {}, ready: async () => {} } });
  server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await partner.stop();
});

describe('partner route and callbacks', () => {
  it('answers 503 with Retry-After when the intake cannot make the message durable', async () => {
    next = async () => {
      throw new IntakeUnavailableError('queue unavailable', 5);
    };
    const r = await new PartnerClient(base, partner.id, partner.secret).post({ messageId: 'm-1', conversationId: 'c-1', sender: { id: 'u-1' }, text: '投诉' });
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('5');
    expect(r.body.reason).toMatch(/same messageId/);
  });

  it('maps callback failures to the outbound worker’s rules', async () => {
    const to = { channel: 'api' as const, conversationId: `${partner.id}/c-1` };
    partner.down('503');
    const down = await apiAdapter.send(to, { id: 'r-1', text: 'x' }).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(ChannelApiError);
    expect((down as ChannelApiError).status).toBe(503);
    partner.down('drop');
    const dropped = await apiAdapter.send(to, { id: 'r-1', text: 'x' }).catch((e: unknown) => e);
    expect((dropped as ChannelApiError).status).toBeUndefined();
    partner.up();
    await apiAdapter.send(to, { id: 'r-1', text: 'x', kind: 'feedback' });
    expect(partner.accepted.get('r-1')?.body).toMatchObject({ conversationId: 'c-1', reply: { text: 'x', kind: 'feedback' } });
    const unknown = await apiAdapter.send({ channel: 'api', conversationId: 'gone-partner/c-1' }, { id: 'r-2', text: 'x' }).catch((e: unknown) => e);
    expect((unknown as ChannelApiError).status).toBe(404);
  });
});
