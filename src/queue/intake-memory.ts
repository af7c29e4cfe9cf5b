// The intake's memory on Redis (the IntakeMemory port, src/core/intake-memory.ts), and the conversation store the
// workers and the handoff desk share with it: one class owns the keys, so every reader and writer of a ledger
// entry, a conversation's state or a flood counter goes through it. Each step of the intake is one script call:
//
//   recall: the client's flood counter (over it: stop), the sender's, the ledger entry and the state.
//   commit: the state with its idle expiry (none for claim), then the ledger entry unless another delivery
//           recorded first (then the winner's entry is returned, so its replies are given); the delivery that
//           records it also appends the message's turns to the conversation log (conversation-log-redis.ts).
//
// All keys live in the deployment's one Redis, so any gateway continues any conversation.
import type { Redis } from 'ioredis';
import type { Claim, ConversationKey, FloodKeys, FloodVerdicts, IntakeMemory, LedgerEntry, LimitVerdict, Recalled } from '../core/intake-memory.js';
import type { ConversationState, ConversationStore } from '../core/conversation-state.js';
import type { LogEntry } from '../core/conversation-log.js';
import { CONSUME_LUA, FloodLimit } from './flood-limits.js';
import { APPEND_NEW_LUA } from './append-new-lua.js';
import type { RedisConversationLog } from './conversation-log-redis.js';

/** How long a message id is remembered: longer than any platform keeps redelivering. */
export const LEDGER_TTL_SECONDS = 7 * 24 * 3600;

/**
 * KEYS: ledger, state ('' = none), client counter ('' = none), sender counter.
 * ARGV: client points, window, window.
 * Returns {client} when the client is over its budget, else {client, sender, ledger entry, state} (absent ones nil).
 */
const RECALL = `${CONSUME_LUA}
local client = false
if KEYS[3] ~= '' then
  client = consume(KEYS[3], ARGV[2])
  if client[1] > tonumber(ARGV[1]) then return {client} end
end
local sender = consume(KEYS[4], ARGV[3])
local state = false
if KEYS[2] ~= '' then state = redis.call('GET', KEYS[2]) end
return {client, sender, redis.call('GET', KEYS[1]), state}`;

/**
 * KEYS: state ('' = none), ledger, log list, log ids. ARGV: state, state expiry, entry, ledger expiry, then the
 * log append's arguments (RedisConversationLog.appendArgs).
 * Returns {1} when this delivery recorded first, else {0, winner} (winner nil if it expired meanwhile).
 */
const COMMIT = `${APPEND_NEW_LUA}
if KEYS[1] ~= '' then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) end
if redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4], 'NX') then
  append_new(KEYS[3], KEYS[4], ARGV[5], ARGV[6], ARGV[7], ARGV, 8)
  return {1}
end
return {0, redis.call('GET', KEYS[2])}`;

type Counted = [number, number];

type WithScripts = Redis & {
  jiesuIntakeRecall(...keysAndArgs: (string | number)[]): Promise<[Counted | null, (Counted | null)?, (string | null)?, (string | null)?]>;
  jiesuIntakeCommit(...keysAndArgs: (string | number)[]): Promise<[number, (string | null)?]>;
};

export interface IntakeMemoryOptions {
  /** Key prefix (QUEUE_PREFIX). */
  prefix: string;
  /** A conversation's state expires after this much silence. */
  stateTtlSeconds: number;
  /** Messages per minute from one sender, on every channel. */
  senderLimitPerMinute: number;
  /** Requests per minute from one client address, where a channel names it. */
  clientLimitPerMinute: number;
}

export class RedisIntakeMemory implements IntakeMemory, ConversationStore {
  private readonly redis: WithScripts;
  readonly senderLimit: FloodLimit;
  readonly clientLimit: FloodLimit;

  /**
   * `redis` should fail fast (failFastRedis): a slow answer is worth less than none on the request path. `log` is
   * the conversation log the commit appends to (on the same Redis).
   */
  constructor(redis: Redis, private readonly opts: IntakeMemoryOptions, private readonly log: RedisConversationLog) {
    this.senderLimit = new FloodLimit(redis, `${opts.prefix}:limit:sender`, opts.senderLimitPerMinute);
    this.clientLimit = new FloodLimit(redis, `${opts.prefix}:limit:ip`, opts.clientLimitPerMinute);
    // Sent as EVALSHA: the script text crosses the wire once per connection.
    if (!('jiesuIntakeRecall' in redis)) {
      redis.defineCommand('jiesuIntakeRecall', { numberOfKeys: 4, lua: RECALL });
      redis.defineCommand('jiesuIntakeCommit', { numberOfKeys: 4, lua: COMMIT });
    }
    this.redis = redis as WithScripts;
  }

