--[[
  Issues one bred candidate as a new trial, atomically, so two scheduler replicas can
  breed at the same time without exceeding the budget, skipping an index or issuing a
  duplicate child.

  KEYS[1] campaign state hash   (status, budget, recorded, nextIndex)
  KEYS[2] issued hash           (hyp fingerprint -> index)
  KEYS[3] inflight set          (indices issued and not yet recorded)
  KEYS[4] trial hash            (for index ARGV[1])

  ARGV[1] expected index (the nextIndex the candidate was bred for; its PRNG stream)
  ARGV[2] hyp fingerprint
  ARGV[3..] trial hash field/value pairs

  Returns the index (>= 0) on success, or
    -1 campaign not running
    -2 budget full (recorded + in flight >= budget)
    -3 stale index (another replica issued it first: breed again from a fresh snapshot)
    -4 duplicate (a trial with the same hyps was issued already: draw again)
]]
local status = redis.call('HGET', KEYS[1], 'status')
if status ~= 'running' then return -1 end
local budget = tonumber(redis.call('HGET', KEYS[1], 'budget') or '0')
local recorded = tonumber(redis.call('HGET', KEYS[1], 'recorded') or '0')
if recorded + redis.call('SCARD', KEYS[3]) >= budget then return -2 end
local nextIndex = tonumber(redis.call('HGET', KEYS[1], 'nextIndex') or '0')
if nextIndex ~= tonumber(ARGV[1]) then return -3 end
if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then return -4 end
redis.call('HSET', KEYS[4], unpack(ARGV, 3))
redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('HSET', KEYS[1], 'nextIndex', nextIndex + 1)
return nextIndex
