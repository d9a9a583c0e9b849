--[[
  Extends a lock's time to live only if this holder still owns it (its token), so a long
  export keeps its lock without a dead holder's lock outliving it by more than one TTL.

  Input:
    KEYS[1]  lock key

    ARGV[1]  token
    ARGV[2]  new time to live (ms)

  Output: {code}  (codes: runtime's ScriptCode)
     1  Done         extended
    -8  NotHolder    the lock is someone else's or gone
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {1}
end
return {-8}
