// The intake pipeline (DESIGN.md, "The flow"): dedupe → conversation state → NLU and dialogue → answer now,
// or enqueue. It never imports a channel. FAQ answers and chitchat are computed in memory and survive Redis
// being down; anything that must not be lost (a ticket, a half-collected complaint's expiry, a message to a
// person) is acknowledged only once Redis has it.
import type { HandleOptions, Intake, IntakeResult } from './channel-adapter.js';
import { addressOf, storableMessage, type InboundMessage, type Reply } from './envelope.js';
import { FloodLimitedError, IntakeUnavailableError } from './errors.js';
import type { Claim, FloodKeys, IntakeMemory, LimitVerdict, Recalled } from './intake-memory.js';
import { intakeTurns, type LogEntry } from './conversation-log.js';
import type { ConversationState } from './conversation-state.js';
import { emptyState, type PendingComplaint } from './dialogue/conversation.js';
import { step, type DialogueContext, type Step } from './dialogue/policy.js';
import type { CommandParser } from './citizen-command.js';
import type { HandoffDesk } from './handoff-desk.js';
import type { FaqStats } from './faq-stats.js';
import { PHRASES } from './replies.js';
import { serializeMessage } from './serialize.js';
import { withTimeout } from './with-timeout.js';
import { ticketClass, type Decision, type Nlu } from '../nlu/decision.js';
import { detectLang } from '../nlu/lang.js';
import type { CommandJob, ExpiryJob, TicketJob } from './jobs.js';
import type { Logger } from '../log.js';

export interface IntakeDeps {
  nlu: Nlu;
  /** The dialogue's wording and settings; the NLU-backed parts are filled in here. */
  dialogue: Omit<DialogueContext, 'decide' | 'faq' | 'hotQuestions'>;
  /** Adds the ticket job with jobId derived from the message id; rejects when Redis cannot take it. */
  enqueueTicket(job: TicketJob, messageId: string): Promise<void>;
  /** Schedules the expiry of a half-collected complaint (jobId derived from its version). */
  enqueueExpiry?(job: ExpiryJob): Promise<void>;
  /** Recognizes ticket queries and return-visit answers; they are queued like tickets (they need the DB). */
  parseCommand?: CommandParser;
  enqueueCommand?(job: CommandJob, messageId: string): Promise<void>;
  /**
   * The ledger, the conversations' state and flood control. Without it every message stands alone, nothing is
   * deduplicated here and nothing is throttled.
   */
  memory?: IntakeMemory;
  handoffs?: HandoffDesk;
  faqStats?: FaqStats;
  log: Logger;
  /** Called once per handled message, for metrics. */
  observe?(message: InboundMessage, result: IntakeResult, decision?: Decision): void;
  /** How long the intake took with a message it answered, queued or throttled (not one that failed), in seconds. */
  observeDuration?(message: InboundMessage, result: IntakeResult, seconds: number): void;
}

/** Redis calls that only improve the answer (ledger, stats) get this long before they are skipped. */
const SOFT_DEPENDENCY_MS = 250;
/** Calls that must succeed before the message is acknowledged. */
const HARD_DEPENDENCY_MS = 3000;

type Result = Omit<IntakeResult, 'duplicate'>;

export class IntakePipeline implements Intake {
  private readonly ctx: DialogueContext;

  constructor(private readonly deps: IntakeDeps) {
    const nlu = deps.nlu;
    this.ctx = {
      ...deps.dialogue,
      decide: (text, now) => nlu.decide(text, { now }),
      faq: (id) => {
        const e = nlu.entry(id);
        return e ? { answer: e.answer, question: e.questions[0] } : undefined;
      },
      get hotQuestions() {
        return (deps.faqStats?.top(4) ?? [])
          .map((id) => nlu.entry(id))
          .filter((e) => e !== undefined)
          .map((e) => ({ faqId: e.id, question: e.questions[0], score: 1 }));
      },
    };
  }

  async handle(received: InboundMessage, options: HandleOptions = {}): Promise<IntakeResult> {
    const started = performance.now();
    // The one place text becomes storable, for every channel: what is acknowledged can always be stored.
    const incoming = storableMessage(received);
    const result = await this.handleTimed(incoming, options);
    this.deps.observeDuration?.(incoming, result, (performance.now() - started) / 1000);
    return result;
  }

