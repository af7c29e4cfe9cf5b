// Photos from the widget through a real gateway: uploaded (checked by their bytes, re-encoded, EXIF gone),
// sent with a complaint, shown on the ticket to staff, refused whole when any picture is wrong, never shown on
// another conversation's ticket, and linked to the hotline system by signed, expiring links.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { WebchatCitizen } from '../helpers/webchat-client.js';
import { FakeHotline } from '../fakes/hotline-server.js';
import { waitUntil } from '../helpers/webchat-client.js';
import { GPS_IN_FENGTAI, jpegWithGps, png, SVG, uploadPhotos, type UploadFile } from '../helpers/photos.js';
import { PhotoStore } from '../../src/tickets/photo-store.js';
import { photoLink } from '../../src/photos/photo-link.js';

const SECRET = 'hotline-shared-secret-photos-0123';
let gw: TestGateway;
let fake: FakeHotline;
let photos: PhotoStore;
const auth = () => ({ authorization: `Bearer ${gw.adminToken}` });

const upload = (sessionId: string, files: UploadFile[]) => uploadPhotos(gw.url, sessionId, files);

async function fileWithPhotos(c: WebchatCitizen, ids: string[]): Promise<string> {
  await c.connect();
  const r = await c.say('丰台区卢沟桥街道丰台北路上有个大坑，车都绕着走', undefined, { photos: ids });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body.status).toBe('queued');
  return (await c.waitFor((m) => m.kind === 'ticket')).ticketNumber;
}

beforeAll(async () => {
  fake = await new FakeHotline(SECRET, 1000).start();
  gw = await startTestGateway({ CONFIRM_COMPLAINTS: '0', HOTLINE_URL: fake.url, HOTLINE_SECRET: SECRET, PUBLIC_URL: 'https://jiesu.example.gov.cn' });
  photos = new PhotoStore(gw.gateway.services.database.db);
});
afterAll(async () => {
  await gw?.stop();
  await fake?.stop();
});

