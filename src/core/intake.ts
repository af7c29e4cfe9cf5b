// The intake pipeline (DESIGN.md, "The flow"): dedupe → conversation state → NLU → answer now, or enqueue a
// ticket job. It never imports a channel. FAQ answers and chitchat are computed in memory and survive Redis
// being down; a complaint is acknowledged only once its job is in Redis.
import type { Intake, IntakeResult } from './channel-adapter.js';
import type { InboundMessage, Reply } from './envelope.js';
import { IntakeUnavailableError } from './errors.js';
import type { MessageLedger } from './message-ledger.js';
import type { ConversationState, ConversationStore } from './conversation-state.js';
import { PHRASES } from './replies.js';
import { serializeMessage } from './serialize.js';
import { withTimeout } from './with-timeout.js';
import type { Decision, Nlu } from '../nlu/decision.js';
import type { TicketJob } from '../queue/queues.js';
import type { Logger } from '../log.js';

export interface IntakeDeps {
  nlu: Nlu;
  /** Adds the ticket job with jobId derived from the message id; rejects when Redis cannot take it. */
  enqueueTicket(job: TicketJob, messageId: string): Promise<void>;
  ledger?: MessageLedger;
  conversations?: ConversationStore;
  log: Logger;
  /** Called once per handled message, for metrics. */
  observe?(message: InboundMessage, result: IntakeResult, decision?: Decision): void;
  now?: () => Date;
}

/** Redis calls that only improve the answer (ledger, state) get this long before they are skipped. */
const SOFT_DEPENDENCY_MS = 250;

export class IntakePipeline implements Intake {
  constructor(private readonly deps: IntakeDeps) {}

  async handle(message: InboundMessage): Promise<IntakeResult> {
    const { ledger, conversations, log } = this.deps;

    // 1. Dedupe: a message id seen before gets the first delivery's replies and changes nothing.
    const seen = ledger ? await this.soft(() => ledger.get(message.id), 'ledger get') : undefined;
    if (seen) return this.done(message, { ...seen, duplicate: true });

    // 2. Conversation state.
    const state: ConversationState =
      (conversations ? await this.soft(() => conversations.get(message.channel, message.conversationId), 'state get') : undefined) ?? {
        turns: 0,
      };

    // 3. NLU.
    const decision = this.deps.nlu.decide(message.text, { now: message.receivedAt });
    const lang = decision.lang;

    // 4. Act.
    let result: Omit<IntakeResult, 'duplicate'>;
    if (decision.kind === 'ticket') {
      try {
        await this.deps.enqueueTicket({ message: serializeMessage(message), decision }, message.id);
      } catch (err) {
        log.warn({ err: (err as Error).message, messageId: message.id }, 'could not queue a ticket job; not acknowledging');
        throw new IntakeUnavailableError(`ticket queue unavailable: ${(err as Error).message}`);
      }
      const ack = message.isPublic ? PHRASES[lang].ackPublic : PHRASES[lang].ack;
      result = { status: 'queued', replies: [{ text: ack, kind: 'ack' }] };
    } else {
      result = { status: 'answered', replies: this.answer(decision) };
    }

    const claimed = ledger ? await this.soft(() => ledger.claim(message.id, result), 'ledger claim') : undefined;
    if (conversations) {
      const next: ConversationState = { ...state, lang, turns: state.turns + 1, lastFaqId: decision.kind === 'faq' ? decision.faqId : state.lastFaqId };
      await this.soft(() => conversations.set(message.channel, message.conversationId, next), 'state set');
    }
    if (claimed && !claimed.first) return this.done(message, { ...claimed.result, duplicate: true }, decision);
    return this.done(message, { ...result, duplicate: false }, decision);
  }

  private answer(decision: Decision): Reply[] {
    const p = PHRASES[decision.lang];
    if (decision.kind === 'faq' && decision.clarify) {
      return [
        {
          text: p.clarify,
          kind: 'question',
          quickReplies: decision.candidates.map((c) => ({ label: c.question, payload: `faq:${c.faqId}` })),
        },
      ];
    }
    if (decision.kind === 'faq' && decision.answer) return [{ text: decision.answer, kind: 'answer', faqId: decision.faqId }];
    const sub = decision.chitchat ?? 'noise';
    const text = { greeting: p.greeting, thanks: p.thanks, bye: p.bye, handoff: p.handoff, menu: p.menu, noise: p.noise }[sub];
    return [{ text, kind: 'chitchat' }];
  }

  private done(message: InboundMessage, result: IntakeResult, decision?: Decision): IntakeResult {
    this.deps.observe?.(message, result, decision);
    return result;
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
