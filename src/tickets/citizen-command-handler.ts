// Runs a citizen's command (a 'command' job on the `tickets` queue) and answers through `outbound`, on the
// channel and conversation it came from. A citizen sees only their own tickets: a ticket counts as theirs
// when it came from the same channel and the same sender; any other number gets the same "not found" as a
// number that does not exist, so numbers cannot be probed. Public channels get no ticket details at all.
import type { Job, Queue } from 'bullmq';
import type { CommandJob, OutboundJob } from '../core/jobs.js';
import { deserializeMessage } from '../core/serialize.js';
import { addressOf, type InboundMessage, type Reply } from '../core/envelope.js';
import { TICKET_PHRASES } from '../core/replies.js';
import type { Lang } from '../nlu/decision.js';
import { jobIdFor } from '../core/job-id.js';
import type { TicketStore } from './ticket-store.js';
import type { TicketRow } from './schema.js';
import type { TicketLifecycle } from './ticket-lifecycle.js';
import { statusText } from './feedback.js';
import { isStatus } from './ticket-statuses.js';
import type { Rating } from '../core/citizen-command.js';

export interface CommandHandlerDeps {
  store: TicketStore;
  lifecycle: TicketLifecycle;
  outbound: Queue<OutboundJob>;
  timeZone: string;
}

export type CommandOutcome = 'status' | 'list' | 'not-found' | 'public' | 'rated' | 'not-awaiting' | 'no-visit-pending';

function isOwn(t: TicketRow | undefined, m: InboundMessage): t is TicketRow {
  return !!t && t.channel === m.channel && t.senderId === m.sender.id;
}

/** The language to answer in: the ticket's, else Chinese (the message itself is a number or a word). */
function langOf(t?: TicketRow): Lang {
  return t?.lang === 'en' ? 'en' : 'zh';
}

export async function handleCitizenCommand(job: Job<CommandJob>, deps: CommandHandlerDeps): Promise<{ outcome: CommandOutcome }> {
  const message = deserializeMessage(job.data.message);
  const cmd = job.data.command;
  const reply = async (r: Omit<Reply, 'id'>) => {
    // One answer per command message, however often the job runs.
    const id = jobIdFor(`cmd:${message.id}`);
    await deps.outbound.add('command-reply', { address: addressOf(message), reply: { ...r, id } }, { jobId: id });
  };
  const en = /^[\x20-\x7e]+$/.test(message.text) && /[a-z]/i.test(message.text);

  if (message.isPublic) {
    await reply({ kind: 'answer', text: TICKET_PHRASES[en ? 'en' : 'zh'].publicQuery });
    return { outcome: 'public' };
  }

  if (cmd.type === 'ticket-status') {
    if (cmd.number) {
      const t = await deps.store.getByNumber(cmd.number);
      if (!isOwn(t, message)) {
        await reply({ kind: 'answer', text: TICKET_PHRASES[en ? 'en' : 'zh'].notFound({ number: cmd.number }) });
        return { outcome: 'not-found' };
      }
      const events = await deps.store.events(t.id);
      const last = [...events].reverse().find((e) => e.kind !== 'overdue');
      await reply({ kind: 'answer', ticketNumber: t.number, text: statusText(t, last, deps.timeZone) });
      return { outcome: 'status' };
    }
    const mine = await deps.store.listForSender(message.channel, message.sender.id, 5);
    const lang: Lang = en ? 'en' : langOf(mine[0]);
    if (!mine.length) {
      await reply({ kind: 'answer', text: TICKET_PHRASES[lang].noTickets });
      return { outcome: 'list' };
    }
    const lines = mine.map((t) => statusText(t, undefined, deps.timeZone));
    await reply({ kind: 'answer', text: [TICKET_PHRASES[lang].myTickets, ...lines].join('\n') });
    return { outcome: 'list' };
  }

  // A return-visit answer: for the named ticket (button) or the sender's ticket waiting for one (typed 1/2/3).
  const target = cmd.number ? await deps.store.getByNumber(cmd.number) : await deps.store.awaitingVisit(message.channel, message.sender.id);
  if (!cmd.number && !target) {
    await reply({ kind: 'answer', text: TICKET_PHRASES[en ? 'en' : 'zh'].noVisitPending });
    return { outcome: 'no-visit-pending' };
  }
  if (!isOwn(target, message)) {
    await reply({ kind: 'answer', text: TICKET_PHRASES[en ? 'en' : 'zh'].notFound({ number: cmd.number }) });
    return { outcome: 'not-found' };
  }
  // The thanks (or the reopening notice) is the event's feedback, sent by the notifier like every other.
  const result = await deps.lifecycle.rate(target.id, cmd.rating as Rating, `citizen:${message.channel}`, `rating:${message.id}`);
  if (result.outcome === 'unchanged') {
    const p = TICKET_PHRASES[langOf(target)];
    await reply({ kind: 'answer', text: p.notAwaitingVisit({ number: target.number, status: isStatus(target.status) ? p.status[target.status] : target.status }) });
    return { outcome: 'not-awaiting' };
  }
  return { outcome: 'rated' };
}
