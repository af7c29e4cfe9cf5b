// Slack's request URLs on their own (the Bolt App's receiver router), with a stub intake: verification before
// anything is read, the 3-second ack budget, and what Slack is answered when a message cannot be taken.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackApp } from '../../channels/slack/slack-app.js';
import { loadSlackConfig } from '../../channels/slack/slack-config.js';
import { IntakeUnavailableError } from '../../src/core/errors.js';
import type { InboundMessage } from '../../src/core/envelope.js';
import { createLogger } from '../../src/log.js';
import { SlackSender } from '../fakes/slack-api.js';

const SIX_MINUTES_AGO = () => Math.floor(Date.now() / 1000) - 360;

const SECRET = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const config = loadSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1111111111-2222222222-abcdefabcdef', SLACK_SIGNING_SECRET: SECRET })!;
let server: Server | undefined;

async function serve(take: (m: InboundMessage) => Promise<void>): Promise<SlackSender> {
  const app = express();
  app.use(createSlackApp({ config, take, log: createLogger('silent') }).router);
  server = createServer(app);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return new SlackSender(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, SECRET);
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

const dm = (text: string) => ({
  type: 'event_callback',
  event_id: 'Ev0000001',
  event: { type: 'message', channel_type: 'im', user: 'U061F7AUR', channel: 'D0PNCRP9N', text, ts: '1764302400.000200' },
});

describe('slack routes', () => {
  it('hands a verified DM over and acknowledges it only once it is taken', async () => {
    const taken: InboundMessage[] = [];
    const slack = await serve(async (m) => {
      await new Promise((r) => setTimeout(r, 300));
      taken.push(m);
    });
    expect((await slack.event(dm('公积金怎么提取'))).status).toBe(200);
    expect(taken.map((m) => m.text)).toEqual(['公积金怎么提取']);
  });

  it('answers 503 when the intake cannot make the message durable, so Slack retries', async () => {
    const slack = await serve(async () => {
      throw new IntakeUnavailableError('redis down');
    });
    const r = await slack.event(dm('井盖丢了'));
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('5');
  });

  it('answers within the ack budget when the intake is slow, and lets the retry be deduplicated', async () => {
    let finished = false;
    const slack = await serve(async () => {
      await new Promise((r) => setTimeout(r, 3500));
      finished = true;
    });
    const started = Date.now();
    const r = await slack.event(dm('井盖丢了'));
    expect(r.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(finished).toBe(false);
  });

  it('tells a slash command user when the service is busy instead of failing the command', async () => {
    const slack = await serve(async () => {
      throw new IntakeUnavailableError('redis down');
    });
    const r = await slack.command({ command: '/12345', text: '查询', user_id: 'U061F7AUR', channel_id: 'C0LAN2Q65', trigger_id: '1.2.3' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ response_type: 'ephemeral', text: expect.stringMatching(/繁忙/) });
  });

  it('refuses a payload it cannot read with 400 invalid_request naming the field, asking Slack not to retry it', async () => {
    const taken: InboundMessage[] = [];
    const slack = await serve(async (m) => void taken.push(m));
    const r = await slack.event({ type: 'event_callback', event_id: 'Ev1', event: { type: 'message', channel: 'not a channel', ts: 'x' } });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: 'invalid_request', field: 'channel', reason: 'slack event: channel: must be a Slack id' });
    expect(r.headers.get('x-slack-no-retry')).toBe('1');
    const command = await slack.command({ command: '/other', user_id: 'U061F7AUR', channel_id: 'C0LAN2Q65', trigger_id: '1.2.3' });
    expect([command.status, command.body]).toEqual([400, { error: 'invalid_request', field: 'command', reason: 'slack slash command: command: /other is not /12345' }]);
    const button = await slack.interaction({ type: 'block_actions', team: { id: 'T0J1F6H2K' }, user: { id: 'U061F7AUR' }, actions: [{ type: 'button', value: 42 }] });
    expect([button.status, button.body.error, typeof button.body.field]).toEqual([400, 'invalid_request', 'string']);
    expect((await slack.interaction('not json at all')).status).toBe(200);
    expect(taken).toEqual([]);
  });

  it('refuses bad, missing and stale signatures with 401 and hands nothing over', async () => {
    const taken: InboundMessage[] = [];
    const slack = await serve(async (m) => {
      taken.push(m);
    });
    const other = 'ffffffffffffffffffffffffffffffff';
    const refused = [
      await slack.event(dm('井盖丢了'), { secret: other }),
      await slack.event(dm('井盖丢了'), { omit: ['signature'] }),
      await slack.event(dm('井盖丢了'), { omit: ['timestamp'] }),
      await slack.event(dm('井盖丢了'), { timestamp: SIX_MINUTES_AGO() }),
      await slack.event(dm('井盖丢了'), { signature: 'v1=' + '0'.repeat(64) }),
      await slack.event({ type: 'url_verification', challenge: 'abc' }, { secret: other }),
      await slack.command({ command: '/12345', text: '查询', user_id: 'U061F7AUR', channel_id: 'C0LAN2Q65', trigger_id: '1.2.3' }, { secret: other }),
      await slack.command({ ssl_check: '1' }, { omit: ['signature'] }),
      await slack.interaction({ type: 'block_actions' }, { timestamp: SIX_MINUTES_AGO() }),
    ];
    expect(refused.map((r) => r.status)).toEqual(refused.map(() => 401));
    expect(taken).toEqual([]);
  });

  it('answers the url_verification challenge and ssl_check of signed requests', async () => {
    const slack = await serve(async () => {});
    const r = await slack.event({ token: 'legacy', challenge: 'c0ffee', type: 'url_verification' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ challenge: 'c0ffee' });
    expect((await slack.command({ ssl_check: '1', token: 'legacy' })).status).toBe(200);
  });

  it("hands Slack's retries over like first deliveries, for the intake to recognize", async () => {
    const taken: InboundMessage[] = [];
    const slack = await serve(async (m) => {
      taken.push(m);
    });
    const r = await slack.event(dm('公积金怎么提取'), { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect(r.status).toBe(200);
    expect(taken.map((m) => m.id)).toEqual(['slack:D0PNCRP9N:1764302400.000200']);
  });

  it('answers at once, never 5xx, what Bolt cannot route or read', async () => {
    const slack = await serve(async () => {
      throw new Error('nothing may be taken here');
    });
    const started = Date.now();
    // Bolt finds no listener type for these: acknowledged rather than left to its 3-second timer.
    expect((await slack.event({ type: 'app_rate_limited' })).status).toBe(200);
    expect((await slack.event(42)).status).toBe(200);
    expect((await slack.interaction({ type: 'view_closed', team: { id: 'T0J1F6H2K' }, user: { id: 'U061F7AUR' }, view: {} })).status).toBe(200);
    // An event with no listener (a reaction) is acknowledged too.
    expect((await slack.event({ type: 'event_callback', event_id: 'Ev2', event: { type: 'reaction_added', user: 'U061F7AUR', item: {} } })).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2000);
    // Bodies Bolt's own routing trips over (null, an event that is not an object, a button press without user).
    const unreadable = [
      await slack.event(null),
      await slack.event({ type: 'event_callback', event: 'x' }),
      await slack.interaction({ type: 'block_actions', actions: [{ type: 'button', value: 'x' }] }),
      await slack.eventBytes('{"type":'),
    ];
    expect(unreadable.map((r) => r.status)).toEqual([400, 400, 400, 400]);
    // Bolt's routing errors reach processEventErrorHandler; the body it cannot parse is answered by its own
    // body parser, bodiless, before any hook (slack-app.ts's header).
    expect(unreadable.slice(0, 3).map((r) => [r.body.error, r.body.field])).toEqual([
      ['invalid_request', 'body'],
      ['invalid_request', 'body'],
      ['invalid_request', 'body'],
    ]);
    expect(unreadable[3].body).toBe('');
  });

  it('answers 500 when the intake fails in an unexpected way', async () => {
    const slack = await serve(async () => {
      throw new Error('bug');
    });
    const r = await slack.event(dm('井盖丢了'));
    expect(r.status).toBe(500);
    expect(r.body.error).toBe('internal');
  });
});
