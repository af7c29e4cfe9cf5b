// Nothing acknowledged is lost, whatever characters it holds: every complaint the intake answers `queued` ends
// as exactly one ticket whose text is the text the envelope stored. The intake is the real one, the tickets
// worker is the real one on real Redis, and the store is each backend in turn (the embedded store refused a
// lone surrogate on every retry, PostgreSQL refuses NUL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Queue, type Worker } from 'bullmq';
import { STORE_BACKENDS } from '../helpers/store-backends.js';
import { TEST_REDIS_URL, uniquePrefix } from '../helpers/databases.js';
import type { Database } from '../../src/tickets/db.js';
import { TicketStore } from '../../src/tickets/ticket-store.js';
import { TicketTransitions } from '../../src/tickets/ticket-transitions.js';
import { ticketInput } from '../helpers/ticket-input.js';
import { IntakePipeline } from '../../src/core/intake.js';
import type { InboundMessage } from '../../src/core/envelope.js';
import { normalizeText } from '../../src/core/normalize-text.js';
import { storableText } from '../../src/core/storable-text.js';
import { createNlu } from '../../src/nlu/index.js';
import type { Nlu } from '../../src/nlu/decision.js';
import { loadDialoguePrompts } from '../../src/core/dialogue/prompts.js';
import { createTicketWorker } from '../../src/queue/ticket-worker.js';
import { jobIdFor } from '../../src/core/job-id.js';
import { DEFAULT_JOB_OPTIONS, type CommandJob, type OutboundJob, type TicketJob } from '../../src/queue/queues.js';
import { createLogger } from '../../src/log.js';

const log = createLogger('silent');
const connection = { url: TEST_REDIS_URL };
/** A complaint the NLU files at once: a place, a problem. */
const COMPLAINT = '丰台区卢沟桥街道假日风景小区门口的井盖丢了';

let nlu: Nlu;
beforeAll(async () => {
  nlu = await createNlu({ timeZone: 'Asia/Shanghai' });
});

