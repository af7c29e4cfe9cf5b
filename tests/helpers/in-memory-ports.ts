// The core's ports kept in this process's memory, for driving IntakePipeline without Redis or queues: the
// intake's memory (ledger, conversation state, flood counters), the handoff desk, FAQ counts and a queue that
// keeps one job per job id, as BullMQ does.
import type { Address, InboundMessage } from '../../src/core/envelope.js';
import type { Claim, ConversationKey, FloodKeys, FloodVerdicts, IntakeMemory, LedgerEntry, LimitVerdict, Recalled } from '../../src/core/intake-memory.js';
import type { ConversationState } from '../../src/core/conversation-state.js';
import type { HandoffDesk, HandoffEntry } from '../../src/core/handoff-desk.js';
import type { FaqStats } from '../../src/core/faq-stats.js';
import type { Lang } from '../../src/nlu/decision.js';
import type { ConversationTurn, LogEntry } from '../../src/core/conversation-log.js';

const OK: LimitVerdict = { ok: true, retryAfterMs: 0 };

export class InMemoryIntakeMemory implements IntakeMemory {
  readonly ledger = new Map<string, LedgerEntry>();
  readonly states = new Map<string, ConversationState>();
  /** The conversation log the commits append to, by conversation. */
  readonly log = new Map<string, ConversationTurn[]>();
  private readonly counts = new Map<string, number>();
  /** When set, recall and commit reject as Redis does when it is down. */
  down = false;

  constructor(private readonly limits: { sender: number; client: number } = { sender: 30, client: 600 }) {}

  private count(kind: 'sender' | 'client', key: string): LimitVerdict {
    const n = (this.counts.get(`${kind}:${key}`) ?? 0) + 1;
    this.counts.set(`${kind}:${key}`, n);
    return n > this.limits[kind] ? { ok: false, retryAfterMs: 60_000 } : OK;
  }

  private reachable(): void {
    if (this.down) throw new Error('memory down');
  }

  async recall(id: string, conversation: ConversationKey | undefined, flood: FloodKeys): Promise<Recalled> {
    this.reachable();
    const client = flood.client !== undefined ? this.count('client', flood.client) : undefined;
    if (client && !client.ok) return { client };
    const recalled: Recalled = { sender: this.count('sender', flood.sender) };
    if (client) recalled.client = client;
    const seen = this.ledger.get(id);
    if (seen) recalled.seen = structuredClone(seen);
    const state = conversation && this.states.get(key(conversation));
    if (state) recalled.state = structuredClone(state);
    return recalled;
  }

  async countLocally(flood: FloodKeys): Promise<FloodVerdicts> {
    return { sender: OK, ...(flood.client !== undefined ? { client: OK } : {}) };
  }

  async countClient(client: string): Promise<LimitVerdict> {
    return this.count('client', client);
  }

  async commit(id: string, conversation: ConversationKey, state: ConversationState, entry: LedgerEntry, log: LogEntry): Promise<Claim> {
    this.reachable();
    this.states.set(key(conversation), structuredClone(state));
    return this.claim(id, entry, log);
  }

  async claim(id: string, entry: LedgerEntry, log: LogEntry): Promise<Claim> {
    this.reachable();
    const winner = this.ledger.get(id);
    if (winner) return { first: false, result: structuredClone(winner) };
    this.ledger.set(id, structuredClone(entry));
    const turns = this.log.get(key(log.conversation)) ?? [];
    for (const t of log.turns) if (!turns.some((kept) => kept.id === t.id)) turns.push(structuredClone(t));
    this.log.set(key(log.conversation), turns);
    return { first: true, result: entry };
  }

  async saveState(conversation: ConversationKey, state: ConversationState): Promise<void> {
    this.reachable();
    this.states.set(key(conversation), structuredClone(state));
  }
}

function key(c: ConversationKey): string {
  return `${c.channel}:${c.conversationId}`;
}

export class InMemoryHandoffDesk implements HandoffDesk {
  readonly entries = new Map<string, HandoffEntry>();

  async open(address: Address, lang: Lang, since: Date, first?: InboundMessage): Promise<void> {
    const messages: HandoffEntry['messages'] = first ? [{ from: 'citizen', text: first.text, at: first.receivedAt.toISOString() }] : [];
    this.entries.set(key(address), { address, lang, since: since.toISOString(), messages });
  }

  async record(address: Address, from: 'citizen' | 'agent', text: string, at: Date): Promise<void> {
    this.entries.get(key(address))?.messages.push({ from, text, at: at.toISOString() });
  }

  async get(address: ConversationKey): Promise<HandoffEntry | undefined> {
    return this.entries.get(key(address));
  }

  async list(limit = 100): Promise<HandoffEntry[]> {
    return [...this.entries.values()].slice(0, limit);
  }

  async close(address: ConversationKey): Promise<void> {
    this.entries.delete(key(address));
  }
}

export class InMemoryFaqStats implements FaqStats {
  readonly hits = new Map<string, number>();

  readonly ratings: { faqId: string; helpful: boolean; question?: string }[] = [];

  hit(faqId: string): void {
    this.hits.set(faqId, (this.hits.get(faqId) ?? 0) + 1);
  }

  rate(faqId: string, helpful: boolean, question?: string): void {
    this.ratings.push({ faqId, helpful, ...(question ? { question } : {}) });
  }

  top(n: number): string[] {
    return [...this.hits].sort((a, b) => b[1] - a[1]).slice(0, n).map(([id]) => id);
  }
}

/** A queue that keeps the first job added under each id (a second add of the id is a no-op, as in BullMQ). */
export class InMemoryQueue<T> {
  readonly jobs = new Map<string, T>();
  /** Every add, including the ones the job id made no-ops. */
  adds = 0;

  async add(job: T, jobId: string): Promise<void> {
    this.adds += 1;
    if (!this.jobs.has(jobId)) this.jobs.set(jobId, structuredClone(job));
  }
}
