// The ticket lifecycle against real PostgreSQL and Redis, without the HTTP layer: dispatch at creation,
// transitions (one transaction, idempotent by key), duplicates following their primary, the return visit,
// the overdue check with a controlled clock, and the feedback outbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import type { Database } from '../../src/tickets/db.js';
import { TicketStore, type NewTicket } from '../../src/tickets/ticket-store.js';
import { loadDispatchTable } from '../../src/tickets/dispatch-table.js';
import { createTicket } from '../../src/tickets/create-tickets.js';
import { TicketTransitions } from '../../src/tickets/ticket-transitions.js';
import { TicketNotifier } from '../../src/tickets/notifier.js';
import { TicketLifecycle } from '../../src/tickets/ticket-lifecycle.js';
import { TicketChangeError } from '../../src/tickets/ticket-errors.js';
import { flagOverdue } from '../../src/tickets/overdue.js';
import { ticketEvents } from '../../src/tickets/schema.js';
import { createLogger } from '../../src/log.js';
import type { OutboundJob } from '../../src/queue/queues.js';
import { jobIdFor } from '../../src/core/job-id.js';
import { ticketInput } from '../helpers/ticket-input.js';
import { openTestDatabase, TEST_REDIS_URL, uniquePrefix } from '../helpers/databases.js';

const log = createLogger('silent');
const table = loadDispatchTable();
let database: Database;
let closeDatabase: (() => Promise<void>) | undefined;
let store: TicketStore;
let outbound: Queue<OutboundJob>;
let lifecycle: TicketLifecycle;
let clock = new Date('2026-11-28T01:00:00Z');
const now = () => clock;
const input = (over: Partial<NewTicket> = {}) => ticketInput({ receivedAt: clock, ...over });
const create = (over: Partial<NewTicket> = {}) => createTicket({ store, table }, input(over));
const kinds = async (id: number) => (await store.events(id)).map((e) => e.kind);

beforeAll(async () => {
  ({ database, close: closeDatabase } = await openTestDatabase());
  store = new TicketStore(database.db, 'Asia/Shanghai', now);
  outbound = new Queue<OutboundJob>('outbound', { connection: { url: TEST_REDIS_URL }, prefix: uniquePrefix('lc') });
  const notifier = new TicketNotifier({ db: database.db, outbound, timeZone: 'Asia/Shanghai', log, now, staffAddress: { channel: 'webchat', conversationId: 'staff-room' }, categoryName: (id) => table.file.categories[id]?.name ?? id });
  lifecycle = new TicketLifecycle(new TicketTransitions(database.db, now), notifier, log);
});
afterAll(async () => {
  await outbound?.obliterate({ force: true }).catch(() => {});
  await outbound?.close();
  await closeDatabase?.();
});

describe('dispatch at creation', () => {
  it('dispatches to the street office with a system event when the street is known', async () => {
    const { ticket } = await create({ text: '卢沟桥街道丰台北路井盖丢了', category: 'municipal' });
    expect(ticket).toMatchObject({ status: 'dispatched', unit: '卢沟桥街道' });
    const events = await store.events(ticket.id);
    expect(events.map((e) => [e.kind, e.actor, e.toStatus])).toEqual([
      ['created', 'channel:webchat', 'received'],
      ['dispatched', 'system', 'dispatched'],
    ]);
    expect(events[1].unit).toBe('卢沟桥街道');
    expect(ticket.details).toMatchObject({ dispatch: { level: 'street', department: '丰台区城市管理委员会' } });
  });

  it('leaves a ticket with only a district at the district centre, received', async () => {
    const { ticket } = await create({ street: undefined, text: '丰台区有个工地半夜施工太吵了', category: 'noise' });
    expect(ticket).toMatchObject({ status: 'received', unit: '丰台区接诉即办分中心' });
    expect(await kinds(ticket.id)).toEqual(['created', 'routed']);
  });

  it('is idempotent on the source message', async () => {
    const i = input({ text: '卢沟桥街道某某路下水道堵了', category: 'municipal' });
    const [a, b] = await Promise.all([createTicket({ store, table }, i), createTicket({ store, table }, i)]);
    expect(a.ticket.id).toBe(b.ticket.id);
    expect(await kinds(a.ticket.id)).toEqual(['created', 'dispatched']);
  });
});