describe.each(STORE_BACKENDS)('acknowledged complaints with any text on %s', (_name, open) => {
  let db: Database;
  let drop: () => Promise<void>;
  let store: TicketStore;
  let tickets: Queue<TicketJob | CommandJob>;
  let outbound: Queue<OutboundJob>;
  let worker: Worker;
  let intake: IntakePipeline;
  const prefix = uniquePrefix('storable');
  const seq = { n: 0 };

  beforeAll(async () => {
    ({ db, drop } = await open());
    await db.migrate();
    store = new TicketStore(db.db, 'Asia/Shanghai');
    // Few, quick attempts: a message that cannot be stored shows up as a failed job within the test.
    tickets = new Queue('tickets', { connection, prefix, defaultJobOptions: { ...DEFAULT_JOB_OPTIONS, attempts: 3, backoff: { type: 'fixed', delay: 100 } } });
    outbound = new Queue('outbound', { connection, prefix });
    worker = createTicketWorker(connection, prefix, 50, 30_000, { store, outbound, timeZone: 'Asia/Shanghai', log });
    const prompts = loadDialoguePrompts();
    intake = new IntakePipeline({
      nlu,
      log,
      dialogue: { prompts, categoryName: (id) => id, inWorkingHours: () => true, workingHours: '08:00-20:00', confirmComplaints: false },
      enqueueTicket: async (job, messageId) => {
        await tickets.add('ticket', job, { jobId: jobIdFor(messageId) });
      },
    });
  });
  afterAll(async () => {
    await worker.close();
    await tickets.obliterate({ force: true }).catch(() => {});
    await outbound.obliterate({ force: true }).catch(() => {});
    await Promise.all([tickets.close(), outbound.close()]);
    await db.close();
    await drop();
  });

  function message(text: string, isPublic: boolean, name = `市民\udfff${seq.n + 1}`, label = `门口\u0000${seq.n + 1}\ud800`): InboundMessage {
    const n = ++seq.n;
    return {
      id: `${isPublic ? 'weibo' : 'telegram'}:${prefix}-${n}`,
      channel: isPublic ? 'weibo' : 'telegram',
      conversationId: `c${n}`,
      sender: { id: `u${n}`, name },
      // As a channel's normalizer makes it, including its cut at the length limit (which can split a pair).
      text: normalizeText(text).slice(0, 2000),
      location: { lat: 39.86, lng: 116.2, label },
      isPublic,
      receivedAt: new Date(),
    };
  }

  /** Waits until the jobs are done (completed or failed for good), then returns their states. */
  async function settle(ids: string[]): Promise<Map<string, string>> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const states = new Map(await Promise.all(ids.map(async (id) => [id, await tickets.getJobState(jobIdFor(id))] as const)));
      if ([...states.values()].every((s) => s === 'completed' || s === 'failed') || Date.now() > deadline) return states;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('files the lone-surrogate complaint at the first attempt, with U+FFFD where the surrogate was', async () => {
    const m = message(`${COMPLAINT}\udfff`, false);
    const result = await intake.handle(m);
    expect(result.status).toBe('queued');
    expect((await settle([m.id])).get(m.id)).toBe('completed');
    const job = await tickets.getJob(jobIdFor(m.id));
    expect(job?.attemptsMade).toBe(1);
    const ticket = await store.getBySource(m.id);
    expect(ticket?.text).toBe(`${COMPLAINT}\uFFFD`);
    expect(ticket?.senderName).toBe(`市民\uFFFD${seq.n}`);
    expect((ticket?.details as { location?: { label?: string } }).location?.label).toBe(`门口${seq.n}\uFFFD`);
  });

  it('every message answered queued ends as exactly one ticket holding the text the envelope stored', async () => {
    const nasty = fc.constantFrom(
      '\ud800', '\udfff', '\udbff', '\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u009f', '\r', '\u000b',
      '\u0301', '\u0308\u0323', '\u{1F600}', '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}', '\u{20000}', '\u200f', '\u202e',
      '\u200e', '\u061c', '\uFFFE', '\uFDD0', '\u{1FFFF}', '\uFEFF', '\u3000', 'é', 'ا',
    );
    const noise = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 12 }), nasty);
    const text = fc.tuple(fc.array(noise, { maxLength: 4 }), fc.array(noise, { maxLength: 4 })).map(([a, b]) => a.join('') + COMPLAINT + b.join(''));
    const sent: { message: InboundMessage; status: string; raw: string }[] = [];
    await fc.assert(
      fc.asyncProperty(text, fc.boolean(), noise, noise, async (raw, isPublic, name, label) => {
        const m = message(raw, isPublic, name, label);
        const result = await intake.handle(m);
        sent.push({ message: m, status: result.status, raw });
      }),
      { numRuns: 250 },
    );
    // Plus the length limit cutting a 4-byte emoji in half.
    const cut = message(`${COMPLAINT}${'好'.repeat(2000 - COMPLAINT.length - 1)}\u{1F600}`, false);
    sent.push({ message: cut, status: (await intake.handle(cut)).status, raw: cut.text });

    const queued = sent.filter((s) => s.status === 'queued');
    // The property must have something to hold for: most of these are complaints.
    expect(queued.length).toBeGreaterThan(sent.length / 2);
    const states = await settle(queued.map((s) => s.message.id));
    for (const s of queued) {
      const job = await tickets.getJob(jobIdFor(s.message.id));
      const stored = (job?.data as TicketJob).message.text;
      expect(states.get(s.message.id), JSON.stringify(s.raw)).toBe('completed');
      // What the envelope stored: the channel's text made storable, and nothing else changed.
      expect(stored).toBe(storableText(s.message.text));
      expect(stored.isWellFormed()).toBe(true);
      const rows = await store.list({ channel: s.message.channel, senderId: s.message.sender.id });
      expect(rows.total, JSON.stringify(s.raw)).toBe(1);
      expect(rows.items[0].text).toBe(stored);
      expect(rows.items[0].sourceMessageId).toBe(s.message.id);
      expect(rows.items[0].senderName).toBe(storableText(s.message.sender.name!));
    }
  });

  it('stores an operator\'s note, unit and actor as storable text', async () => {
    const { ticket } = await store.createFromMessage(ticketInput({ tier: '7d' }));
    const transitions = new TicketTransitions(db.db);
    const changed = await transitions.change({ number: ticket.number, to: 'rejected', note: '不属于受理范围\udfff\u0000。', actor: 'operator:值班\ud800', dedupeKey: 'api:key\u0000' });
    expect(changed.outcome).toBe('changed');
    const [event] = (await store.events(ticket.id)).filter((e) => e.kind === 'rejected');
    expect(event).toMatchObject({ note: '不属于受理范围\uFFFD。', actor: 'operator:值班\uFFFD', dedupeKey: 'api:key' });
    // The same key again is the same change: applied once.
    const again = await transitions.change({ number: ticket.number, to: 'rejected', note: 'x', actor: 'operator', dedupeKey: 'api:key\u0000' });
    expect(again.outcome).toBe('duplicate');
  });
});
