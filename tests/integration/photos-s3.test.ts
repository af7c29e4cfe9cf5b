// Photos in S3-compatible storage (PHOTO_S3_*) through a real gateway and a fake bucket speaking S3's REST
// protocol: an upload's bytes land in the bucket and not in the table, staff are served them from there, a row
// written before S3 was configured stays readable, removing a conversation's photos deletes their objects, and
// a bucket that is down refuses the upload with 503 and stores nothing.
import { eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { WebchatCitizen, waitUntil } from '../helpers/webchat-client.js';
import { jpegWithGps, png, uploadPhotos, type UploadFile } from '../helpers/photos.js';
import { FakeS3 } from '../fakes/s3-server.js';
import { PhotoStore } from '../../src/tickets/photo-store.js';
import { photos as photosTable } from '../../src/tickets/schema.js';
import { processPhoto } from '../../src/photos/photo-processing.js';

const BUCKET = 'citizen-photos';
const KEY_ID = 'jiesu-test-key';
const PREFIX = 'gw1/';
let gw: TestGateway;
let s3: FakeS3;
const auth = () => ({ authorization: `Bearer ${gw.adminToken}` });

const upload = (sessionId: string, files: UploadFile[]) => uploadPhotos(gw.url, sessionId, files);

async function rowOf(id: string) {
  const rows = await gw.gateway.services.database.db.select().from(photosTable).where(eq(photosTable.id, id));
  return rows[0];
}

beforeAll(async () => {
  s3 = await new FakeS3(BUCKET, KEY_ID).start();
  gw = await startTestGateway({
    CONFIRM_COMPLAINTS: '0',
    // The supervision tick applies retention every second here.
    RETENTION_DAYS: '30',
    OVERDUE_CHECK_MS: '1000',
    PHOTO_S3_BUCKET: BUCKET,
    PHOTO_S3_ENDPOINT: s3.url,
    PHOTO_S3_ACCESS_KEY_ID: KEY_ID,
    PHOTO_S3_SECRET_ACCESS_KEY: 'jiesu-test-secret-0123456789',
    PHOTO_S3_PREFIX: PREFIX,
  });
});
afterAll(async () => {
  await gw?.stop();
  await s3?.stop();
});

describe('photos in S3-compatible storage', () => {
  it('an upload goes to the bucket, the row keeps metadata only, staff are served the bytes from the bucket', async () => {
    const c = new WebchatCitizen(gw.url);
    const res = await upload(c.sessionId, [{ bytes: await jpegWithGps(1200, 900), name: 'pothole.jpg', type: 'image/jpeg' }]);
    expect(res.status).toBe(201);
    const [photo] = ((await res.json()) as { photos: { id: string }[] }).photos;
    const id = photo!.id;

    const full = s3.objects.get(`${PREFIX}${id}`);
    const thumb = s3.objects.get(`${PREFIX}${id}.thumb`);
    expect(full?.contentType).toBe('image/jpeg');
    expect((await sharp(full!.bytes).metadata()).width).toBe(1200);
    expect((await sharp(thumb!.bytes).metadata()).width).toBeLessThan(1200);
    const row = await rowOf(id);
    expect(row).toMatchObject({ storage: 's3', bytes: null, thumb: null, width: 1200, height: 900 });

    const served = await fetch(`${gw.url}/api/admin/photos/${id}`, { headers: auth() });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await served.arrayBuffer()).equals(full!.bytes)).toBe(true);
    const small = await fetch(`${gw.url}/api/admin/photos/${id}/thumb`, { headers: auth() });
    expect(Buffer.from(await small.arrayBuffer()).equals(thumb!.bytes)).toBe(true);
    expect(s3.requests.some((r) => r.method === 'GET' && r.path === `/${BUCKET}/${PREFIX}${id}` && r.status === 200)).toBe(true);

    // An object gone from the bucket is a missing photo (404), not a server error.
    s3.objects.delete(`${PREFIX}${id}`);
    expect((await fetch(`${gw.url}/api/admin/photos/${id}`, { headers: auth() })).status).toBe(404);
  });

  it('a photo stored in the database before S3 was configured is still served', async () => {
    const processed = await processPhoto(await png());
    const id = await new PhotoStore(gw.gateway.services.database.db).save('webchat:old-session-0001', processed);
    expect(await rowOf(id)).toMatchObject({ storage: 'db' });
    const served = await fetch(`${gw.url}/api/admin/photos/${id}`, { headers: auth() });
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(processed.bytes)).toBe(true);
    expect(s3.objects.has(`${PREFIX}${id}`)).toBe(false);
  });

  it('removing a conversation’s photos (retention) deletes their objects from the bucket', async () => {
    const c = new WebchatCitizen(gw.url);
    const res = await upload(c.sessionId, [
      { bytes: await png(), name: 'a.png', type: 'image/png' },
      { bytes: await png(), name: 'b.png', type: 'image/png' },
    ]);
    expect(res.status).toBe(201);
    const ids = ((await res.json()) as { photos: { id: string }[] }).photos.map((p) => p.id);
    for (const id of ids) expect(s3.objects.has(`${PREFIX}${id}`)).toBe(true);

    // Another conversation cannot remove them.
    expect(await gw.gateway.services.photos.removeOf('webchat:someone-else-01', ids.map((id) => `photo:${id}`))).toBe(0);
    expect(s3.objects.has(`${PREFIX}${ids[0]}`)).toBe(true);

    expect(await gw.gateway.services.photos.removeOf(`webchat:${c.sessionId}`, ids.map((id) => `photo:${id}`))).toBe(2);
    for (const id of ids) {
      expect(s3.objects.has(`${PREFIX}${id}`)).toBe(false);
      expect(s3.objects.has(`${PREFIX}${id}.thumb`)).toBe(false);
      expect(await rowOf(id)).toBeUndefined();
    }
    expect(s3.requests.some((r) => r.method === 'POST' && r.path === `/${BUCKET}?delete`)).toBe(true);
  });

  it('with the bucket down, removal keeps the rows (retried later) and an upload is refused with 503, nothing stored', async () => {
    const c = new WebchatCitizen(gw.url);
    const first = await upload(c.sessionId, [{ bytes: await png(), name: 'a.png', type: 'image/png' }]);
    const [kept] = ((await first.json()) as { photos: { id: string }[] }).photos;

    const rowsBefore = await gw.gateway.services.photos.count();
    const objectsBefore = s3.objects.size;
    s3.down = true;
    try {
      const res = await upload(c.sessionId, [{ bytes: await png(), name: 'b.png', type: 'image/png' }]);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('30');
      expect(await res.json()).toMatchObject({ error: 'photo_storage_unavailable' });
      expect(await gw.gateway.services.photos.count()).toBe(rowsBefore);
      expect(s3.objects.size).toBe(objectsBefore);

      const served = await fetch(`${gw.url}/api/admin/photos/${kept!.id}`, { headers: auth() });
      expect(served.status).toBe(503);

      await expect(gw.gateway.services.photos.removeOf(`webchat:${c.sessionId}`, [`photo:${kept!.id}`])).rejects.toThrow(/photo bucket/);
      expect(await rowOf(kept!.id)).toBeDefined();
    } finally {
      s3.down = false;
    }
    expect(await gw.gateway.services.photos.removeOf(`webchat:${c.sessionId}`, [`photo:${kept!.id}`])).toBe(1);
    expect(s3.objects.has(`${PREFIX}${kept!.id}`)).toBe(false);
  });

  it('the supervision tick’s retention deletes a closed ticket’s photos from the bucket', async () => {
    const { photos, store, database } = gw.gateway.services;
    const processed = await processPhoto(await png());
    const [mine] = await photos.saveAll('webchat:retained-owner', [processed]);
    expect(s3.objects.has(`${PREFIX}${mine}`)).toBe(true);
    const { ticket } = await store.createFromMessage({
      sourceMessageId: 'webchat:retained-owner/1',
      channel: 'webchat',
      conversationId: 'retained-owner',
      senderId: 'retained-owner',
      isPublic: false,
      lang: 'zh',
      text: '路面塌陷',
      tier: '7d',
      details: { attachments: [{ kind: 'image', url: `photo:${mine}` }] },
      receivedAt: new Date(),
    });
    await database.db.execute(sql`update tickets set status = 'visited', updated_at = now() - make_interval(days => 40) where id = ${ticket.id}`);
    await waitUntil(async () => !s3.objects.has(`${PREFIX}${mine}`), 20_000, 'the photo object deleted by retention');
    expect(s3.objects.has(`${PREFIX}${mine}.thumb`)).toBe(false);
    expect(await rowOf(mine!)).toBeUndefined();
  });

  it('a platform picture fetched twice is stored once, the second copy’s objects deleted', async () => {
    const { photos } = gw.gateway.services;
    const processed = await processPhoto(await png());
    // Keys added by these two saves only: the retention job of the test before runs every second and may delete
    // other objects meanwhile, so the bucket's total size says nothing here.
    const before = new Set(s3.objects.keys());
    const first = await photos.save('telegram:77', processed, 'tg-file:s3-dup');
    const second = await photos.save('telegram:77', processed, 'tg-file:s3-dup');
    expect(second).toBe(first);
    const added = [...s3.objects.keys()].filter((k) => !before.has(k));
    expect(added).toHaveLength(2);
    expect(added.every((k) => k.includes(first))).toBe(true);
    expect((await photos.content(first, 'full'))?.bytes.equals(processed.bytes)).toBe(true);
  });
});