describe('photos', () => {
  it('a complaint with two photos shows both on the ticket, served without EXIF, the GPS kept as a hint', async () => {
    const c = new WebchatCitizen(gw.url);
    const res = await upload(c.sessionId, [
      { bytes: await jpegWithGps(1200, 900), name: 'pothole.jpg', type: 'image/jpeg' },
      { bytes: await png(), name: 'sign.png', type: 'image/png' },
    ]);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { photos: { id: string; width: number; height: number }[] };
    expect(body.photos).toHaveLength(2);
    expect(body.photos[0]).toMatchObject({ width: 1200, height: 900 });
    const number = await fileWithPhotos(c, body.photos.map((p) => p.id));

    const ticket = (await (await fetch(`${gw.url}/api/admin/tickets/${number}`, { headers: auth() })).json()) as any;
    expect(ticket.photos.map((p: any) => p.id)).toEqual(body.photos.map((p) => p.id));
    expect(ticket.photos[0].gps).toEqual(GPS_IN_FENGTAI);
    for (const path of [ticket.photos[0].url, ticket.photos[0].thumbUrl]) {
      const img = await fetch(`${gw.url}${path}`, { headers: auth() });
      expect(img.status).toBe(200);
      expect(img.headers.get('content-type')).toBe('image/jpeg');
      const meta = await sharp(Buffer.from(await img.arrayBuffer())).metadata();
      expect(meta.exif).toBeUndefined();
    }
    // Staff only: without a session or token the picture is not served.
    expect((await fetch(`${gw.url}${ticket.photos[0].url}`)).status).toBe(401);

    // The hotline gets signed links that serve the picture, and stop working when tampered with.
    await waitUntil(async () => fake.created.has(number), 20_000, 'ticket sent to the hotline');
    const sent = fake.created.get(number)!.ticket;
    expect(sent.photos).toHaveLength(2);
    const link = new URL(sent.photos![0]!.url);
    expect(link.origin).toBe('https://jiesu.example.gov.cn');
    const local = `${gw.url}${link.pathname}${link.search}`;
    const served = await fetch(local);
    expect(served.status).toBe(200);
    expect((await sharp(Buffer.from(await served.arrayBuffer())).metadata()).exif).toBeUndefined();
    const tampered = local.replace(/expires=(\d+)/, (_m, n) => `expires=${Number(n) + 1}`);
    expect((await fetch(tampered)).status).toBe(403);
  });

  it('an expired link answers 410', async () => {
    const id = (await photos.saveAll('webchat:expired-link-0001', [await (await import('../../src/photos/photo-processing.js')).processPhoto(await png())]))[0]!;
    const old = photoLink(gw.url, SECRET, id, Date.now() - 8 * 86_400_000);
    const res = await fetch(old.url);
    expect(res.status).toBe(410);
  });

  it('refuses the whole upload when one picture is SVG, too many or too large, and stores nothing', async () => {
    const c = new WebchatCitizen(gw.url);
    const before = await photos.count();
    const jpeg = await jpegWithGps(200, 200);
    const svg = await upload(c.sessionId, [
      { bytes: jpeg, name: 'ok.jpg', type: 'image/jpeg' },
      { bytes: SVG, name: 'evil.jpg', type: 'image/jpeg' },
    ]);
    expect(svg.status).toBe(415);
    expect(await svg.json()).toMatchObject({ error: 'photo_unsupported_type', field: 'photos', index: 1 });
    const four = await upload(c.sessionId, Array.from({ length: 4 }, (_, i) => ({ bytes: jpeg, name: `p${i}.jpg`, type: 'image/jpeg' })));
    expect(four.status).toBe(400);
    expect(await four.json()).toMatchObject({ error: 'invalid_request', field: 'photos', rule: 'too_many' });
    const big = await upload(c.sessionId, [{ bytes: Buffer.concat([jpeg, Buffer.alloc(10 * 1024 * 1024)]), name: 'big.jpg', type: 'image/jpeg' }]);
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: 'photo_too_large' });
    const none = await upload(c.sessionId, []);
    expect([none.status, await none.json()]).toEqual([400, { error: 'invalid_request', field: 'photos', reason: 'photos: no picture in the field' }]);
    const badSession = await upload('no', [{ bytes: jpeg, name: 'ok.jpg', type: 'image/jpeg' }]);
    expect(badSession.status).toBe(400);
    const json = await fetch(`${gw.url}/api/webchat/photos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(415);
    expect(await photos.count()).toBe(before);
  });

  it("never shows another conversation's photo on a ticket, and refuses ids that are not photo ids", async () => {
    const alice = new WebchatCitizen(gw.url);
    const up = (await (await upload(alice.sessionId, [{ bytes: await png(), name: 'a.png', type: 'image/png' }])).json()) as { photos: { id: string }[] };
    const mallory = new WebchatCitizen(gw.url);
    const number = await fileWithPhotos(mallory, [up.photos[0]!.id]);
    const ticket = (await (await fetch(`${gw.url}/api/admin/tickets/${number}`, { headers: auth() })).json()) as any;
    expect(ticket.photos).toEqual([]);
    const bad = await mallory.say('有个坑', undefined, { photos: ['../../etc/passwd'] });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ field: 'photos.0' });
  });

  it('a photo sent while the bot asks for the place joins the complaint', async () => {
    const slow = await startTestGateway({});
    try {
      const c = new WebchatCitizen(slow.url);
      await c.connect();
      const first = await c.say('路边有个井盖丢了，很危险');
      expect(first.body.replies[0].text).toMatch(/哪个区/);
      const form = new FormData();
      form.append('sessionId', c.sessionId);
      form.append('photos', new Blob([new Uint8Array(await png())], { type: 'image/png' }), 'manhole.png');
      const up = (await (await fetch(`${slow.url}/api/webchat/photos`, { method: 'POST', body: form })).json()) as { photos: { id: string }[] };
      const photoOnly = await c.say('', undefined, { photos: [up.photos[0]!.id] });
      expect(photoOnly.status).toBe(200);
      expect(photoOnly.body.replies[0].text).toMatch(/哪个区/);
      await c.say('丰台区卢沟桥街道丰台北路');
      await c.say('确认', undefined, { action: 'confirm:yes' });
      const number = (await c.waitFor((m) => m.kind === 'ticket')).ticketNumber;
      const ticket = (await (await fetch(`${slow.url}/api/admin/tickets/${number}`, { headers: { authorization: `Bearer ${slow.adminToken}` } })).json()) as any;
      expect(ticket.photos.map((p: any) => p.id)).toEqual([up.photos[0]!.id]);
      c.close();
    } finally {
      await slow.stop();
    }
  });

  it('the agent inbox shows a photo sent in a handed-over conversation, and the ticket page its source turn with the photo', async () => {
    const c = new WebchatCitizen(gw.url);
    await c.connect();
    const handed = await c.say('转人工');
    expect(handed.status).toBe(200);
    const up = (await (await upload(c.sessionId, [{ bytes: await png(), name: 'leak.png', type: 'image/png' }])).json()) as { photos: { id: string }[] };
    expect((await c.say('楼道里漏水了，看照片', undefined, { photos: [up.photos[0]!.id] })).status).toBe(200);
    const q = new URLSearchParams({ channel: 'webchat', conversationId: c.sessionId });
    let turn: any;
    await waitUntil(async () => {
      const conv = (await (await fetch(`${gw.url}/api/admin/handoffs/conversation?${q}`, { headers: auth() })).json()) as any;
      turn = conv.transcript?.find((t: any) => t.photos?.length);
      return Boolean(turn);
    }, 10_000, 'the photo turn in the inbox');
    expect(turn.photos[0]).toMatchObject({ id: up.photos[0]!.id, thumbUrl: `/api/admin/photos/${up.photos[0]!.id}/thumb` });
    c.close();

    // A ticket's conversation: the complaint turn carries its photos too.
    const d = new WebchatCitizen(gw.url);
    const upd = (await (await upload(d.sessionId, [{ bytes: await png(), name: 'hole.png', type: 'image/png' }])).json()) as { photos: { id: string }[] };
    const number = await fileWithPhotos(d, [upd.photos[0]!.id]);
    await waitUntil(async () => {
      const conv = (await (await fetch(`${gw.url}/api/admin/tickets/${number}/conversation`, { headers: auth() })).json()) as any;
      return conv.transcript?.some((t: any) => t.photos?.[0]?.id === upd.photos[0]!.id);
    }, 10_000, 'the photo turn on the ticket page');
    d.close();
  });
});
