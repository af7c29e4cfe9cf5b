// RETENTION_DAYS: closed tickets lose their personal fields after N days; open or recent ones keep them.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/tickets/db.js';
import { TicketStore } from '../../src/tickets/ticket-store.js';
import { TicketTransitions } from '../../src/tickets/transitions.js';
import { redactClosedTickets } from '../../src/tickets/retention.js';
import { openTestDatabase } from '../helpers/databases.js';
import { PhotoStore } from '../../src/tickets/photo-store.js';
import { processPhoto } from '../../src/photos/photo-processing.js';
import { png } from '../helpers/photos.js';

let db: Database;
let closeDatabase: () => Promise<void>;
let store: TicketStore;

beforeAll(async () => {
  ({ database: db, close: closeDatabase } = await openTestDatabase());
  store = new TicketStore(db.db, 'Asia/Shanghai');
});
afterAll(async () => {
  await closeDatabase();
});

async function make(id: string, status: string, daysAgo: number, who = { senderName: '张先生', text: '楼下漏水，电话13812345678，身份证110105194912310021' }) {
  const { ticket } = await store.createFromMessage({
    sourceMessageId: `webchat:s/${id}`,
    channel: 'webchat',
    conversationId: 's',
    senderId: 's',
    senderName: who.senderName,
    isPublic: false,
    lang: 'zh',
    text: who.text,
    tier: '7d',
    phone: '13812345678',
    details: { location: { lat: 39.9, lng: 116.4 }, placeText: '假日风景小区3号楼', score: 0.9 },
    receivedAt: new Date(),
  });
  await db.db.execute(sql`update tickets set status = ${status}, updated_at = now() - make_interval(days => ${daysAgo}) where id = ${ticket.id}`);
  return ticket.number;
}

it('removes personal fields of tickets closed longer than the retention period, once', async () => {
  const old = await make('old', 'visited', 40);
  const recent = await make('recent', 'visited', 5);
  const open = await make('open', 'in_progress', 40);
  // An office's note with a phone number in it, on the old ticket and on the open one.
  const transitions = new TicketTransitions(db.db);
  for (const n of [old, open]) await db.db.execute(sql`update tickets set status = 'dispatched' where number = ${n}`);
  for (const n of [old, open]) await transitions.change({ number: n, to: 'in_progress', actor: 'operator:卢沟桥街道', note: '已联系张先生13812345678' });
  await db.db.execute(sql`update tickets set status = 'visited', updated_at = now() - make_interval(days => 40) where number = ${old}`);
  await db.db.execute(sql`update tickets set updated_at = now() - make_interval(days => 40) where number = ${open}`);
  expect(await redactClosedTickets(db.db, new Date(), 30)).toBe(1);
  expect(await redactClosedTickets(db.db, new Date(), 30)).toBe(0);

  const o = (await store.getByNumber(old))!;
  expect(o.senderName).toBeNull();
  expect(o.phone).toBeNull();
  expect(o.text).toBe('楼下漏水，电话138****5678，身份证110**************1');
  expect(o.details).toMatchObject({ score: 0.9, redactedAt: expect.any(String) });
  expect(o.details).not.toHaveProperty('location');
  expect(o.details).not.toHaveProperty('placeText');
  const notes = async (n: string) => (await store.events((await store.getByNumber(n))!.id)).flatMap((e) => (e.note ? [e.note] : []));
  expect(await notes(old)).toEqual(['已联系张先生138****5678']);
  expect(await notes(open)).toEqual(['已联系张先生13812345678']);

  for (const n of [recent, open]) {
    const t = (await store.getByNumber(n))!;
    expect(t.phone).toBe('13812345678');
    expect(t.senderName).toBe('张先生');
  }
});

it("masks the sender's name and the names a text introduces, in the text and the notes", async () => {
  const named = await make('named', 'in_progress', 40, { senderName: '李明', text: '我叫李明，楼下漏水，联系人：王小红 13912345678' });
  await new TicketTransitions(db.db).change({ number: named, to: 'resolved', actor: 'operator:卢沟桥街道', note: '已电话联系李明本人，李明表示满意' });
  await db.db.execute(sql`update tickets set status = 'visited', updated_at = now() - make_interval(days => 40) where number = ${named}`);

  expect(await redactClosedTickets(db.db, new Date(), 30)).toBe(1);
  const t = (await store.getByNumber(named))!;
  expect(t.senderName).toBeNull();
  expect(t.text).toBe('我叫李某，楼下漏水，联系人：王某某 139****5678');
  const notes = (await store.events(t.id)).flatMap((e) => (e.note ? [e.note] : []));
  expect(notes).toContain('已电话联系李某本人，李某表示满意');
  expect(notes.join(' ')).not.toMatch(/李明|王小红/);
});

it("deletes a closed ticket's photos with its other personal data, and no one else's", async () => {
  const photos = new PhotoStore(db.db);
  const processed = await processPhoto(await png());
  const [mine, other] = await photos.saveAll('webchat:photo-owner', [processed, processed]);
  const fetched = await photos.save('telegram:42', processed, 'tg-file:abc');
  const { ticket } = await store.createFromMessage({
    sourceMessageId: 'webchat:photo-owner/1',
    channel: 'webchat',
    conversationId: 'photo-owner',
    senderId: 'photo-owner',
    isPublic: false,
    lang: 'zh',
    text: '路面塌陷',
    tier: '7d',
    // The second ref is another conversation's fetched photo: not this ticket's to delete.
    details: { attachments: [{ kind: 'image', url: `photo:${mine}` }, { kind: 'image', url: 'tg-file:abc' }] },
    receivedAt: new Date(),
  });
  await db.db.execute(sql`update tickets set status = 'visited', updated_at = now() - make_interval(days => 40) where id = ${ticket.id}`);
  expect(await redactClosedTickets(db.db, new Date(), 30)).toBe(1);
  expect(await photos.content(mine!, 'full')).toBeUndefined();
  expect(await photos.content(other!, 'full')).toBeDefined();
  expect(await photos.content(fetched, 'full')).toBeDefined();
});
