--[[
  Adds generations to an existing campaign. A finished (done) campaign runs again.

  Input:
    KEYS[1]  campaign state hash

    ARGV[1]  generations to add (> 0)

  Output: {code, ...}  (codes: runtime's ScriptCode)
     1  Done         {1, budget, status}: the new budget and the campaign's status
    -1  Missing      {-1}: no such campaign
    -2  WrongStatus  {-2, status}: the campaign is cancelled
]]
local rcall = redis.call
local status = rcall('HGET', KEYS[1], 'status')
if not status then return {-1} end
if status == 'cancelled' then return {-2, status} end
local budget = rcall('HINCRBY', KEYS[1], 'budget', tonumber(ARGV[1]))
if status == 'done' then
  status = 'running'
  rcall('HSET', KEYS[1], 'status', 'running')
  rcall('HDEL', KEYS[1], 'finishedAt')
end
return {1, budget, status}
