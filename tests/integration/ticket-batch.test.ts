// The ticket worker stores jobs in batches (one transaction each). A batch must give the same tickets as one
// job at a time: one per source message however often it appears, first reports arriving together linked as
// duplicates, and a message the database refuses failing alone while the rest of its batch is stored.
// Run on both backends: the batch's clustering query is raw SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue, type Job } from 'bullmq';
import type { Database } from '../../src/tickets/db.js';
import { STORE_BACKENDS } from '../helpers/store-backends.js';
import { TicketStore } from '../../src/tickets/ticket-store.js';
import { loadDispatchTable } from '../../src/tickets/dispatch-table.js';
import { createTickets, type TicketInput } from '../../src/tickets/create-tickets.js';
import { processTicketBatch } from '../../src/queue/ticket-worker.js';
import type { OutboundJob, TicketJob } from '../../src/queue/queues.js';
import { jobIdFor } from '../../src/core/job-id.js';
import { ticketInput } from '../helpers/ticket-input.js';
import { createLogger } from '../../src/log.js';
import { TEST_REDIS_URL, uniquePrefix } from '../helpers/databases.js';
import { refuseTicketText } from '../helpers/refuse-text.js';

const table = loadDispatchTable();
const at = new Date('2026-11-28T02:00:00Z');
/** The helper's fallen tree, as a 24-hour ticket received at `at`. */
const input = (over: Partial<TicketInput> = {}): TicketInput => ticketInput({ tier: '24h', receivedAt: at, ...over });

