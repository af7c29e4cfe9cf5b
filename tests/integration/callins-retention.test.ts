// RETENTION_DAYS reaches the notes of 吹哨报到 too: a unit's call-in note or report may name the citizen or carry
// a phone number, like an office's event note; once the ticket has been closed long enough, they are masked.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../src/tickets/db.js';
import { TicketStore } from '../../src/tickets/ticket-store.js';
import { loadDispatchTable } from '../../src/tickets/dispatch-table.js';
import { createTicket } from '../../src/tickets/ticket-intake.js';
import { JointHandling } from '../../src/tickets/joint-handling.js';
import { redactClosedTickets } from '../../src/tickets/retention.js';
import { ticketCallins } from '../../src/tickets/schema.js';
import { ticketInput } from '../helpers/ticket-input.js';
import { openTestDatabase } from '../helpers/databases.js';

let db: Database;
let closeDatabase: () => Promise<void>;

beforeAll(async () => {
  ({ database: db, close: closeDatabase } = await openTestDatabase());
});
afterAll(async () => {
  await closeDatabase();
});

it('masks call-in and report notes of tickets closed longer than the retention period', async () => {
  const store = new TicketStore(db.db, 'Asia/Shanghai');
  const joint = new JointHandling({ db: db.db, table: loadDispatchTable() });
  const admin = { user: 'admin', role: 'admin' as const };
  const make = async () => (await createTicket({ store, table: loadDispatchTable() }, ticketInput({ senderName: '李明' }))).ticket;
  const [old, recent] = [await make(), await make()];
  for (const t of [old, recent]) {
    await joint.callIn({ number: t.number, units: ['丰台区园林绿化局'], note: '请联系李明13812345678', caller: admin });
    await joint.report({ number: t.number, unit: '丰台区园林绿化局', note: '已与李明（13812345678）约好上门', caller: admin });
  }
  await db.db.execute(sql`update tickets set status = 'visited', updated_at = now() - make_interval(days => 40) where id = ${old.id}`);
  await db.db.execute(sql`update tickets set status = 'visited', updated_at = now() - make_interval(days => 5) where id = ${recent.id}`);
  expect(await redactClosedTickets(db.db, new Date(), 30)).toBe(1);

  const notes = async (id: number) => (await db.db.select().from(ticketCallins).where(eq(ticketCallins.ticketId, id))).map((c) => [c.note, c.reportNote]);
  expect(await notes(old.id)).toEqual([['请联系李某138****5678', '已与李某（138****5678）约好上门']]);
  expect(await notes(recent.id)).toEqual([['请联系李明13812345678', '已与李明（13812345678）约好上门']]);
});
