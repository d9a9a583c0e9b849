--[[
  Extends a lock's time to live only if this holder still owns it (its token), so a long
  export keeps its lock without a dead holder's lock outliving it by more than one TTL.

  KEYS[1] lock key
  ARGV[1] token
  ARGV[2] new time to live (ms)
  Returns 1 when extended, 0 when the lock is someone else's or gone.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