describe.each(STORE_BACKENDS)('ticket batches on %s', (_name, open) => {
  let db: Database;
  let drop: () => Promise<void>;
  let store: TicketStore;
  let outbound: Queue<OutboundJob>;

  beforeAll(async () => {
    ({ db, drop } = await open());
    await db.migrate();
    store = new TicketStore(db.db, 'Asia/Shanghai');
    outbound = new Queue<OutboundJob>('outbound', { connection: { url: TEST_REDIS_URL }, prefix: uniquePrefix('batch') });
  });
  afterAll(async () => {
    await outbound.obliterate({ force: true }).catch(() => {});
    await outbound.close();
    await db.close();
    await drop();
  });

  it('stores a batch as one ticket per source message, links first reports of one problem, and keeps what existed', async () => {
    const before = input({ category: 'municipal', text: '丰台北路井盖丢了', street: '卢沟桥街道' });
    const [{ ticket: existing }] = await createTickets({ store, table }, [before]);
    const first = input();
    const again = input({ text: '假日风景小区门口大树倒了挡路' });
    const elsewhere = input({ street: '望京街道', district: '朝阳区' });
    const other = input({ category: 'noise', text: '楼下饭馆半夜还在吵' });
    const batch = [first, before, again, elsewhere, { ...first }, other];
    const out = await createTickets({ store, table }, batch);

    expect(out.map((o) => o.created)).toEqual([true, false, true, true, false, true]);
    expect(out[1].ticket.id).toBe(existing.id);
    expect(out[4].ticket.id).toBe(out[0].ticket.id);
    const numbers = new Set(out.map((o) => o.ticket.number));
    expect(numbers.size).toBe(5); // first, existing, again, elsewhere, other

    // The second report of the fallen tree, in the same batch, follows the first.
    expect(out[0].ticket.duplicateOf).toBeNull();
    expect(out[2].ticket.duplicateOf).toBe(out[0].ticket.id);
    expect(out[2].ticket.unit).toBe(out[0].ticket.unit);
    expect(out[2].ticket.status).toBe(out[0].ticket.status);
    expect(out[3].ticket.duplicateOf).toBeNull(); // another street
    expect(out[5].ticket.duplicateOf).toBeNull(); // another problem
    expect((await store.events(out[2].ticket.id)).map((e) => e.kind)).toEqual(['created', 'linked']);
    expect((await store.events(out[0].ticket.id)).map((e) => e.kind)).toEqual(['created', 'dispatched']);
    expect((await store.events(existing.id)).map((e) => e.kind)).toEqual(['created', 'dispatched']);

    // A later batch links to the stored primary.
    const [later] = await createTickets({ store, table }, [input({ text: '假日风景小区门口的大树倒了' })]);
    expect(later.ticket.duplicateOf).toBe(out[0].ticket.id);
  });

  it('fails only the job the database refuses, stores the rest and queues their confirmations once', async () => {
    const log = createLogger('silent');
    const job = (over: Partial<TicketInput>, id: string) =>
      ({
        id,
        name: 'ticket',
        async updateData(this: { data: TicketJob }, data: TicketJob) {
          this.data = data;
        },
        data: {
          message: { id: `webchat:${id}/m`, channel: 'webchat', conversationId: id, sender: { id }, text: over.text ?? '望京街道路灯坏了好几天', isPublic: false, receivedAt: at.toISOString() },
          decision: { kind: 'ticket', score: 0.9, candidates: [], category: 'municipal', tier: '7d', district: '朝阳区', street: '望京街道', lang: 'zh' },
        },
      }) as unknown as Job<TicketJob>;
    const tag = uniquePrefix('j');
    // The database refuses this one insert, and with it the batch's transaction.
    const lift = await refuseTicketText(db.db, 'REFUSEDTEXT');
    const jobs = [job({}, `${tag}a`), job({ text: '望京街道REFUSEDTEXT' }, `${tag}b`), job({ text: '望京街道井盖丢了' }, `${tag}c`)];
    const out = await processTicketBatch(jobs, { store, outbound, timeZone: 'Asia/Shanghai', log, dispatchTable: table });
    expect(out.map((o) => o.ok)).toEqual([true, false, true]);
    const numbers = out.flatMap((o) => (o.ok ? [o.value.number] : []));
    // The failed job keeps the number it reserved, and its next attempt files the ticket under it (no gap).
    const reserved = jobs[1].data.number;
    expect(reserved).toMatch(/^\d{8}-\d{6}$/);
    expect(numbers).not.toContain(reserved);
    await lift();
    const [again] = await processTicketBatch([jobs[1]], { store, outbound, timeZone: 'Asia/Shanghai', log, dispatchTable: table });
    expect(again.ok && again.value).toEqual({ number: reserved, created: true });
    await outbound.remove(jobIdFor(`confirm:${reserved}`));
    for (const n of numbers) expect(await outbound.getJob(jobIdFor(`confirm:${n}`))).toBeDefined();
    expect(await outbound.getJobCounts('waiting')).toEqual({ waiting: 2 });

    // Retried (a worker died after storing): the same tickets, no new confirmations.
    const retry = await processTicketBatch([jobs[0], jobs[2]], { store, outbound, timeZone: 'Asia/Shanghai', log, dispatchTable: table });
    expect(retry.map((o) => o.ok && o.value)).toEqual(numbers.map((number) => ({ number, created: false })));
    expect(await outbound.getJobCounts('waiting')).toEqual({ waiting: 2 });

    // A channel delivered in place gets its confirmation directly; one whose direct delivery fails is queued.
    const sent: string[] = [];
    const deliverNow = async (deliveries: { address: { conversationId: string }; reply: { id?: string } }[]) =>
      deliveries.map(({ address, reply }) => {
        if (address.conversationId === `${tag}e`) return false;
        sent.push(reply.id!);
        return true;
      });
    const direct = await processTicketBatch([job({ text: '望京街道垃圾没人清' }, `${tag}d`), job({ text: '望京街道树倒了' }, `${tag}e`)], {
      store,
      outbound,
      timeZone: 'Asia/Shanghai',
      log,
      dispatchTable: table,
      deliverNow,
    });
    const [d, e] = direct.map((o) => (o.ok ? o.value.number : ''));
    expect(sent).toEqual([jobIdFor(`confirm:${d}`)]);
    expect(await outbound.getJob(jobIdFor(`confirm:${d}`))).toBeUndefined();
    expect(await outbound.getJob(jobIdFor(`confirm:${e}`))).toBeDefined();

    // Direct delivery failing as a whole (Redis gone mid-batch): every confirmation is queued instead.
    const failing = async () => {
      throw new Error('connection lost');
    };
    const queuedAll = await processTicketBatch([job({ text: '望京街道路灯不亮' }, `${tag}f`), job({ text: '望京街道噪音扰民' }, `${tag}g`)], {
      store,
      outbound,
      timeZone: 'Asia/Shanghai',
      log,
      dispatchTable: table,
      deliverNow: failing,
    });
    for (const o of queuedAll) expect(o.ok && (await outbound.getJob(jobIdFor(`confirm:${o.value.number}`)))).toBeTruthy();
  });
});
