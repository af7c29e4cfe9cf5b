// A photo sent to the Telegram bot with a complaint: the ticket keeps Telegram's file id, and the photo-fetch
// worker downloads the file through getFile soon after (from the fake Bot API), stores it re-encoded without
// EXIF, and the ticket page lists it. A file Telegram no longer has is skipped without failing the ticket.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { waitUntil } from '../helpers/webchat-client.js';
import { FakeTelegramApi } from '../fakes/telegram-api.js';
import { jpegWithGps, GPS_IN_FENGTAI } from '../helpers/photos.js';

let fake: FakeTelegramApi;
let gw: TestGateway;
let nextMessageId = 1;

function photoUpdate(chatId: number, caption: string, fileIds: string[]) {
  const from = { id: chatId, is_bot: false, first_name: '市民' };
  // Telegram sends each photo in several sizes, smallest first; the adapter keeps the largest.
  const photo = fileIds.map((id, i) => ({ file_id: id, file_unique_id: `u${id}`, width: 320 * (i + 1), height: 240 * (i + 1), file_size: 1000 * (i + 1) }));
  return { message: { message_id: nextMessageId++, from, chat: { id: chatId, type: 'private', first_name: '市民' }, date: Math.floor(Date.now() / 1000), caption, photo } };
}

const ticketOf = async (chatId: number) => {
  const list = await gw.gateway.services.store.list({ senderId: String(chatId) });
  return list.items[0];
};

beforeAll(async () => {
  fake = await new FakeTelegramApi().start();
  gw = await startTestGateway({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.url, TELEGRAM_POLL_TIMEOUT_S: '1', CONFIRM_COMPLAINTS: '0' });
});
afterAll(async () => {
  await gw?.stop();
  await fake?.stop();
});

describe('telegram photos', () => {
  it('downloads the largest size of a complaint photo after the ticket is made and shows it on the ticket', async () => {
    fake.addFile('big-photo-1', await jpegWithGps(1280, 960));
    fake.pushUpdate(photoUpdate(3001, '丰台区卢沟桥街道丰台北路上有个大坑，车都绕着走', ['small-photo-1', 'big-photo-1']));
    await waitUntil(async () => Boolean(await ticketOf(3001)), 20_000, 'ticket made');
    const t = await ticketOf(3001);
    await waitUntil(async () => {
      const view = (await (await fetch(`${gw.url}/api/admin/tickets/${t!.number}`, { headers: { authorization: `Bearer ${gw.adminToken}` } })).json()) as any;
      return view.photos?.length === 1;
    }, 20_000, 'photo fetched');
    const view = (await (await fetch(`${gw.url}/api/admin/tickets/${t!.number}`, { headers: { authorization: `Bearer ${gw.adminToken}` } })).json()) as any;
    expect(view.photos[0].gps).toEqual(GPS_IN_FENGTAI);
    const img = await fetch(`${gw.url}${view.photos[0].url}`, { headers: { authorization: `Bearer ${gw.adminToken}` } });
    const meta = await sharp(Buffer.from(await img.arrayBuffer())).metadata();
    expect([meta.width, meta.height, meta.exif]).toEqual([1280, 960, undefined]);
    expect(fake.callsOf('getFile').map((c) => c.body.file_id)).toEqual(['big-photo-1']);
  });

  it('skips a file Telegram no longer has, keeping the ticket', async () => {
    fake.pushUpdate(photoUpdate(3002, '朝阳区望京街道花家地西里垃圾好几天没人清运了', ['gone-photo']));
    await waitUntil(async () => Boolean(await ticketOf(3002)), 20_000, 'ticket made');
    await waitUntil(async () => fake.callsOf('getFile').some((c) => c.body.file_id === 'gone-photo'), 20_000, 'fetch tried');
    const t = await ticketOf(3002);
    await new Promise((r) => setTimeout(r, 500));
    const view = (await (await fetch(`${gw.url}/api/admin/tickets/${t!.number}`, { headers: { authorization: `Bearer ${gw.adminToken}` } })).json()) as any;
    expect(view.photos).toEqual([]);
    expect(fake.callsOf('getFile').filter((c) => c.body.file_id === 'gone-photo')).toHaveLength(1);
  });
});
