// The Lua both Redis-kept transcripts use (the web chat's history, the conversation log for staff): one copy.
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
