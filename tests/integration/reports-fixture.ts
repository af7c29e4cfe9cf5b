// A small, hand-computable ticket history for the report tests (the numbers in reports-sql.test.ts are
// worked out from the comments here). Day D is 2026-03-10 in Beijing: at(h) is D's local midnight + h hours.
import { tickets, ticketEvents } from '../../src/tickets/schema.js';
import type { Db } from '../../src/tickets/db.js';

export const TZ = 'Asia/Shanghai';
export const D = '2026-03-10';
const D0 = Date.parse('2026-03-09T16:00:00Z');
export const at = (h: number) => new Date(D0 + h * 3600_000);
/** "Now" for the report: everything in the fixture is long due. */
export const NOW = new Date('2026-03-20T00:00:00Z');

const A = { district: '朝阳区', street: '三里屯街道', unit: '三里屯街道' };
const B = { district: '丰台区', street: '卢沟桥街道', unit: '卢沟桥街道' };
const TIER_H: Record<string, number> = { '2h': 2, '24h': 24, '7d': 168, '15d': 360 };

interface Spec {
  n: number;
  place: { district: string; street: string; unit: string };
  category: string;
  channel: string;
  tier: string;
  created: number;
  /** [status, hour] after creation (the created event is implied). */
  steps: [string, number][];
  rating?: string;
  duplicateOf?: number;
  text?: string;
}

let seq = 0;

export async function insertTicket(db: Db, s: Omit<Spec, 'n'> & { createdAt?: Date; dayKey?: string }, duplicateOfId?: number): Promise<number> {
  seq += 1;
  const createdAt = s.createdAt ?? at(s.created);
  const status = s.steps.length ? s.steps[s.steps.length - 1][0] : 'received';
  const day = s.dayKey ?? '20260310';
  const [row] = await db
    .insert(tickets)
    .values({
      number: `${day}-${String(900000 + seq).padStart(6, '0')}`,
      sourceMessageId: `fixture:${seq}:${Math.random()}`,
      channel: s.channel,
      conversationId: `c${seq}`,
      senderId: `u${seq}`,
      isPublic: false,
      lang: 'zh',
      text: s.text ?? `${s.place.street}的问题`,
      category: s.category,
      tier: s.tier,
      district: s.place.district,
      street: s.place.street,
      unit: s.place.unit,
      status,
      rating: s.rating ?? null,
      duplicateOf: duplicateOfId ?? null,
      dueAt: new Date(createdAt.getTime() + TIER_H[s.tier] * 3600_000),
      createdAt,
      updatedAt: createdAt,
    })
    .returning({ id: tickets.id });
  let from = 'received';
  const events: (typeof ticketEvents.$inferInsert)[] = [{ ticketId: row.id, kind: 'created', toStatus: 'received', actor: 'test', createdAt }];
  for (const [to, h] of s.steps) {
    events.push({ ticketId: row.id, kind: from === 'resolved' && to === 'in_progress' ? 'reopened' : to, fromStatus: from, toStatus: to, actor: 'test', createdAt: at(h) });
    from = to;
  }
  await db.insert(ticketEvents).values(events);
  return row.id;
}

/**
 * Day D (7 tickets) and the day before (4):
 *   T1 A noise   webchat 24h  at1: in_progress 2, resolved 10, visited 20 (satisfied)
 *   T2 A noise   wechat  24h  at3: in_progress 30 (late, due 27), resolved 40, visited 41 (basically)
 *   T3 A parking webchat 7d   at5: in_progress 6, resolved 50
 *   T4 B heating webchat 24h  at2: in_progress 4, resolved 8, reopened 12 (unsatisfied) → in_progress
 *   T5 B heating api     24h  at6: dispatched 6 — never answered
 *   T6 B heating api     24h  at7: rejected 8
 *   T7 A noise   webchat 24h  at4: duplicate of T1; resolved 10, visited 20
 *   P1 A noise   webchat 7d   at-10: resolved 5
 *   P2 B heating wechat  7d   at-5: dispatched -5
 *   P3 A municipal api   24h  at-20: resolved 6 (late: due at 4 on D)
 *   P4 A municipal api   24h  at-22: resolved -1 (on time: due at 2 on D)
 */