  async countRefused(client: string): Promise<LimitVerdict> {
    return this.deps.memory ? this.deps.memory.countClient(client) : { ok: true, retryAfterMs: 0 };
  }

  private async handleTimed(incoming: InboundMessage, options: HandleOptions): Promise<IntakeResult> {
    // 1. Flood control, dedupe and conversation state, read at once (IntakeMemory.recall). Public channels
    //    (microblog) have no conversation: every mention stands alone.
    const { seen, state: loaded, sender } = await this.recall(incoming, options.client);
    // A message id seen before gets the first delivery's replies and changes nothing.
    if (seen) return this.done(incoming, { ...seen, duplicate: true });
    if (sender && !sender.ok) {
      const lang = detectLang(incoming.text);
      const retryAfterSeconds = Math.ceil(sender.retryAfterMs / 1000);
      return this.done(incoming, { status: 'throttled', retryAfterSeconds, replies: [{ text: PHRASES[lang].throttled, kind: 'error' }], duplicate: false });
    }
    const state: ConversationState = loaded ?? emptyState();
    const message = withTypedChoice(incoming, state);

    // 2. A citizen's command about their own tickets (status query, return-visit answer).
    // A digit that picked one of our buttons is that button, not a free-standing reply digit.
    const command = this.deps.parseCommand?.(message.action && !incoming.action ? '' : message.text, message.action);
    if (command && this.deps.enqueueCommand) {
      await this.hard(() => this.deps.enqueueCommand!({ message: serializeMessage(message), command }, message.id), message.id);
      const lang = state.lang ?? detectLang(message.text);
      const text = command.type === 'rating' ? PHRASES[lang].ratingReceived : PHRASES[lang].lookingUp;
      return this.finish(message, { status: 'queued', replies: [{ text, kind: 'ack' }] });
    }

    // 3. Public mentions: answer or ticket at once, with no buttons and nothing personal in the reply.
    if (message.isPublic) return this.handlePublic(message);

    // 4. The dialogue decides; its effects are carried out before anything is acknowledged.
    const s = step(message, state, this.ctx);
    await this.carryOut(message, s);
    const memory = this.deps.memory;
    if (!memory) return this.finish(message, { status: s.status, replies: s.replies }, s.decision);
    // A pending complaint or a handoff must be remembered before the message is acknowledged (and recorded as
    // seen); otherwise losing the state only costs context, and it is written along with the ledger entry.
    const mustKeep = s.state.pending !== undefined || s.state.handoff !== undefined || state.pending !== undefined;
    const result: Result = { status: s.status, replies: s.replies };
    const conversation = { channel: message.channel, conversationId: message.conversationId };
    if (mustKeep) {
      await this.hard(() => memory.saveState(conversation, s.state), message.id);
      return this.finish(message, result, s.decision);
    }
    const claimed = await this.soft(() => memory.commit(message.id, conversation, s.state, result, logEntry(message, result)), 'state set and ledger claim');
    return this.claimed(message, result, claimed, s.decision);
  }

  /**
   * The client's flood limit (throws FloodLimitedError when over it), then the sender's, the ledger's entry for
   * the message (if seen before) and its conversation's state (if it has one).
   */
  private async recall(incoming: InboundMessage, client: string | undefined): Promise<Recalled> {
    const memory = this.deps.memory;
    if (!memory) return {};
    const flood: FloodKeys = { sender: `${incoming.channel}:${incoming.sender.id}`, ...(client !== undefined ? { client } : {}) };
    const conversation = incoming.isPublic ? undefined : { channel: incoming.channel, conversationId: incoming.conversationId };
    // Redis did not answer (down, or not within the soft deadline): the limits count in this process, and the
    // message goes on without ledger and state.
    const recalled = (await this.soft(() => memory.recall(incoming.id, conversation, flood), 'flood control, ledger and state get')) ?? (await memory.countLocally(flood));
    if (recalled.client && !recalled.client.ok) throw new FloodLimitedError(recalled.client.retryAfterMs);
    return recalled;
  }

