// One store suite, run against both backends: PGlite (embedded) and a PostgreSQL server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/tickets/db.js';
import { STORE_BACKENDS } from '../helpers/store-backends.js';
import { TicketStore, type NewTicket } from '../../src/tickets/ticket-store.js';

function ticket(over: Partial<NewTicket> = {}): NewTicket {
  return {
    sourceMessageId: `webchat:s1/${Math.random().toString(36).slice(2)}`,
    channel: 'webchat',
    conversationId: 's1',
    senderId: 's1',
    isPublic: false,
    lang: 'zh',
    text: '井盖丢了',
    category: 'municipal',
    tier: '24h',
    district: '丰台区',
    street: '卢沟桥街道',
    receivedAt: new Date('2026-11-28T01:00:00Z'),
    ...over,
  };
}

describe.each(STORE_BACKENDS)('ticket store on %s', (_name, open) => {
  let db: Database;
  let drop: () => Promise<void>;
  let store: TicketStore;

  beforeAll(async () => {
    ({ db, drop } = await open());
    await db.migrate();
    await db.migrate(); // idempotent
    store = new TicketStore(db.db, 'Asia/Shanghai');
  });
  afterAll(async () => {
    await db.close();
    await drop();
  });

  it('numbers tickets by intake day in the hotline time zone and sets the due time from the tier', async () => {
    // 2026-11-28T20:00Z is already 11-29 in Beijing.
    const { ticket: a, created } = await store.createFromMessage(ticket({ receivedAt: new Date('2026-11-28T20:00:00Z') }));
    expect(created).toBe(true);
    expect(a.number).toMatch(/^20261129-\d{6}$/);
    const { ticket: b } = await store.createFromMessage(ticket({ receivedAt: new Date('2026-11-28T20:05:00Z'), tier: '2h' }));
    expect(Number(b.number.slice(9))).toBe(Number(a.number.slice(9)) + 1);
    expect(b.dueAt.toISOString()).toBe('2026-11-28T22:05:00.000Z');
    expect(a.dueAt.toISOString()).toBe('2026-11-29T20:00:00.000Z');
  });

  it('makes exactly one ticket for one source message, even when created concurrently', async () => {
    const input = ticket();
    const results = await Promise.all(Array.from({ length: 8 }, () => store.createFromMessage(input)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.ticket.number)).size).toBe(1);
    const { total } = await store.list({ channel: 'webchat', senderId: 's1' });
    expect(total).toBeGreaterThan(0);
    const events = await store.events(results[0].ticket.id);
    expect(events.map((e) => e.kind)).toEqual(['created']);
  });

  it('gives distinct numbers to tickets made at once by several workers (number blocks)', async () => {
    const other = new TicketStore(db.db, 'Asia/Shanghai');
    const at = new Date('2026-11-28T03:00:00Z');
    const made = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? store : other).createFromMessage(ticket({ receivedAt: at }))));
    const numbers = made.map((m) => m.ticket.number);
    expect(new Set(numbers).size).toBe(60);
    expect(numbers.every((n) => n.startsWith('20261128-'))).toBe(true);
  });

  it('finds tickets by number and filters lists', async () => {
    const { ticket: t } = await store.createFromMessage(ticket({ district: '朝阳区', street: '望京街道', category: 'pollution' }));
    expect((await store.getByNumber(t.number))?.sourceMessageId).toBe(t.sourceMessageId);
    expect(await store.getByNumber('20000101-000001')).toBeUndefined();
    const list = await store.list({ district: '朝阳区' });
    expect(list.items.map((i) => i.number)).toContain(t.number);
    expect(list.items.every((i) => i.district === '朝阳区')).toBe(true);
    expect((await store.list({ category: 'no-such' })).total).toBe(0);
  });

  it('flags overdue tickets by due time', async () => {
    const past = new Date(Date.now() - 3 * 3600_000);
    const { ticket: t } = await store.createFromMessage(ticket({ tier: '2h', receivedAt: past }));
    const overdue = await store.list({ overdue: true, limit: 500 });
    expect(overdue.items.map((i) => i.number)).toContain(t.number);
  });
});
