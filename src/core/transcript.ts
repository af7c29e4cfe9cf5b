// A transcript: what a channel shows the citizen of their conversation (the web chat history), kept in Redis as
// a list of JSON items and the set of their ids. Appending an id already there is a no-op, so a delivery that is
// retried after a partial failure shows once; the list keeps its newest items and both keys expire some time
// after the last append. The append is Lua, shared by the channel's own append and by the intake, which does it
// in the same command as the ledger claim (intake-store.ts).
import type { Reply } from './envelope.js';

/**
 * Lua: append_new(list, ids, max, ttl, argv, from) appends, for each (id, item) pair of argv[from..], the item
 * whose id is new (SADD decides); if anything was added, trims the list to its newest `max` items and sets both
 * expiries. Returns how many were added. Trimming once after the pushes keeps the same newest items as trimming
 * after each.
 */
export const APPEND_NEW_LUA = `
local function append_new(list, ids, max, ttl, argv, from)
  local added = 0
  for i = from, #argv, 2 do
    if redis.call('SADD', ids, argv[i]) == 1 then
      redis.call('RPUSH', list, argv[i + 1])
      added = added + 1
    end
  end
  if added > 0 then
    redis.call('LTRIM', list, -tonumber(max), -1)
    redis.call('EXPIRE', list, ttl)
    redis.call('EXPIRE', ids, ttl)
  end
  return added
end`;

/** An append for the intake to make when (and only when) the message is claimed first. */
export interface TranscriptAppend {
  list: string;
  ids: string;
  maxItems: number;
  ttlSeconds: number;
  /** id, item JSON, id, item JSON, … in order. */
  idsAndItems: string[];
}

/** Gives the transcript append for a message once its replies are known (see HandleOptions.transcript). */
export interface TranscriptSource {
  append(result: { replies: Reply[] }): TranscriptAppend;
}