  private async handlePublic(message: InboundMessage): Promise<IntakeResult> {
    const d = this.deps.nlu.decide(message.text, { now: message.receivedAt });
    if (d.kind === 'ticket') {
      const decision: Decision = { ...d, ...ticketClass(d) };
      await this.hard(() => this.deps.enqueueTicket({ message: serializeMessage(message), decision }, message.id), message.id);
      return this.finish(message, { status: 'queued', replies: [{ text: PHRASES[d.lang].ackPublic, kind: 'ack' }] }, d);
    }
    const p = PHRASES[d.lang];
    const reply: Reply =
      d.kind === 'faq' && d.answer && !d.clarify
        ? { text: d.answer, kind: 'answer', faqId: d.faqId }
        : { text: d.kind === 'faq' ? p.ackPublic : p[d.chitchat === 'handoff' ? 'handoff' : (d.chitchat ?? 'noise')], kind: 'chitchat' };
    if (reply.faqId) this.deps.faqStats?.hit(reply.faqId);
    return this.finish(message, { status: 'answered', replies: [reply] }, d);
  }

  private async carryOut(message: InboundMessage, s: Step): Promise<void> {
    if (s.ticket) {
      const t = s.ticket;
      await this.hard(() => this.deps.enqueueTicket({ message: t.message, decision: t.decision, ...(t.details ? { details: t.details } : {}) }, t.message.id), message.id);
    }
    if (s.expiry && this.deps.enqueueExpiry) {
      const p: PendingComplaint = s.expiry;
      await this.hard(() => this.deps.enqueueExpiry!({ channel: message.channel, conversationId: message.conversationId, version: p.version }), message.id);
    }
    const desk = this.deps.handoffs;
    if (s.handoff === 'start' && desk) await this.hard(() => desk.open(addressOf(message), s.state.lang ?? 'zh', message.receivedAt, message), message.id);
    if (s.handoff === 'message' && desk) await this.hard(() => desk.record(addressOf(message), 'citizen', message.text, message.receivedAt), message.id);
    for (const r of s.replies) if (r.kind === 'answer' && r.faqId) this.deps.faqStats?.hit(r.faqId);
    if (s.rated) this.deps.faqStats?.rate(s.rated.faqId, s.rated.helpful, s.rated.question);
  }

  private async finish(message: InboundMessage, result: Result, decision?: Decision): Promise<IntakeResult> {
    const memory = this.deps.memory;
    const claimed = memory ? await this.soft(() => memory.claim(message.id, result, logEntry(message, result)), 'ledger claim') : undefined;
    return this.claimed(message, result, claimed, decision);
  }

  /** Another delivery of the same id that recorded first wins: its replies are the answer, marked duplicate. */
  private claimed(message: InboundMessage, result: Result, claimed: Claim | undefined, decision?: Decision): IntakeResult {
    if (claimed && !claimed.first) return this.done(message, { ...claimed.result, duplicate: true }, decision);
    return this.done(message, { ...result, duplicate: false }, decision);
  }

  private done(message: InboundMessage, result: IntakeResult, decision?: Decision): IntakeResult {
    this.deps.observe?.(message, result, decision);
    return result;
  }

  /** Runs something that must succeed before the message is acknowledged; otherwise the channel retries. */
  private async hard(fn: () => Promise<unknown>, messageId: string): Promise<void> {
    try {
      await withTimeout(fn(), HARD_DEPENDENCY_MS, 'durable write');
    } catch (err) {
      this.deps.log.warn({ err: (err as Error).message, messageId }, 'could not make the message durable; not acknowledging');
      throw new IntakeUnavailableError(`queue unavailable: ${(err as Error).message}`);
    }
  }

  /** Runs a call that may fail without failing the message (Redis down must not stop FAQ answers). */
  private async soft<T>(fn: () => Promise<T>, what: string): Promise<T | undefined> {
    try {
      return await withTimeout(fn(), SOFT_DEPENDENCY_MS, what);
    } catch (err) {
      this.deps.log.debug({ err: (err as Error).message }, `${what} skipped`);
      return undefined;
    }
  }
}

/** The message and its replies, for the conversation log the staff read (and the web chat shows again). */
function logEntry(message: InboundMessage, result: Result): LogEntry {
  return { conversation: { channel: message.channel, conversationId: message.conversationId }, turns: intakeTurns(message, result.replies) };
}

/** On channels without buttons a citizen types the number of a choice: "2" picks the second button shown. */
function withTypedChoice(message: InboundMessage, state: ConversationState): InboundMessage {
  if (message.action || !state.lastQuickReplies) return message;
  const m = /^([1-9])[.。、]?$/.exec(message.text.trim());
  const payload = m ? state.lastQuickReplies[Number(m[1]) - 1] : undefined;
  return payload ? { ...message, action: payload } : message;
}
