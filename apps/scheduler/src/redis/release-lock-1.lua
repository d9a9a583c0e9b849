--[[
  Releases a lock only if this holder still owns it (its token), so a holder whose
  lock expired cannot release the next holder's lock.

  KEYS[1] lock key
  ARGV[1] token
  Returns 1 when released, 0 when the lock belonged to someone else or had expired.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
