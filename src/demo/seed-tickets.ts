// Writes synthetic but realistic tickets (with their events and return-visit ratings) into a ticket store, for
// the reports' benchmark (a year, a million tickets) and for `jiesu demo` (a recent month). Rows come from the
// generative model in ./seed-model.ts (seasonality, places, lifecycle); both stores are written the same way,
// through Drizzle and one unnest() INSERT per table per batch, so the same code seeds PGlite and PostgreSQL.
// Ids come from the tables' own sequences and numbers from ticket_counters, so a live gateway can keep creating
// tickets in the same database afterwards. Seeded rows carry details.seeded = true, which is how `jiesu demo`
// tells them from real tickets.
import { DEFAULT_TIME_ZONE } from '../config.js';
import { sql } from 'drizzle-orm';
import type { Database } from '../tickets/db.js';
import { insertMany } from '../tickets/bulk-insert.js';
import { tickets as ticketsTable, ticketEvents } from '../tickets/schema.js';
import { readIntentsJson } from '../nlu/resources.js';
import { loadDispatchTable } from '../tickets/dispatch-table.js';
import { dispatchTicket } from '../tickets/dispatch.js';
import { dueAt } from '../tickets/time-limits.js';
import { addDays, localDate, startOfLocalDay } from '../reports/period.js';
import {
  CATEGORIES,
  CATEGORY_MODEL,
  type DemoChannel,
  DISTRICT_WEIGHTS,
  HOUR_WEIGHTS,
  MONTH_VOLUME,
  WeightedTable,
  makeRng,
  simulateLifecycle,
  ticketText,
  tierFor,
  type Lifecycle,
  type Rng,
} from './seed-model.js';

export interface SeedTicketsOptions {
  tickets: number;
  /** Generate tickets up to this instant (default now): later lifecycle steps are cut off here. */
  end?: Date;
  days?: number;
  seed?: number;
  timeZone?: string;
  /**
   * Inject spikes: a cluster of reports of one problem at one place, linked as duplicates of the first report
   * (a windy night of fallen trees in April, a waterlogged underpass in the July rains, a water cut in the last
   * 24 hours).
   */
  spikes?: boolean;
  batchSize?: number;
  log?: (line: string) => void;
  /** The channels tickets arrive on (channels/index.ts, demoChannels()), largest share first. */
  channels: DemoChannel[];
}

export interface SeedResult {
  tickets: number;
  events: number;
  duplicates: number;
  seconds: number;
  from: string;
  to: string;
}

interface Street {
  name: string;
  district: string;
  popularity: number;
  quality: number;
}

interface Spike {
  day: number;
  street: Street;
  category: string;
  count: number;
  /** Local hour the cluster starts; -1 = spread over the last 20 hours before `end`. */
  hour: number;
  text: string;
}

type TicketInsert = typeof ticketsTable.$inferInsert;
type EventInsert = typeof ticketEvents.$inferInsert;

function loadStreets(rng: Rng): Street[] {
  const places = readIntentsJson<{ streets: { name: string; district: string }[] }>('places.beijing.json');
  return places.streets.map((s) => {
    // A few very busy streets (Zipf-like) and office quality between ~0.7 and ~0.99.
    const popularity = 1 / Math.pow(1 + rng() * 30, 0.9);
    const quality = Math.min(0.99, 0.68 + rng() * 0.22 + rng() * 0.09);
    return { name: s.name, district: s.district, popularity, quality };
  });
}

/** Day weights: month volume, weekday versus weekend, and ±10% noise. */
function dayWeights(rng: Rng, days: string[]): number[] {
  return days.map((d) => {
    const date = new Date(`${d}T00:00:00Z`);
    const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
    return MONTH_VOLUME[date.getUTCMonth()] * (weekend ? 0.78 : 1) * (0.9 + rng() * 0.2);
  });
}

/** Splits `total` into integer counts proportional to the weights (largest remainders). */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (w / sum) * total);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i]).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k++, left--) out[order[k % order.length][1]] += 1;
  return out;
}

function planSpikes(streets: Street[], days: string[], tickets: number): Spike[] {
  const out: Spike[] = [];
  if (tickets < 500) return out;
  const busy = [...streets].sort((a, b) => b.popularity - a.popularity);
  const windy = days.findIndex((d) => d.slice(5, 7) === '04');
  const rainy = days.findIndex((d) => d.slice(5, 10) >= '07-20' && d.slice(5, 10) <= '08-31');
  if (windy >= 0 && windy + 9 < days.length) out.push({ day: windy + 9, street: busy[3], category: 'greening', count: 14, hour: 1, text: '昨晚大风，{place}好几棵树被刮倒了，压着路边的车' });
  if (rainy >= 0) out.push({ day: rainy, street: busy[7], category: 'municipal', count: 22, hour: 17, text: '暴雨后{place}下穿桥积水太深，车都熄火了' });
  out.push({ day: days.length - 1, street: busy[5], category: 'utilities', count: 12, hour: -1, text: '{place}整个小区停水了，也没有通知' });
  return out;
}

