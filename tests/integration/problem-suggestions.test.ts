// The scheduled problem check (src/queue/problem-check-*.ts) over eight weeks of tickets with planted recurring
// problems and noise (./problems-fixture.ts): run by BullMQ's job scheduler against the real Redis, on
// PostgreSQL and on PGlite, it suggests the planted problems and nothing of the noise; once a problem is made, a new matching
// ticket is proposed for linking (an unrelated one is not), and a solved place that calls again goes back to
// monitoring with an alert for the lead unit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Queue, QueueEvents, type Worker } from 'bullmq';
import { TEST_REDIS_URL, uniquePrefix } from '../helpers/databases.js';
import { STORE_BACKENDS } from '../helpers/store-backends.js';
import type { Database } from '../../src/tickets/db.js';
import { ProblemStore } from '../../src/tickets/problem-store.js';
import { createProblemCheckQueue, PROBLEM_CHECK_QUEUE, scheduleProblemCheck, type ProblemCheckJob } from '../../src/queue/problem-check-queue.js';
import { createProblemCheckWorker, runProblemCheck, type ProblemCheckDeps } from '../../src/queue/problem-check-worker.js';
import { connectionOptions } from '../../src/queue/redis.js';
import { createQueues, type Queues } from '../../src/queue/queues.js';
import { loadDispatchTable } from '../../src/tickets/dispatch-table.js';
import { categoryLabel } from '../../src/reports/labels.js';
import { plant, plantEightWeeks } from './problems-fixture.js';
import { monthlyAnalysis } from '../../src/reports/period-analysis.js';

