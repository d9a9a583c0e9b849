--[[
  Releases a lock only if this holder still owns it (its token), so a holder whose
  lock expired cannot release the next holder's lock.

  Input:
    KEYS[1]  lock key

    ARGV[1]  token

  Output: {code}  (codes: runtime's ScriptCode)
     1  Done         released
    -8  NotHolder    the lock belonged to someone else or had expired
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return {1}
end
return {-8}