describe('transitions', () => {
  it('walks the whole life of a ticket, one event per change, who/when/why recorded', async () => {
    const { ticket } = await create({ text: '卢沟桥街道万泉寺路口信号灯坏了', category: 'municipal' });
    const r1 = await lifecycle.change({ number: ticket.number, to: 'in_progress', actor: 'office:卢沟桥街道', note: '已派人查看' });
    expect(r1).toMatchObject({ outcome: 'changed', ticket: { status: 'in_progress' } });
    const r2 = await lifecycle.change({ number: ticket.number, to: 'resolved', actor: 'office:卢沟桥街道', note: '已修复' });
    expect(r2.ticket.status).toBe('resolved');
    const events = await store.events(ticket.id);
    expect(events.slice(2).map((e) => [e.kind, e.fromStatus, e.toStatus, e.actor, e.note])).toEqual([
      ['in_progress', 'dispatched', 'in_progress', 'office:卢沟桥街道', '已派人查看'],
      ['resolved', 'in_progress', 'resolved', 'office:卢沟桥街道', '已修复'],
    ]);
  });

  it('refuses a forbidden transition with a reason and changes nothing', async () => {
    const { ticket } = await create({ text: '丰台区有个小区路灯不亮', category: 'municipal', street: undefined });
    expect(ticket.status).toBe('received');
    const before = await kinds(ticket.id);
    const err = await lifecycle.change({ number: ticket.number, to: 'dispatched', actor: 'operator' }).catch((e) => e);
    expect(err).toBeInstanceOf(TicketChangeError);
    expect(err.code).toBe('unit_required');
    await lifecycle.change({ number: ticket.number, to: 'rejected', actor: 'operator', note: '不属于受理范围' });
    const e2 = await lifecycle.change({ number: ticket.number, to: 'in_progress', actor: 'operator' }).catch((e) => e);
    expect(e2).toMatchObject({ code: 'forbidden_transition', httpStatus: 409 });
    expect(e2.message).toMatch(/rejected ticket cannot become in_progress/);
    expect((await store.getById(ticket.id))?.status).toBe('rejected');
    expect(await kinds(ticket.id)).toEqual([...before, 'rejected']);
    await expect(lifecycle.change({ number: '20990101-000001', to: 'resolved', actor: 'x' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('applies a change with the same dedupe key once, even when retried concurrently', async () => {
    const { ticket } = await create({ text: '卢沟桥街道某小区电梯坏了', category: 'property' });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => lifecycle.change({ number: ticket.number, to: 'in_progress', actor: 'hotline', dedupeKey: `hotline:evt-${ticket.id}` })),
    );
    expect(results.map((r) => r.outcome).sort()).toEqual(['changed', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect((await kinds(ticket.id)).filter((k) => k === 'in_progress')).toHaveLength(1);
    // Asking for the status it already has is not an error.
    expect((await lifecycle.change({ number: ticket.number, to: 'in_progress', actor: 'operator' })).outcome).toBe('unchanged');
  });

  it('returns a ticket to the centre and re-dispatches it to the right office', async () => {
    const { ticket } = await create({ text: '卢沟桥街道某某胡同有违建', category: 'illegal-construction' });
    const r = await lifecycle.change({ number: ticket.number, to: 'returned', unit: '太平桥街道', actor: 'office:卢沟桥街道', note: '不属于本街道' });
    expect(r.ticket).toMatchObject({ status: 'dispatched', unit: '太平桥街道' });
    expect(r.events.map((e) => [e.kind, e.unit])).toEqual([
      ['returned', '卢沟桥街道'],
      ['dispatched', '太平桥街道'],
    ]);
    // Returned without a new unit waits for the centre.
    const { ticket: t2 } = await create({ text: '卢沟桥街道某某胡同有群租房', category: 'group-rental' });
    const r2 = await lifecycle.change({ number: t2.number, to: 'returned', actor: 'office:卢沟桥街道' });
    expect(r2.ticket).toMatchObject({ status: 'returned', unit: '卢沟桥街道' });
    const r3 = await lifecycle.change({ number: t2.number, to: 'dispatched', unit: '东铁匠营街道', actor: 'operator' });
    expect(r3.ticket).toMatchObject({ status: 'dispatched', unit: '东铁匠营街道' });
  });
});

describe('duplicate reports', () => {
  it('links a report of the same problem at the same street to the open ticket, and they move together', async () => {
    const { ticket: primary } = await create({ text: '卢沟桥街道春园小区门口的大槐树被风刮倒了，压住了两辆车', category: 'greening', street: '卢沟桥街道' });
    const { ticket: dup } = await create({ text: '春园小区门口大树倒了，车被压了', category: 'greening', district: undefined });
    const { ticket: other } = await create({ text: '春园小区里的草坪被人挖了种菜', category: 'greening' });
    const { ticket: elsewhere } = await create({ text: '望京街道春园小区门口大树倒了', category: 'greening', district: '朝阳区', street: '望京街道' });
    expect(dup.duplicateOf).toBe(primary.id);
    expect(dup).toMatchObject({ status: primary.status, unit: primary.unit });
    expect(other.duplicateOf).toBeNull();
    expect(elsewhere.duplicateOf).toBeNull();
    expect(await kinds(dup.id)).toEqual(['created', 'linked']);
    expect(await store.duplicatesOf(primary.id)).toEqual([dup.number]);

    const r = await lifecycle.change({ number: primary.number, to: 'resolved', actor: 'office:卢沟桥街道', note: '已清理倒伏树木' });
    expect(r.events.map((e) => e.ticketId).sort()).toEqual([primary.id, dup.id].sort());
    expect((await store.getById(dup.id))?.status).toBe('resolved');
    // Each reporter gets their own feedback job, to their own conversation.
    for (const e of r.events) {
      const job = await outbound.getJob(jobIdFor(`event:${e.id}`));
      const t = e.ticketId === primary.id ? primary : dup;
      expect(job?.data.address).toMatchObject({ channel: 'webchat', conversationId: t.conversationId });
      expect(job?.data.reply.text).toContain(t.number);
      // The office's words as they wrote them, in the reporter's language, and no other citizen's ticket number.
      expect(job?.data.reply.text).toContain(`您的诉求（工单号 ${t.number}）已办结：已清理倒伏树木`);
      if (t === dup) expect(job?.data.reply.text).not.toContain(primary.number);
      expect(job?.data.reply.quickReplies?.map((q) => q.payload)).toEqual([`visit:${t.number}:satisfied`, `visit:${t.number}:basically`, `visit:${t.number}:unsatisfied`]);
    }
  });

  it('does not link to a ticket older than the window or already closed', async () => {
    const old = clock;
    clock = new Date(old.getTime() - 10 * 24 * 3600_000);
    const { ticket: stale } = await create({ text: '卢沟桥街道六里桥路面塌了个大坑', category: 'municipal' });
    clock = old;
    const { ticket: fresh } = await create({ text: '卢沟桥街道六里桥路面塌了个大坑', category: 'municipal' });
    expect(stale.duplicateOf).toBeNull();
    expect(fresh.duplicateOf).toBeNull();
  });
});

describe('return visit', () => {
  it('closes on 满意 and reopens on 不满意 with a fresh time limit, detached from its primary', async () => {
    const { ticket: a } = await create({ text: '卢沟桥街道晓月苑小区垃圾站三天没清运了', category: 'sanitation' });
    const { ticket: b } = await create({ text: '晓月苑小区的垃圾站好几天没清运了，臭死了', category: 'sanitation' });
    expect(b.duplicateOf).toBe(a.id);
    await lifecycle.change({ number: a.number, to: 'resolved', actor: 'office', note: '已清运' });

    const ra = await lifecycle.rate(a.id, 'satisfied', 'citizen:webchat', 'rating:m1');
    expect(ra.ticket).toMatchObject({ status: 'visited', rating: 'satisfied' });
    expect((await lifecycle.rate(a.id, 'satisfied', 'citizen:webchat', 'rating:m1')).outcome).toBe('duplicate');
    expect((await lifecycle.rate(a.id, 'unsatisfied', 'citizen:webchat', 'rating:m2')).outcome).toBe('unchanged'); // closed

    clock = new Date(clock.getTime() + 3 * 3600_000);
    const rb = await lifecycle.rate(b.id, 'unsatisfied', 'citizen:webchat', 'rating:m3');
    expect(rb.ticket).toMatchObject({ status: 'in_progress', rating: 'unsatisfied', duplicateOf: null });
    expect(rb.ticket.dueAt.getTime()).toBe(clock.getTime() + 2 * 3600_000);
    expect(rb.events[0]).toMatchObject({ kind: 'reopened', fromStatus: 'resolved', toStatus: 'in_progress', actor: 'citizen:webchat' });
    const feedback = await outbound.getJob(jobIdFor(`event:${rb.events[0].id}`));
    expect(feedback?.data.reply.text).toMatch(/很抱歉.*重新交由卢沟桥街道办理/);
  });
});

describe('overdue', () => {
  it('flags an open ticket past its time limit once, alerts staff, and lists it first', async () => {
    const start = new Date('2026-12-01T00:00:00Z');
    clock = start;
    await flagOverdue(database.db, start); // the earlier tests' tickets are long overdue by now
    const { ticket: late } = await create({ tier: '2h', text: '卢沟桥街道某某路井盖丢了', category: 'municipal' });
    const { ticket: onTime } = await create({ tier: '7d', text: '卢沟桥街道某某路人行道砖松动', category: 'municipal' });
    const { ticket: done } = await create({ tier: '2h', text: '卢沟桥街道某某桥下积水很深', category: 'municipal' });
    await lifecycle.change({ number: done.number, to: 'resolved', actor: 'office' });

    // One hour in: nothing is late.
    expect(await flagOverdue(database.db, new Date(start.getTime() + 3600_000))).toEqual([]);
    // Three hours in: the 2-hour ticket is, the resolved one is not (its clock stopped).
    clock = new Date(start.getTime() + 3 * 3600_000);
    const flagged = await flagOverdue(database.db, clock);
    expect(flagged.map((e) => e.ticketId)).toEqual([late.id]);
    expect(flagged[0]).toMatchObject({ kind: 'overdue', actor: 'system', notify: 'staff', note: '已超过2小时办理时限' });
    // Again, and concurrently: still one event.
    await Promise.all([flagOverdue(database.db, clock), flagOverdue(database.db, clock)]);
    expect((await kinds(late.id)).filter((k) => k === 'overdue')).toHaveLength(1);
    expect((await store.getById(late.id))?.overdueAt?.toISOString()).toBe(clock.toISOString());

    // The alert goes to the staff channel, with no citizen words in it.
    await lifecycle.notifier.flush(flagged);
    const alert = await outbound.getJob(jobIdFor(`event:${flagged[0].id}`));
    expect(alert?.data.address).toEqual({ channel: 'webchat', conversationId: 'staff-room' });
    expect(alert?.data.reply.text).toMatch(new RegExp(`超期.*${late.number}.*卢沟桥街道.*已超期1小时`));
    expect(alert?.data.reply.text).toContain('市政设施');
    expect(alert?.data.reply.text).not.toContain('井盖');

    const list = await store.list({ limit: 500 });
    const overdueCount = (await store.list({ overdue: true, limit: 500 })).total;
    expect(overdueCount).toBeGreaterThan(0);
    expect(list.items.slice(0, overdueCount).every((t) => store.isOverdue(t, clock))).toBe(true);
    expect(list.items.slice(overdueCount).some((t) => t.id === onTime.id)).toBe(true);
  });
});

describe('feedback outbox', () => {
  it('sends what a crashed writer owed, once', async () => {
    await lifecycle.notifier.sweep(0); // what the earlier tests left owed (overdue alerts flagged, not flushed)
    const { ticket } = await create({ text: '卢沟桥街道某小区楼道灯坏了', category: 'property' });
    // The change commits, then the "process dies" before the notifier runs.
    const r = await lifecycle.transitions.change({ number: ticket.number, to: 'in_progress', actor: 'office' });
    const id = r.events[0].id;
    expect(await outbound.getJob(jobIdFor(`event:${id}`))).toBeUndefined();
    expect(await lifecycle.notifier.sweep(60_000)).toBe(0); // within the grace period it is the writer's
    clock = new Date(clock.getTime() + 120_000);
    expect(await lifecycle.notifier.sweep(60_000)).toBeGreaterThanOrEqual(1);
    expect((await outbound.getJob(jobIdFor(`event:${id}`)))?.data.reply.text).toMatch(/卢沟桥街道已开始办理/);
    expect(await lifecycle.notifier.sweep(60_000)).toBe(0);
    const [row] = await database.db.select().from(ticketEvents).where((await import('drizzle-orm')).eq(ticketEvents.id, id));
    expect(row.notifiedAt).not.toBeNull();
  });
});