export async function insertDayFixture(db: Db): Promise<void> {
  const t1 = await insertTicket(db, { place: A, category: 'noise', channel: 'webchat', tier: '24h', created: 1, steps: [['dispatched', 1], ['in_progress', 2], ['resolved', 10], ['visited', 20]], rating: 'satisfied', text: '楼下施工太吵，联系电话13812345678' });
  await insertTicket(db, { place: A, category: 'noise', channel: 'wechat', tier: '24h', created: 3, steps: [['dispatched', 3], ['in_progress', 30], ['resolved', 40], ['visited', 41]], rating: 'basically' });
  await insertTicket(db, { place: A, category: 'parking', channel: 'webchat', tier: '7d', created: 5, steps: [['dispatched', 5], ['in_progress', 6], ['resolved', 50]] });
  await insertTicket(db, { place: B, category: 'heating', channel: 'webchat', tier: '24h', created: 2, steps: [['dispatched', 2], ['in_progress', 4], ['resolved', 8], ['in_progress', 12]], rating: 'unsatisfied' });
  await insertTicket(db, { place: B, category: 'heating', channel: 'api', tier: '24h', created: 6, steps: [['dispatched', 6]] });
  await insertTicket(db, { place: B, category: 'heating', channel: 'api', tier: '24h', created: 7, steps: [['rejected', 8]] });
  await insertTicket(db, { place: A, category: 'noise', channel: 'webchat', tier: '24h', created: 4, steps: [['dispatched', 4], ['resolved', 10], ['visited', 20]] }, t1);
  await insertTicket(db, { place: A, category: 'noise', channel: 'webchat', tier: '7d', created: -10, steps: [['dispatched', -10], ['resolved', 5]], dayKey: '20260309' });
  await insertTicket(db, { place: B, category: 'heating', channel: 'wechat', tier: '7d', created: -5, steps: [['dispatched', -5]], dayKey: '20260309' });
  await insertTicket(db, { place: A, category: 'municipal', channel: 'api', tier: '24h', created: -20, steps: [['dispatched', -20], ['resolved', 6]], dayKey: '20260309' });
  await insertTicket(db, { place: A, category: 'municipal', channel: 'api', tier: '24h', created: -22, steps: [['dispatched', -22], ['resolved', -1]], dayKey: '20260309' });
}

export const SPIKE_AS_OF = new Date('2026-06-01T04:00:00Z');

/**
 * Around SPIKE_AS_OF: 东华门街道 greening — 7 tickets over the 28 baseline days (mean 0.25/day), then 14 in the
 * last 24 hours (a spike); 景山街道 sanitation — 10 a day for 28 days, then 12 (normal for it); 交道口街道
 * noise — 5 in the last 24 hours with nothing before (below the minimum of 6).
 */
export async function insertSpikeFixture(db: Db): Promise<void> {
  const C = { district: '东城区', street: '东华门街道', unit: '东华门街道' };
  const E = { district: '东城区', street: '景山街道', unit: '景山街道' };
  const F = { district: '东城区', street: '交道口街道', unit: '交道口街道' };
  const day = 86_400_000;
  const t0 = SPIKE_AS_OF.getTime();
  const mk = (place: typeof C, category: string, ms: number) =>
    insertTicket(db, { place, category, channel: 'webchat', tier: '7d', created: 0, createdAt: new Date(ms), steps: [], dayKey: '20260531' });
  for (let i = 0; i < 7; i++) await mk(C, 'greening', t0 - day - (i * 4 + 1) * day - 3600_000);
  for (let i = 0; i < 14; i++) await mk(C, 'greening', t0 - (i + 1) * 3600_000);
  for (let d = 1; d <= 28; d++) for (let i = 0; i < 10; i++) await mk(E, 'sanitation', t0 - day - (d - 1) * day - (i + 1) * 3600_000);
  for (let i = 0; i < 12; i++) await mk(E, 'sanitation', t0 - (i + 1) * 3600_000);
  for (let i = 0; i < 5; i++) await mk(F, 'noise', t0 - (i + 1) * 3600_000);
}
