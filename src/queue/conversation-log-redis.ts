// The conversation log (src/core/conversation-log.ts) in Redis: per conversation a list of JSON turns and the
// set of their ids (an id already there is skipped), trimmed to the newest MAX_TURNS and expiring TTL_DAYS after
// the last append. Every new turn is also published on the conversation's live channel, in the same script, so
// whoever shows the conversation (the web chat's open widgets: channels/webchat/socket-hub.ts) gets it at once
// and no turn is kept without being announced — except the intake's own (intake-memory.ts): the request that
// brought the message gets those in its response.
//
//   <prefix>:convlog:<channel>:<conversationId>        list of JSON ConversationTurn
//   <prefix>:convlog-ids:<channel>:<conversationId>    set of their ids
//   <prefix>:convlog-live:<channel>:<conversationId>   pub/sub channel of the new turns' JSON
import type { Redis } from 'ioredis';
import { APPEND_NEW_LUA } from './append-new-lua.js';
import { inTimeOrder, type ConversationKey, type ConversationLog, type ConversationTurn, type LogEntry } from '../core/conversation-log.js';

/** Enough for a long complaint dialogue and the handoff after it; a ticket's page shows what is left of it. */
export const MAX_TURNS = 300;
/** Long enough for a ticket's whole time limit (15 days) and its return visit. */
export const TTL_DAYS = 30;

/** KEYS: list, ids. ARGV: max turns, expiry, live channel, then id, turn, id, turn… */
const APPEND = `${APPEND_NEW_LUA}
return append_new(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV, 4)`;

interface Commands {
  /** KEYS then ARGV as APPEND reads them. */
  jiesuConvlogAppend(...keysAndArgs: (string | number)[]): Promise<number>;
}

/** An append as a script's keys and arguments, for a script that appends along with other writes. */
export interface LogAppendArgs {
  keys: [list: string, ids: string];
  /** max turns, expiry, live channel, then id, turn… */
  args: (string | number)[];
}

export class RedisConversationLog implements ConversationLog {
  private readonly redis: Redis & Commands;

  constructor(redis: Redis, private readonly prefix: string, private readonly opts: { maxTurns?: number; ttlSeconds?: number } = {}) {
    // Sent as EVALSHA: the script text crosses the wire once per connection.
    if (!('jiesuConvlogAppend' in redis)) redis.defineCommand('jiesuConvlogAppend', { numberOfKeys: 2, lua: APPEND });
    this.redis = redis as Redis & Commands;
  }

  private keys(c: ConversationKey): [string, string] {
    const k = `${c.channel}:${c.conversationId}`;
    return [`${this.prefix}:convlog:${k}`, `${this.prefix}:convlog-ids:${k}`];
  }

  /** The pub/sub channel on which the conversation's new turns are published. */
  liveChannel(c: ConversationKey): string {
    return `${this.prefix}:convlog-live:${c.channel}:${c.conversationId}`;
  }

  /** `announce: false` keeps the turns off the live channel. */
  appendArgs(entry: LogEntry, { announce = true } = {}): LogAppendArgs {
    const live = announce ? this.liveChannel(entry.conversation) : '';
    const args: (string | number)[] = [this.opts.maxTurns ?? MAX_TURNS, this.opts.ttlSeconds ?? TTL_DAYS * 86_400, live];
    for (const t of entry.turns) args.push(t.id, JSON.stringify(t));
    return { keys: this.keys(entry.conversation), args };
  }

  async append(c: ConversationKey, turns: ConversationTurn[]): Promise<void> {
    if (!turns.length) return;
    const { keys, args } = this.appendArgs({ conversation: c, turns });
    await this.redis.jiesuConvlogAppend(...keys, ...args);
  }

  async appendEach(entries: LogEntry[]): Promise<(Error | undefined)[]> {
    if (!entries.length) return [];
    // A pipeline: one write for the whole batch, each append still its own script.
    const pipeline = this.redis.pipeline() as unknown as Commands & { exec(): Promise<[Error | null, unknown][] | null> };
    for (const entry of entries) {
      const { keys, args } = this.appendArgs(entry);
      void pipeline.jiesuConvlogAppend(...keys, ...args);
    }
    const results = await pipeline.exec();
    if (!results) throw new Error('conversation log: the pipeline was discarded');
    return results.map(([err]) => err ?? undefined);
  }

  async read(c: ConversationKey): Promise<ConversationTurn[]> {
    const items = await this.redis.lrange(this.keys(c)[0], 0, -1);
    return inTimeOrder(items.map((s) => JSON.parse(s) as ConversationTurn));
  }

  /** Forgets a conversation (the demo replaces its own). */
  async clear(c: ConversationKey): Promise<void> {
    await this.redis.del(...this.keys(c));
  }
}
