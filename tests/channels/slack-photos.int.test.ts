// A photo shared with the Slack bot in a DM complaint: the ticket keeps its url_private, and the photo-fetch
// worker downloads it with the bot's token (from the fake Web API's file host), stores it without EXIF, and the
// ticket lists it.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { waitUntil } from '../helpers/webchat-client.js';
import { FakeSlackApi, SlackSender } from '../fakes/slack-api.js';
import { GPS_IN_FENGTAI, jpegWithGps } from '../helpers/photos.js';

const SIGNING_SECRET = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
let fake: FakeSlackApi;
let gw: TestGateway;
let slack: SlackSender;

beforeAll(async () => {
  fake = await new FakeSlackApi().start();
  gw = await startTestGateway({ SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.url, CONFIRM_COMPLAINTS: '0' });
  slack = new SlackSender(gw.url, SIGNING_SECRET);
});
afterAll(async () => {
  await gw?.stop();
  await fake?.stop();
});

describe('slack photos', () => {
  it('downloads a shared photo with the bot token after the ticket is made', async () => {
    const url = fake.addFile('F07PHOTO001', await jpegWithGps(900, 600));
    const ts = `${Math.floor(Date.now() / 1000)}.000100`;
    const event = {
      type: 'message', subtype: 'file_share', channel_type: 'im', user: 'U0PHOTO01', channel: 'D0PHOTO01', ts, event_ts: ts, team: 'T0J1F6H2K',
      text: '丰台区卢沟桥街道丰台北路上有个大坑，车都绕着走',
      files: [{ id: 'F07PHOTO001', name: 'photo.jpg', mimetype: 'image/jpeg', url_private: url }],
    };
    const envelope = { token: 'legacy', team_id: 'T0J1F6H2K', api_app_id: 'A07H12345AB', type: 'event_callback', event_id: 'EvPHOTO0001', event_time: Math.floor(Date.now() / 1000), event };
    expect((await slack.event(envelope)).status).toBe(200);
    const ticketOf = async () => (await gw.gateway.services.store.list({ senderId: 'U0PHOTO01' })).items[0];
    await waitUntil(async () => Boolean(await ticketOf()), 20_000, 'ticket made');
    const number = (await ticketOf())!.number;
    const view = async () => (await (await fetch(`${gw.url}/api/admin/tickets/${number}`, { headers: { authorization: `Bearer ${gw.adminToken}` } })).json()) as any;
    await waitUntil(async () => (await view()).photos?.length === 1, 20_000, 'photo fetched');
    const photo = (await view()).photos[0];
    expect(photo.gps).toEqual(GPS_IN_FENGTAI);
    const img = await fetch(`${gw.url}${photo.url}`, { headers: { authorization: `Bearer ${gw.adminToken}` } });
    expect((await sharp(Buffer.from(await img.arrayBuffer())).metadata()).exif).toBeUndefined();
    expect(fake.callsOf('(file)').map((c) => c.status)).toEqual([200]);
  });
});