describe.each(STORE_BACKENDS)('problem lists on %s', (_name, openBackend) => {
  const now = new Date();
  let db: { database: Database; close(): Promise<void> };
  let store: ProblemStore;
  let queues: Queues;
  let planted: Awaited<ReturnType<typeof plantEightWeeks>>;
  const prefix = uniquePrefix('problems');
  const log = pino({ level: 'silent' });
  let deps: ProblemCheckDeps;

  beforeAll(async () => {
    const backend = await openBackend();
    await backend.db.migrate();
    db = { database: backend.db, close: async () => (await backend.db.close(), await backend.drop()) };
    store = new ProblemStore(db.database.db);
    planted = await plantEightWeeks(db.database.db, now);
    queues = createQueues(connectionOptions(TEST_REDIS_URL, 'producer'), prefix);
    deps = { problems: store, bars: loadDispatchTable().file.clustering, label: categoryLabel, outbound: queues.outbound, log, staff: { channel: 'slack', conversationId: 'C-LEADS' } };
  }, 60_000);

  afterAll(async () => {
    await queues?.close();
    await db?.close();
  });

  it('the scheduled job suggests the planted problems and none of the noise', async () => {
    const queue: Queue<ProblemCheckJob> = createProblemCheckQueue(connectionOptions(TEST_REDIS_URL, 'producer'), prefix);
    const events = new QueueEvents(PROBLEM_CHECK_QUEUE, { connection: connectionOptions(TEST_REDIS_URL, 'worker'), prefix });
    await events.waitUntilReady();
    const worker: Worker = createProblemCheckWorker(connectionOptions(TEST_REDIS_URL, 'worker'), prefix, 30_000, { ...deps, now: () => now });
    try {
      const done = new Promise<unknown>((resolve, reject) => {
        events.once('completed', ({ returnvalue }) => resolve(returnvalue));
        events.once('failed', ({ failedReason }) => reject(new Error(failedReason)));
      });
      await scheduleProblemCheck(queue, 60_000);
      expect(await done).toMatchObject({ suggested: 2, proposed: 0, recurred: 0 });
    } finally {
      await worker.close();
      await scheduleProblemCheck(queue, 0);
      await events.close();
      await queue.close();
    }

    const suggestions = await store.suggestions();
    const noise = new Set(planted.noise);
    expect(suggestions.flatMap((s) => s.ticketIds).filter((id) => noise.has(id))).toEqual([]);
    expect(suggestions).toHaveLength(2);
    const place = suggestions.find((s) => s.kind === 'place')!;
    expect(place).toMatchObject({ category: 'property', street: '卢沟桥街道', spot: '风景小区', units: ['卢沟桥街道办事处'] });
    expect(place.title).toContain('假日风景小区');
    expect([...place.ticketIds].sort()).toEqual([...planted.place].sort());
    expect(place.weekly).toEqual([0, 1, 2, 0, 1, 1, 1, 2]);
    expect(place.tickets).toHaveLength(8);
    const across = suggestions.find((s) => s.kind === 'across')!;
    expect(across.title).toContain('首开物业');
    expect([...across.ticketIds].sort()).toEqual([...planted.across].sort());
    expect(across.units).toHaveLength(3);
  });

  it('a made problem gets new matching tickets proposed, and a solved place calling again goes back to monitoring', async () => {
    const [suggestion] = (await store.suggestions()).filter((s) => s.kind === 'place');
    const problem = await store.create({ title: suggestion.title, leadUnit: '卢沟桥街道办事处', suggestionKey: suggestion.key, actor: 'operator:test' });
    expect(problem).toMatchObject({ category: 'property', street: '卢沟桥街道', spot: '风景小区', status: 'open' });
    // Made into a problem: not suggested again, its tickets are linked.
    expect((await runProblemCheck(deps, now)).suggested).toBe(1);
    expect((await store.tickets(problem.id)).filter((t) => t.state === 'linked')).toHaveLength(8);

    const later = new Date(now.getTime() + 3 * 86_400_000);
    const [match, unrelated, elsewhere] = await plant(
      db.database.db,
      [
        { week: 8, day: 2, text: '假日风景小区电梯今天又坏了', category: 'property', street: '卢沟桥街道' },
        { week: 8, day: 2, text: '假日风景小区门口的树倒了', category: 'greening', street: '卢沟桥街道' },
        { week: 8, day: 2, text: '阳光小区电梯坏了', category: 'property', street: '马家堡街道' },
      ],
      now,
      'new',
    );
    expect((await runProblemCheck(deps, later)).proposed).toBe(1);
    const linked = await store.tickets(problem.id);
    expect(linked.filter((t) => t.state === 'proposed').map((t) => t.number)).toEqual([match.number]);
    expect(linked.map((t) => t.number)).not.toContain(unrelated.number);
    expect(linked.map((t) => t.number)).not.toContain(elsewhere.number);
    await store.decide(problem.id, [match.number], 'linked', 'operator:test', later);

    // Solved a week ago; before: 9 tickets over 8 weeks, after: the one linked since.
    await store.change(problem.id, { status: 'in_progress' }, later, 'operator:test');
    const solved = await store.change(problem.id, { status: 'solved', solvedAt: new Date(later.getTime() - 2 * 86_400_000) }, later, 'operator:test');
    const trend = await store.trend(solved, later);
    expect(trend.before.tickets).toBe(8);
    expect(trend.after).toMatchObject({ weeks: 1, tickets: 1 });
    expect((await runProblemCheck(deps, later)).recurred).toBe(0);

    // The place calls again: a second ticket after it was solved, proposed, is a recurrence.
    await plant(db.database.db, [{ week: 8, day: 3, text: '假日风景小区电梯又停了', category: 'property', street: '卢沟桥街道' }], now, 'again');
    const result = await runProblemCheck(deps, later);
    expect(result).toMatchObject({ proposed: 1, recurred: 1 });
    expect((await store.get(problem.id))!.status).toBe('monitoring');
    const alerts = await queues.outbound.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(alerts.map((j) => j.data.reply.text).join()).toContain('卢沟桥街道办事处');
    expect((await runProblemCheck(deps, later)).recurred).toBe(0);
    // Its history says who did what, the recurrence included.
    expect((await store.events(problem.id)).map((e) => [e.kind, e.toStatus, e.actor])).toEqual([
      ['created', 'open', 'operator:test'],
      ['linked', null, 'operator:test'],
      ['status', 'in_progress', 'operator:test'],
      ['status', 'solved', 'operator:test'],
      ['recurred', 'monitoring', 'system'],
    ]);

    // An organisation behind complaints at many places: new tickets naming it are proposed, wherever they are;
    // the same complaint about another compound's property company is not.
    const [acrossSuggestion] = (await store.suggestions()).filter((s) => s.kind === 'across');
    const across = await store.create({ title: acrossSuggestion.title, leadUnit: '丰台区住建委', suggestionKey: acrossSuggestion.key, actor: 'operator:test' });
    expect(across.spot).toBe('首开物业');
    const [named, unnamed] = await plant(
      db.database.db,
      [
        { week: 8, day: 2.5, text: '芳城园首开物业不清运垃圾', category: 'property', street: '方庄地区' },
        { week: 8, day: 2.5, text: '莲花小区物业不清运垃圾', category: 'property', street: '太平桥街道' },
      ],
      now,
      'across',
    );
    await runProblemCheck(deps, later);
    const acrossTickets = (await store.tickets(across.id)).filter((t) => t.state === 'proposed').map((t) => t.number);
    expect(acrossTickets).toEqual([named.number]);
    expect(acrossTickets).not.toContain(unnamed.number);

    // The monthly analysis of the month it was solved in lists it with its before/after figures.
    const tz = 'Asia/Shanghai';
    const month = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
    const report = await monthlyAnalysis(db.database.db, { date: month(solved.solvedAt!), timeZone: tz, now: later });
    const list = report.tables.find((t) => t.id === 'problems')!;
    expect(list.rows.map((r) => r.id)).toEqual(month(across.createdAt).slice(0, 7) === month(solved.solvedAt!).slice(0, 7) ? [problem.id, across.id] : [problem.id]);
    expect(list.rows[0]).toMatchObject({ id: problem.id, leadUnit: '卢沟桥街道办事处', status: '持续监测', tickets: 9 });
    expect(String(list.rows[0].flags)).toContain('已解决');
    const sameMonth = month(solved.createdAt).slice(0, 7) === month(solved.solvedAt!).slice(0, 7);
    expect(report.data.problems).toMatchObject({ solved: 1, overdue: 0, tickets: sameMonth ? 9 + acrossSuggestion.ticketIds.length : 9, opened: sameMonth ? 2 : 0 });
    const beforeAfter = report.tables.find((t) => t.id === 'problems-before-after')!;
    expect(beforeAfter.rows).toEqual([expect.objectContaining({ before: 1, after: 2, afterWeeks: 1, status: '解决后再次来电，持续监测' })]);
  });
});
