// The poller's cursors: the largest status and comment ids whose every predecessor has been handed to the
// intake. Kept in a Redis hash (AOF makes it durable) so a restarted gateway resumes where it stopped. The
// write only ever moves a cursor forward, compared as decimal strings (ids exceed 2^53 in places), so a slow
// poller that lost its lock cannot drag the cursor back.
import type { Redis } from 'ioredis';
import type { MentionKind } from './normalize.js';

const ADVANCE = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
local new = ARGV[2]
if (not cur) or (string.len(new) > string.len(cur)) or (string.len(new) == string.len(cur) and new > cur) then
  redis.call('HSET', KEYS[1], ARGV[1], new)
  return 1
end
return 0`;

export class CursorStore {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = `${prefix}:weibo:cursors`;
  }

  async get(kind: MentionKind): Promise<string | undefined> {
    return (await this.redis.hget(this.key, kind)) ?? undefined;
  }

  async all(): Promise<Partial<Record<MentionKind, string>>> {
    return (await this.redis.hgetall(this.key)) as Partial<Record<MentionKind, string>>;
  }

  /** Moves the cursor to `id` unless it is already there or beyond; true when it moved. */
  async advance(kind: MentionKind, id: string): Promise<boolean> {
    if (!/^\d+$/.test(id)) throw new Error(`not a Weibo id: ${id}`);
    const normalized = id.replace(/^0+(?=\d)/, '');
    return (await this.redis.eval(ADVANCE, 1, this.key, kind, normalized)) === 1;
  }

  /** For operators and tests: start over from `id` (older mentions are then seen again, and deduplicated). */
  async reset(kind: MentionKind, id?: string): Promise<void> {
    if (id === undefined) await this.redis.hdel(this.key, kind);
    else await this.redis.hset(this.key, kind, id);
  }
}
