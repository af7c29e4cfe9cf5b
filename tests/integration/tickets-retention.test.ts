// RETENTION_DAYS: closed tickets lose their personal fields after N days; open or recent ones keep them.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/tickets/db.js';
import { TicketStore } from '../../src/tickets/ticket-store.js';
import { TicketTransitions } from '../../src/tickets/transitions.js';
import { redactClosedTickets } from '../../src/tickets/retention.js';
import { openTestDatabase } from '../helpers/databases.js';

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

async function make(id: string, status: string, daysAgo: number) {
  const { ticket } = await store.createFromMessage({
    sourceMessageId: `webchat:s/${id}`,
    channel: 'webchat',
    conversationId: 's',
    senderId: 's',
    senderName: '张先生',
    isPublic: false,
    lang: 'zh',
    text: '楼下漏水，电话13812345678，身份证110105194912310021',
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
