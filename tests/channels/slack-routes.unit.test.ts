// Slack's request URLs on their own, with a stub intake: verification before anything is read, the 3-second
// ack budget, and what Slack is answered when a message cannot be taken.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { slackRouter } from '../../channels/slack/routes.js';
import { loadSlackConfig } from '../../channels/slack/slack-config.js';
import { IntakeUnavailableError } from '../../src/core/errors.js';
import type { InboundMessage } from '../../src/core/envelope.js';
import { createLogger } from '../../src/log.js';
import { SlackSender } from '../fakes/slack-api.js';

const SECRET = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const config = loadSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1111111111-2222222222-abcdefabcdef', SLACK_SIGNING_SECRET: SECRET })!;
let server: Server | undefined;

async function serve(take: (m: InboundMessage) => Promise<void>): Promise<SlackSender> {
  const app = express();
  app.use(slackRouter({ config, take, log: createLogger('silent') }));
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
  it('hands a verified DM over and acknowledges it', async () => {
    const taken: InboundMessage[] = [];
    const slack = await serve(async (m) => {
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

  it('refuses a payload it cannot read, asking Slack not to retry it', async () => {
    const slack = await serve(async () => {});
    const r = await slack.event({ type: 'event_callback', event_id: 'Ev1', event: { type: 'message', channel: 'not a channel', ts: 'x' } });
    expect(r.status).toBe(400);
    expect(r.headers.get('x-slack-no-retry')).toBe('1');
    expect((await slack.command({ command: '/other', user_id: 'U061F7AUR', channel_id: 'C0LAN2Q65', trigger_id: '1.2.3' })).status).toBe(400);
    expect((await slack.interaction('not json at all')).status).toBe(200);
  });
});
