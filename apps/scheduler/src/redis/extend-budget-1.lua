--[[
  Adds generations to an existing campaign. A finished (done) campaign runs again.

  KEYS[1] campaign state hash
  ARGV[1] generations to add (> 0)

  Returns { budget, status } or { -1, status } when the campaign is cancelled,
  { -2, '' } when it does not exist.
]]
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return { -2, '' } end
if status == 'cancelled' then return { -1, status } end
local budget = redis.call('HINCRBY', KEYS[1], 'budget', tonumber(ARGV[1]))
if status == 'done' then
  status = 'running'
  redis.call('HSET', KEYS[1], 'status', 'running')
  redis.call('HDEL', KEYS[1], 'finishedAt')
end
return { budget, status }
