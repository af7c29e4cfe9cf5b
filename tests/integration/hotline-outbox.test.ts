// The hotline outbox against real PostgreSQL and Redis, without the HTTP layer: which changes are owed to the
// external hotline, the sweep that queues what a dying writer left behind (once, however often it runs), and
// the order in which a ticket's events may go.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import type { Database } from '../../src/tickets/db.js';
import { TicketStore } from '../../src/tickets/ticket-store.js';
import { TicketTransitions } from '../../src/tickets/ticket-transitions.js';
import { HotlineOutbox } from '../../src/tickets/hotline-outbox.js';
import { hotlineEventJobId, hotlineSyncJobId, hotlineSyncPort, type HotlineSyncJob } from '../../src/queue/hotline-sync-queue.js';
import { ticketInput } from '../helpers/ticket-input.js';
import { openTestDatabase, TEST_REDIS_URL, uniquePrefix } from '../helpers/databases.js';

let database: Database;
let closeDatabase: (() => Promise<void>) | undefined;
let store: TicketStore;
let queue: Queue<HotlineSyncJob>;
let outbox: HotlineOutbox;
let owing: TicketTransitions;

async function ticket(): Promise<{ id: number; number: string }> {
  // The store alone dispatches nothing: the ticket starts received, as the transitions below expect.
  return (await store.createFromMessage(ticketInput({ text: '望京街道路灯不亮', category: 'municipal', tier: '7d', district: undefined, street: undefined }))).ticket;
}

beforeAll(async () => {
  ({ database, close: closeDatabase } = await openTestDatabase());
  store = new TicketStore(database.db, 'Asia/Shanghai');
  queue = new Queue<HotlineSyncJob>('hotline-sync', { connection: { url: TEST_REDIS_URL }, prefix: uniquePrefix('ho') });
  outbox = new HotlineOutbox({ db: database.db, queue: hotlineSyncPort(queue, { attempts: 3, backoffMs: 100 }) });
  owing = new TicketTransitions(database.db, undefined, { hotlineOutbox: true });
});
afterAll(async () => {
  await queue?.obliterate({ force: true }).catch(() => {});
  await queue?.close();
  await closeDatabase?.();
});

describe('hotline outbox', () => {
  it('owes the hotline the changes made here, not the ones it reported, and nothing without HOTLINE_URL', async () => {
    const t = await ticket();
    const here = await owing.change({ number: t.number, to: 'dispatched', unit: '望京街道', actor: 'operator:值班长' });
    const reported = await owing.change({ number: t.number, to: 'in_progress', actor: 'hotline:望京街道', dedupeKey: 'hotline:e1', fromHotline: true });
    const unconfigured = await new TicketTransitions(database.db).change({ number: t.number, to: 'resolved', actor: 'operator:值班长' });
    expect([here, reported, unconfigured].map((r) => r.events.map((e) => e.hotlineOwed))).toEqual([[true], [false], [false]]);
  });

  it('sweeps an event its writer never queued, once however often it sweeps', async () => {
    const t = await ticket();
    // The change commits and the process dies before flushing: nothing is queued yet.
    const { events } = await owing.change({ number: t.number, to: 'dispatched', unit: '望京街道', actor: 'operator:值班长' });
    expect(await queue.getJob(hotlineEventJobId(events[0].id))).toBeUndefined();
    // Younger than the grace period: left to its writer.
    await outbox.sweep(60_000);
    expect(await queue.getJob(hotlineEventJobId(events[0].id))).toBeUndefined();
    await outbox.sweep(0);
    await outbox.sweep(0);
    const job = await queue.getJob(hotlineEventJobId(events[0].id));
    expect(job?.data).toEqual({ eventId: events[0].id, number: t.number });
    expect((await queue.getJobs(['waiting'])).filter((j) => j.data.eventId === events[0].id)).toHaveLength(1);
    // Once the hotline has it, the sweep leaves it alone.
    await outbox.markSent(events[0].id);
    await job!.remove();
    await outbox.sweep(0);
    expect(await queue.getJob(hotlineEventJobId(events[0].id))).toBeUndefined();
  });

  it("sends a ticket's events only after the ticket, and each after the one before", async () => {
    const t = await ticket();
    const first = (await owing.change({ number: t.number, to: 'dispatched', unit: '望京街道', actor: 'operator:值班长' })).events[0];
    const second = (await owing.change({ number: t.number, to: 'in_progress', actor: 'operator:望京街道' })).events[0];
    expect(await outbox.next(first.id)).toMatchObject({ state: 'waiting', reason: expect.stringMatching(/does not have ticket/) });
    // A ticket made before HOTLINE_URL was set had no sync job: waiting for it queues one (once).
    await outbox.next(first.id);
    expect((await queue.getJob(hotlineSyncJobId(t.number)))?.data).toEqual({ number: t.number });
    await store.markHotlineSynced(t.id, 'HL-1', new Date());
    expect(await outbox.next(first.id)).toMatchObject({ state: 'ready', event: { id: first.id }, ticket: { number: t.number } });
    expect(await outbox.next(second.id)).toMatchObject({ state: 'waiting', reason: expect.stringMatching(new RegExp(`event ${first.id}`)) });
    await outbox.markSent(first.id);
    expect(await outbox.next(first.id)).toMatchObject({ state: 'sent' });
    expect(await outbox.next(second.id)).toMatchObject({ state: 'ready' });
    expect(await outbox.next(999_999)).toEqual({ state: 'gone' });
  });
});
