// The Lua that appends to the conversation log (conversation-log-redis.ts), shared by the log's own append and
// the intake's commit (intake-memory.ts), which records a message's turns in the same script as its ledger entry.
/**
 * Lua: append_new(list, ids, max, ttl, live, argv, from) appends, for each (id, item) pair of argv[from..], the
 * item whose id is new (SADD decides) and publishes it on the pub/sub channel `live` (none when ''); if anything
 * was added, trims the list to its newest `max` items and sets both expiries. Returns how many were added.
 * Trimming once after the pushes keeps the same newest items as trimming after each.
 */
export const APPEND_NEW_LUA = `
local function append_new(list, ids, max, ttl, live, argv, from)
  local added = 0
  for i = from, #argv, 2 do
    if redis.call('SADD', ids, argv[i]) == 1 then
      redis.call('RPUSH', list, argv[i + 1])
      if live ~= '' then redis.call('PUBLISH', live, argv[i + 1]) end
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
