// An acknowledged complaint that cannot be stored after all its attempts is never dropped: it becomes a dead
// letter in the database, the staff channel is alerted (nothing personal), the citizen hears on their own
// channel that a person will follow up, and the console's retry files it — under the ticket number it
// reserved, once. The insert is made to fail for good by a CHECK constraint that refuses a marker text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { WebchatCitizen, postJson, waitUntil } from '../helpers/webchat-client.js';
import { refuseTicketText } from '../helpers/refuse-text.js';
import { Queue, Worker } from 'bullmq';
import { openDatabase, type Database } from '../../src/tickets/db.js';
import { jobIdFor } from '../../src/core/job-id.js';
import { TICKET_PHRASES } from '../../src/core/replies.js';
import { DeadLetterStore } from '../../src/tickets/dead-letter-store.js';
import { TicketDeadLetters } from '../../src/queue/ticket-dead-letters.js';
import type { CommandJob, OutboundJob, TicketJob } from '../../src/queue/queues.js';
import { TEST_REDIS_URL, uniquePrefix } from '../helpers/databases.js';
import { createLogger } from '../../src/log.js';

const STAFF_SESSION = 'staff-room-0001';
const MARKER = 'REFUSEDMARK';
const COMPLAINT = '丰台区卢沟桥街道假日风景小区门口的井盖丢了';

let gw: TestGateway;
let database: Database;
/** The number the dead letter reserved: the next ticket filed must follow it (its retries took no others). */
let reserved = '';
const seqOf = (number: string) => Number(number.slice(9));

beforeAll(async () => {
  gw = await startTestGateway({ TICKET_ATTEMPTS: '2', STAFF_ALERT_CHANNEL: `webchat:${STAFF_SESSION}`, CONFIRM_COMPLAINTS: '0' });
  database = await openDatabase({ databaseUrl: gw.databaseUrl });
});
afterAll(async () => {
  await database?.close();
  await gw?.stop();
});

const admin = (path: string, method = 'GET') => fetch(`${gw.url}${path}`, { method, headers: { authorization: `Bearer ${gw.adminToken}` } });
const deadLetters = async (all = false) => ((await (await admin(`/api/admin/dead-letters${all ? '?all=1' : ''}`)).json()) as any).tickets;
const ticketsOf = async (sourceMessageId: string) =>
  ((await database.db.execute(sql`select number, text from tickets where source_message_id = ${sourceMessageId}`)) as unknown as { rows: { number: string; text: string }[] }).rows;
const history = async (sessionId: string) => ((await (await fetch(`${gw.url}/api/webchat/sessions/${sessionId}/messages`)).json()) as { messages: any[] }).messages;

