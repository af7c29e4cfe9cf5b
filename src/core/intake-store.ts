// The intake's Redis work for one message in two commands, one before the dialogue and one after, instead of
// one command per concern: a question answered from the FAQ, the commonest message of all, used to cost nine.
//
//   begin:  flood control (the channel's gate, e.g. the web chat's per-IP limit, then the sender's limit),
//           the ledger entry and the conversation state. A message over the gate is counted there and nothing
//           else happens to it, as when the gate ran first on its own.
//   commit: the conversation state, then the ledger claim, then — when this delivery claimed first — the
//           channel's transcript (the web chat history), for a message whose state need not be durable before
//           the acknowledgement (see intake.ts).
//
// Same keys, values, expiries and verdicts as FloodLimiter, MessageLedger, ConversationStore and the web chat
// history, which remain the way to do any of these alone. All live in the deployment's one Redis, so any client
// reaches every key; this uses the ledger's.
import type { Redis } from 'ioredis';
import { LEDGER_TTL_SECONDS, MessageLedger, type LedgerEntry } from './message-ledger.js';
import { ConversationStore, type ConversationState } from './conversation-state.js';
import { CONSUME_LUA, type FloodLimiter, type LimitVerdict } from './rate-limits.js';
import { APPEND_NEW_LUA, type TranscriptAppend } from './transcript.js';

/**
 * KEYS: ledger, state, gate counter, sender counter (an unused counter's key is '').
 * ARGV: gate points ('' = no gate), gate window, sender window ('' = no sender limit).
 * Returns {gate} when the gate is exceeded, else {gate, sender, ledger entry, state} (absent ones nil).
 */
const BEGIN = `${CONSUME_LUA}
local gate = false
if ARGV[1] ~= '' then
  gate = consume(KEYS[3], ARGV[2])
  if gate[1] > tonumber(ARGV[1]) then return {gate} end
end
local sender = false
if ARGV[3] ~= '' then sender = consume(KEYS[4], ARGV[3]) end
return {gate, sender, redis.call('GET', KEYS[1]), redis.call('GET', KEYS[2])}`;

/**
 * What conversations.set(...), then ledger.claim(...), then the transcript's append did: the state is written
 * with its idle expiry whatever the claim says (the two used to run side by side), the ledger entry is recorded
 * unless another delivery recorded first — then the winner's entry is returned so its replies are given, and
 * nothing is appended — and otherwise the transcript items are appended.
 * KEYS: state, ledger[, transcript list, transcript ids]. ARGV: state, state expiry, entry, ledger expiry[,
 * transcript max items, transcript expiry, id, item, id, item…].
 * Returns {1} when this delivery was first, else {0, winner} (winner nil if it expired meanwhile).
 */
const COMMIT = `${APPEND_NEW_LUA}
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
if not redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4], 'NX') then return {0, redis.call('GET', KEYS[2])} end
if #KEYS == 4 then append_new(KEYS[3], KEYS[4], ARGV[5], ARGV[6], ARGV, 7) end
return {1}`;

type Counted = [number, number];

type WithScripts = Redis & {
  /** [gate] when the gate refused the message, else [gate, sender, ledger entry, state]. */
  jiesuIntakeBegin(...keysAndArgs: (string | number)[]): Promise<[Counted | null, (Counted | null)?, (string | null)?, (string | null)?]>;
  jiesuIntakeCommit(...keysAndArgs: (string | number)[]): Promise<[number, (string | null)?]>;
};

/** A flood limit and the key it counts (the sender's id, the client's IP). */
export interface Limit {
  limiter: FloodLimiter;
  key: string;
}

export interface Begun {
  /** The gate's verdict, when there is a gate; when it refused the message nothing else is set. */
  gate?: LimitVerdict;
  sender?: LimitVerdict;
  seen?: LedgerEntry;
  state?: ConversationState;
}

export class IntakeStore {
  private readonly redis: WithScripts;

  constructor(private readonly ledger: MessageLedger, private readonly conversations: ConversationStore) {
    const redis = ledger.redis;
    // Sent as EVALSHA: the script text crosses the wire once per connection.
    if (!('jiesuIntakeBegin' in redis)) {
      redis.defineCommand('jiesuIntakeBegin', { numberOfKeys: 4, lua: BEGIN });
      // No numberOfKeys: each call starts with its key count (2, or 4 with a transcript).
      redis.defineCommand('jiesuIntakeCommit', { lua: COMMIT });
    }
    this.redis = redis as WithScripts;
  }

  /**
   * gate.limiter.check(gate.key); if that passes: sender.limiter.check(sender.key), ledger.get(id) and
   * conversations.get(channel, conversationId) — in one script call. Rejects when Redis does not answer
   * (the caller then counts the limits in memory and goes on without ledger and state).
   */
  async begin(id: string, channel: string, conversationId: string, gate: Limit | undefined, sender: Limit | undefined): Promise<Begun> {
    const reply = await this.redis.jiesuIntakeBegin(
      this.ledger.key(id),
      this.conversations.key(channel, conversationId),
      gate ? gate.limiter.key(gate.key) : '',
      sender ? sender.limiter.key(sender.key) : '',
      gate ? gate.limiter.points : '',
      gate ? gate.limiter.windowSeconds : '',
      sender ? sender.limiter.windowSeconds : '',
    );
    const [gated, counted, seen, state] = reply;
    const begun: Begun = {};
    if (gate && gated) begun.gate = gate.limiter.verdict(gated[0], gated[1]);
    if (reply.length === 1) return begun;
    if (sender && counted) begun.sender = sender.limiter.verdict(counted[0], counted[1]);
    // Parsed one by one: an unreadable entry or state is skipped alone, as when each was read on its own.
    begun.seen = parsed(() => MessageLedger.parse(seen ?? null));
    begun.state = parsed(() => ConversationStore.parse(state ?? null));
    return begun;
  }

  /**
   * conversations.set(channel, conversationId, state), ledger.claim(id, entry) and, when first, the transcript
   * append, in one script call.
   */
  async commit(
    channel: string,
    conversationId: string,
    state: ConversationState,
    id: string,
    entry: LedgerEntry,
    transcript?: TranscriptAppend,
  ): Promise<{ first: boolean; result: LedgerEntry }> {
    const stateKey = this.conversations.key(channel, conversationId);
    const ledgerKey = this.ledger.key(id);
    const common = [JSON.stringify(state), this.conversations.ttlSeconds, JSON.stringify(entry), LEDGER_TTL_SECONDS];
    const [first, winner] = transcript
      ? await this.redis.jiesuIntakeCommit(4, stateKey, ledgerKey, transcript.list, transcript.ids, ...common, transcript.maxItems, transcript.ttlSeconds, ...transcript.idsAndItems)
      : await this.redis.jiesuIntakeCommit(2, stateKey, ledgerKey, ...common);
    if (first === 1) return { first: true, result: entry };
    return { first: false, result: MessageLedger.parse(winner ?? null) ?? entry };
  }
}

function parsed<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch {
    return undefined;
  }
}