/** A duplicate report follows its primary: same unit and status, created then linked. */
function followerLife(primary: Lifecycle, createdAt: number, channel: string): Lifecycle {
  const status = [...primary.events].reverse().find((e) => e.at <= createdAt)?.to ?? 'received';
  return {
    events: [
      { kind: 'created', from: null, to: 'received', at: createdAt, actor: `channel:${channel}` },
      { kind: 'linked', from: 'received', to: status, at: createdAt, unit: primary.unit, actor: 'system' },
    ],
    status,
    unit: primary.unit,
    rating: null,
    ratedAt: null,
    overdueAt: null,
  };
}

export async function seedTickets(database: Database, opts: SeedTicketsOptions): Promise<SeedResult> {
  const started = Date.now();
  const { db } = database;
  const log = opts.log ?? (() => {});
  const tz = opts.timeZone ?? DEFAULT_TIME_ZONE;
  const end = opts.end ?? new Date();
  const nDays = opts.days ?? 365;
  const rng = makeRng(opts.seed ?? 12345);
  const batchSize = opts.batchSize ?? 4000;

  const table = loadDispatchTable();
  const streets = loadStreets(rng);
  const byDistrict = new Map<string, Street[]>();
  for (const s of streets) byDistrict.set(s.district, [...(byDistrict.get(s.district) ?? []), s]);
  const districts = [...byDistrict.keys()];
  const districtTable = new WeightedTable(districts, districts.map((d) => DISTRICT_WEIGHTS[d] ?? 1));
  const streetTables = new Map([...byDistrict].map(([d, list]) => [d, new WeightedTable(list, list.map((s) => s.popularity))]));
  const hourTable = new WeightedTable(HOUR_WEIGHTS.map((_, h) => h), HOUR_WEIGHTS);
  const channelTable = new WeightedTable(opts.channels.map((c) => c.name), opts.channels.map((c) => c.share));
  const publicChannels = new Set(opts.channels.filter((c) => c.publicReplies).map((c) => c.name));
  const monthCategory = Array.from({ length: 12 }, (_, m) => new WeightedTable(CATEGORIES, CATEGORIES.map((c) => CATEGORY_MODEL[c].base * (CATEGORY_MODEL[c].months?.[m] ?? 1))));
  const deptQuality = new Map<string, number>();

  // An end at local midnight closes the day before; an end during a day seeds that day up to `end`.
  const lastDay = localDate(new Date(end.getTime() - 1), tz);
  const firstDay = addDays(lastDay, -(nDays - 1));
  const days = Array.from({ length: nDays }, (_, i) => addDays(firstDay, i));
  const perDay = apportion(opts.tickets, dayWeights(rng, days));
  const spikeTargets = opts.spikes === false ? [] : planSpikes(streets, days, opts.tickets);

  let ticketCount = 0;
  let eventCount = 0;
  let duplicates = 0;
  const endMs = end.getTime();
  let tBatch: TicketInsert[] = [];
  let eBatch: EventInsert[] = [];
  // One batch is written while the next is generated: the store and Node each keep a core busy.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    const rows = tBatch;
    const events = eBatch;
    tBatch = [];
    eBatch = [];
    await writing;
    writing = db.transaction(async (tx) => {
      // Synthetic rows: losing the last batch to a crash costs nothing, waiting for each fsync costs a lot.
      if (database.kind === 'postgres') await tx.execute(sql`set local synchronous_commit = off`);
      await insertMany(tx as never, ticketsTable, rows);
      await insertMany(tx as never, ticketEvents, events);
      ticketCount += rows.length;
      eventCount += events.length;
    });
  };

  for (let di = 0; di < days.length; di++) {
    const day = days[di];
    const dayStart = startOfLocalDay(day, tz).getTime();
    const spikes = spikeTargets.filter((s) => s.day === di);
    const n = perDay[di] + spikes.reduce((s, x) => s + x.count, 0);
    if (!n) continue;
    const ymd = day.replace(/-/g, '');
    const counter = await db.execute(
      sql`insert into ticket_counters (day, last) values (${ymd}, ${n}) on conflict (day) do update set last = ticket_counters.last + ${n} returning last`,
    );
    let seq = Number((counter as unknown as { rows: { last: number | string }[] }).rows[0].last) - n;
    const idRows = await db.execute(sql`select nextval('tickets_id_seq')::int as id from generate_series(1, ${n}::int)`);
    const ids = (idRows as unknown as { rows: { id: number }[] }).rows.map((r) => Number(r.id));
    // The day's tickets in time order, so numbers follow intake order as they do live.
    const specs: { at: number; spike?: Spike }[] = [];
    for (let i = 0; i < perDay[di]; i++) specs.push({ at: dayStart + hourTable.pick(rng) * 3600_000 + Math.floor(rng() * 3600_000) });
    for (const s of spikes)
      for (let i = 0; i < s.count; i++) {
        const at = s.hour >= 0 ? dayStart + s.hour * 3600_000 + Math.floor(rng() * 5 * 3600_000) : endMs - 1 - Math.floor(rng() * Math.min(20 * 3600_000, endMs - dayStart));
        specs.push({ at, spike: s });
      }
    specs.sort((a, b) => a.at - b.at);
    const primaries = new Map<Spike, { id: number; number: string; life: Lifecycle }>();
    for (let i = 0; i < specs.length; i++) {
      const { spike } = specs[i];
      const createdAt = specs[i].at;
      if (createdAt >= endMs) continue; // the part of today that has not happened yet
      const month = Number(localDate(new Date(createdAt), tz).slice(5, 7)) - 1;
      const category = spike?.category ?? monthCategory[month].pick(rng);
      const placeRoll = rng();
      const district = spike?.street.district ?? (placeRoll < 0.98 ? districtTable.pick(rng) : null);
      const street = spike?.street ?? (district && placeRoll < 0.93 ? streetTables.get(district)!.pick(rng) : undefined);
      const tier = spike ? (spike.category === 'greening' || spike.category === 'municipal' ? '2h' : '24h') : tierFor(rng, category, month);
      const due = dueAt(tier, new Date(createdAt)).getTime();
      const channel = channelTable.pick(rng);
      const decision = dispatchTicket(table, { category, district, street: street?.name });
      const peers = district ? byDistrict.get(district)! : streets;
      const other = peers[Math.floor(rng() * peers.length)];
      const otherUnit = dispatchTicket(table, { category, district: other.district, street: other.name }).unit;
      let quality = street?.quality ?? 0.85;
      if (decision.level === 'department') {
        if (!deptQuality.has(decision.unit)) deptQuality.set(decision.unit, 0.75 + rng() * 0.22);
        quality = deptQuality.get(decision.unit)!;
      }
      const primary = spike ? primaries.get(spike) : undefined;
      const life = primary
        ? followerLife(primary.life, createdAt, channel)
        : simulateLifecycle(rng, { createdAt, dueAt: due, now: endMs, channel, unit: decision.unit, clear: decision.clear, quality, otherUnit });
      const id = ids[i];
      const withPhone = rng() < 0.06;
      const place = street ? `${street.name}` : (district ?? '我家附近');
      const text = spike ? spike.text.replace('{place}', place) : ticketText(rng, category, place, withPhone);
      const phone = /1[3-9]\d{9}/.exec(text)?.[0] ?? null;
      seq += 1;
      const number = `${ymd}-${String(seq).padStart(6, '0')}`;
      if (spike && !primary) primaries.set(spike, { id, number, life });
      if (primary) duplicates++;
      tBatch.push({
        id,
        number,
        sourceMessageId: `seed:${ymd}:${seq}`,
        channel,
        conversationId: `seed-conv-${Math.floor(rng() * 1e9)}`,
        senderId: `seed-user-${Math.floor(rng() * 3e5)}`,
        isPublic: publicChannels.has(channel),
        text,
        category,
        tier,
        district: decision.district ?? district,
        street: street?.name ?? null,
        unit: life.unit,
        status: life.status,
        duplicateOf: primary?.id ?? null,
        phone,
        details: {
          seeded: true,
          dispatch: { level: decision.level, reason: decision.reason },
          ...(primary ? { duplicate: { of: primary.number, score: 0.9 } } : {}),
        },
        dueAt: new Date(due),
        overdueAt: life.overdueAt ? new Date(life.overdueAt) : null,
        rating: life.rating,
        ratedAt: life.ratedAt ? new Date(life.ratedAt) : null,
        createdAt: new Date(createdAt),
        updatedAt: new Date(life.events[life.events.length - 1].at),
      });
      for (const e of life.events) {
        const note = e.kind === 'linked' && primary ? `与工单 ${primary.number} 重复（同一地点：${place}），相似度 0.90，随其办理` : (e.note ?? null);
        eBatch.push({ ticketId: id, kind: e.kind, fromStatus: e.from, toStatus: e.to, actor: e.actor, note, unit: e.unit ?? null, createdAt: new Date(e.at) });
      }
      if (tBatch.length >= batchSize) await flush();
    }
    if (di % 30 === 29) log(`  ${day}: ${ticketCount} tickets written (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  await flush();
  await writing;
  // Fresh statistics (and, on PostgreSQL, the visibility map for index-only scans) for the reports' queries.
  await db.execute(sql`vacuum analyze tickets`);
  await db.execute(sql`vacuum analyze ticket_events`);
  return { tickets: ticketCount, events: eventCount, duplicates, seconds: (Date.now() - started) / 1000, from: firstDay, to: lastDay };
}