describe('ticket dead letters', () => {
  it('records a complaint the store refuses for good, alerts staff, tells the citizen, and a retry files it once under its reserved number', async () => {
    const lift = await refuseTicketText(database.db, MARKER);
    const citizen = new WebchatCitizen(gw.url);
    const messageId = 'complaint-0001';
    const sourceId = `webchat:${citizen.sessionId}/${messageId}`;
    const said = await citizen.say(`${COMPLAINT}${MARKER}`, messageId);
    expect(said.body.status).toBe('queued');

    await waitUntil(async () => (await deadLetters()).total === 1, 20_000, 'dead letter');
    const [dead] = (await deadLetters()).items;
    expect(dead).toMatchObject({ sourceMessageId: sourceId, channel: 'webchat', attempts: 2, failures: 1, status: 'dead', ticketNumber: null });
    expect(dead.text).toBe(`${COMPLAINT}${MARKER}`);
    expect(dead.error).toMatch(/refuse_refusedmark/);
    expect(dead.reservedNumber).toMatch(/^\d{8}-\d{6}$/);
    reserved = dead.reservedNumber;
    // The database holds it now; the queue no longer does.
    await waitUntil(async () => (await gw.gateway.services.queues.tickets.getJob(jobIdFor(sourceId))) === undefined, 5000, 'job removed');

    // The citizen, on their own channel and in their language; staff, with nothing personal.
    await waitUntil(async () => (await history(citizen.sessionId)).some((m) => m.text === TICKET_PHRASES.zh.followUp), 10_000, 'follow-up message');
    await waitUntil(async () => (await history(STAFF_SESSION)).length > 0, 10_000, 'staff alert');
    const alerts = await history(STAFF_SESSION);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].text).toContain('工单生成失败');
    expect(alerts[0].text).toContain(`编号 ${dead.id}`);
    for (const personal of [COMPLAINT, MARKER, citizen.sessionId, '井盖']) expect(alerts[0].text).not.toContain(personal);

    // The supervision sweep finds nothing more to record or announce.
    expect(await gw.gateway.services.tickets.deadLetters.sweep()).toBe(0);

    // Retried while the store still refuses: it fails again, is a dead letter again and staff hear again; the
    // citizen was told once already.
    expect((await admin(`/api/admin/dead-letters/tickets/${dead.id}/retry`, 'POST')).status).toBe(200);
    await waitUntil(async () => (await deadLetters()).items[0]?.failures === 2 && (await deadLetters()).items[0]?.status === 'dead', 20_000, 'second failure');
    await waitUntil(async () => (await history(STAFF_SESSION)).length === 2, 10_000, 'second staff alert');
    expect((await history(citizen.sessionId)).filter((m) => m.text === TICKET_PHRASES.zh.followUp)).toHaveLength(1);

    // Fixed, retried: one ticket, under the number the first attempt reserved.
    await lift();
    expect((await admin(`/api/admin/dead-letters/tickets/${dead.id}/retry`, 'POST')).status).toBe(200);
    await waitUntil(async () => (await ticketsOf(sourceId)).length === 1, 20_000, 'ticket after retry');
    const [ticket] = await ticketsOf(sourceId);
    expect(ticket).toEqual({ number: dead.reservedNumber, text: `${COMPLAINT}${MARKER}` });
    await waitUntil(async () => (await history(citizen.sessionId)).some((m) => m.ticketNumber === ticket.number), 10_000, 'confirmation');

    // Handled: gone from the open list, kept in the full one with its ticket.
    expect((await deadLetters()).total).toBe(0);
    expect((await deadLetters(true)).items[0]).toMatchObject({ id: dead.id, ticketNumber: ticket.number, status: 'retried' });

    // Retried again, or the message redelivered: still exactly one ticket.
    expect((await admin(`/api/admin/dead-letters/tickets/${dead.id}/retry`, 'POST')).status).toBe(200);
    const again = await citizen.say(`${COMPLAINT}${MARKER}`, messageId);
    expect(again.body.status).toBe('queued');
    await new Promise((r) => setTimeout(r, 1500));
    expect(await ticketsOf(sourceId)).toHaveLength(1);
  });

  it('refuses a bad id and answers 404 for an unknown one', async () => {
    expect((await admin('/api/admin/dead-letters/tickets/abc/retry', 'POST')).status).toBe(400);
    expect((await admin('/api/admin/dead-letters/tickets/999999/retry', 'POST')).status).toBe(404);
    expect((await fetch(`${gw.url}/api/admin/dead-letters`)).status).toBe(401);
  });

  it('keeps the cleaned text in the web chat history, the same as the ticket', async () => {
    const citizen = new WebchatCitizen(gw.url);
    const res = await postJson(`${gw.url}/api/webchat/messages`, { sessionId: citizen.sessionId, messageId: 'surrogate-0001', text: `${COMPLAINT}\udfff\u0000` });
    expect(res.body.status).toBe('queued');
    const sourceId = `webchat:${citizen.sessionId}/surrogate-0001`;
    await waitUntil(async () => (await ticketsOf(sourceId)).length === 1, 20_000, 'ticket');
    const [ticket] = await ticketsOf(sourceId);
    expect(ticket.text).toBe(`${COMPLAINT}\uFFFD`);
    // Four failed attempts and a retry before this used one number in all: no gaps.
    expect(reserved).not.toBe('');
    expect(seqOf(ticket.number)).toBe(seqOf(reserved) + 1);
    const said = (await history(citizen.sessionId)).find((m) => m.from === 'citizen');
    expect(said.text).toBe(ticket.text);
  });

  it('the supervision sweep records a failed ticket job the worker did not, and announces it once', async () => {
    const prefix = uniquePrefix('dlsweep');
    const connection = { url: TEST_REDIS_URL };
    const tickets = new Queue<TicketJob | CommandJob>('tickets', { connection, prefix });
    const outbound = new Queue<OutboundJob>('outbound', { connection, prefix });
    // A worker without the dead-letter hook (as if the process died before recording): the job just fails.
    const failing = new Worker('tickets', async () => {
      throw new Error('database unavailable');
    }, { connection, prefix });
    try {
      const sourceId = `telegram:${prefix}`;
      const data: TicketJob = {
        message: { id: sourceId, channel: 'telegram', conversationId: '42', sender: { id: '42', name: '王\udfff' }, text: `${COMPLAINT}\u0000`, isPublic: false, receivedAt: new Date().toISOString() },
        decision: { kind: 'ticket', score: 0.9, candidates: [], category: 'municipal', tier: '7d', lang: 'en' },
      };
      await tickets.add('ticket', data, { jobId: jobIdFor(sourceId), attempts: 1 });
      await waitUntil(async () => (await tickets.getJobState(jobIdFor(sourceId))) === 'failed', 10_000, 'failed job');
      const store = new DeadLetterStore(database.db);
      const deadLetters = new TicketDeadLetters({ store, tickets, outbound, log: createLogger('silent'), staffAddress: { channel: 'slack', conversationId: 'C1' } });
      expect(await deadLetters.sweep()).toBe(1);
      expect(await deadLetters.sweep()).toBe(0);
      const row = (await store.list()).items.find((d) => d.sourceMessageId === sourceId)!;
      expect(row).toMatchObject({ error: 'database unavailable', attempts: 1, failures: 1, status: 'dead' });
      // Stored as the envelope stores it.
      expect((row.job as unknown as TicketJob).message.text).toBe(COMPLAINT);
      expect(row.notifiedAt).not.toBeNull();
      const follow = await outbound.getJob(jobIdFor(`follow-up:${sourceId}`));
      expect(follow?.data.reply.text).toBe(TICKET_PHRASES.en.followUp);
      expect(follow?.data.address).toMatchObject({ channel: 'telegram', conversationId: '42' });
      expect(await outbound.getJob(jobIdFor(`dead-letter:${sourceId}:1`))).toBeDefined();
      expect(await outbound.count()).toBe(2);
    } finally {
      await failing.close();
      await tickets.obliterate({ force: true }).catch(() => {});
      await outbound.obliterate({ force: true }).catch(() => {});
      await Promise.all([tickets.close(), outbound.close()]);
    }
  });
});