  private ledgerKey(id: string): string {
    return `${this.opts.prefix}:seen:${id}`;
  }

  private stateKey(channel: string, conversationId: string): string {
    return `${this.opts.prefix}:conv:${channel}:${conversationId}`;
  }

  async recall(id: string, conversation: ConversationKey | undefined, flood: FloodKeys): Promise<Recalled> {
    const { clientLimit: client, senderLimit: sender } = this;
    const reply = await this.redis.jiesuIntakeRecall(
      this.ledgerKey(id),
      conversation ? this.stateKey(conversation.channel, conversation.conversationId) : '',
      flood.client !== undefined ? client.key(flood.client) : '',
      sender.key(flood.sender),
      client.points,
      client.windowSeconds,
      sender.windowSeconds,
    );
    const [clientCount, senderCount, seen, state] = reply;
    const recalled: Recalled = {};
    if (clientCount) recalled.client = client.verdict(clientCount[0], clientCount[1]);
    if (reply.length === 1) return recalled;
    if (senderCount) recalled.sender = sender.verdict(senderCount[0], senderCount[1]);
    // Parsed one by one: an unreadable entry or state is skipped alone.
    recalled.seen = parsed(() => parseEntry(seen ?? null));
    if (conversation) recalled.state = parsed(() => parseState(state ?? null));
    return recalled;
  }

  async countLocally(flood: FloodKeys): Promise<FloodVerdicts> {
    const client = flood.client !== undefined ? await this.clientLimit.fallback(flood.client) : undefined;
    if (client && !client.ok) return { client };
    return { ...(client ? { client } : {}), sender: await this.senderLimit.fallback(flood.sender) };
  }

  countClient(client: string): Promise<LimitVerdict> {
    return this.clientLimit.check(client);
  }

  commit(id: string, conversation: ConversationKey, state: ConversationState, entry: LedgerEntry, log: LogEntry): Promise<Claim> {
    return this.record(id, entry, log, [this.stateKey(conversation.channel, conversation.conversationId), JSON.stringify(state)]);
  }

  claim(id: string, entry: LedgerEntry, log: LogEntry): Promise<Claim> {
    return this.record(id, entry, log);
  }

  private async record(id: string, entry: LedgerEntry, log: LogEntry, state?: [key: string, value: string]): Promise<Claim> {
    // Not announced on the live channel: the request that brought the message answers with these turns.
    const append = this.log.appendArgs(log, { announce: false });
    const [first, winner] = await this.redis.jiesuIntakeCommit(
      state?.[0] ?? '',
      this.ledgerKey(id),
      ...append.keys,
      state?.[1] ?? '',
      this.opts.stateTtlSeconds,
      JSON.stringify(entry),
      LEDGER_TTL_SECONDS,
      ...append.args,
    );
    if (first === 1) return { first: true, result: entry };
    return { first: false, result: parseEntry(winner ?? null) ?? entry };
  }

  async saveState(conversation: ConversationKey, state: ConversationState): Promise<void> {
    await this.set(conversation.channel, conversation.conversationId, state);
  }

  async get(channel: string, conversationId: string): Promise<ConversationState> {
    return parseState(await this.redis.get(this.stateKey(channel, conversationId)));
  }

  async set(channel: string, conversationId: string, state: ConversationState): Promise<void> {
    await this.redis.set(this.stateKey(channel, conversationId), JSON.stringify(state), 'EX', this.opts.stateTtlSeconds);
  }
}

function parseEntry(raw: string | null): LedgerEntry | undefined {
  return raw ? (JSON.parse(raw) as LedgerEntry) : undefined;
}

function parseState(raw: string | null): ConversationState {
  return raw ? (JSON.parse(raw) as ConversationState) : { turns: 0 };
}

function parsed<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch {
    return undefined;
  }
}
