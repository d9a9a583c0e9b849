--[[
  Notes a recorded failure's signature (contract's failureSignature) on the campaign, after
  record-result recorded it: the signature of the last failure, the mark it was noted at
  (recorded + pruned then: a trial recorded since ends the streak) and how many trials in a
  row failed with it. Workers read the signature and the mark to skip the retry of a failure
  that repeats the last one; ARGV[3] trials in a row with one signature pause the campaign.
  A redelivered result notes the same signature again: an attempt changes nothing more, and a
  final failure is noted once (the recorder calls this only when record-result recorded it).

  Input:
    KEYS[1]  campaign state hash

    ARGV[1]  signature ('' : a failure another run may survive, which ends any streak)
    ARGV[2]  '1': the trial failed for good; '0': one attempt failed, a retry follows
    ARGV[3]  trials in a row failing with one signature that pause the campaign
    ARGV[4]  pause reason: '{n}' stands for the number of trials
    ARGV[5]  prefix of the circuit breaker's reasons: a pause with such a reason gets this one instead

  Output: {code, same, campaign status}  (codes: runtime's ScriptCode)
     1  Done     noted; `same`: trials in a row that failed with this signature
    -1  Missing  no such campaign
]]
local rcall = redis.call
local status = rcall('HGET', KEYS[1], 'status')
if not status then return {-1, 0, ''} end
local signature = ARGV[1]
if signature == '' then
  rcall('HDEL', KEYS[1], 'failureSignature', 'failureMark', 'sameFailures')
  return {1, 0, status}
end

local state = rcall('HMGET', KEYS[1], 'recorded', 'pruned', 'failureSignature', 'failureMark', 'sameFailures')
local mark = (tonumber(state[1]) or 0) + (tonumber(state[2]) or 0)
local continuing = state[3] == signature and tonumber(state[4]) == mark
local same = continuing and (tonumber(state[5]) or 0) or 0
if ARGV[2] == '1' then same = same + 1 end
rcall('HSET', KEYS[1], 'failureSignature', signature, 'failureMark', mark, 'sameFailures', same)

-- Once, at the count: a run in flight failing the same way after the pause keeps its reason
-- (the notifier tells each reason once; a count that went 3 -> 4 would be a second message).
if ARGV[2] == '1' and same == tonumber(ARGV[3]) then
  local reason = rcall('HGET', KEYS[1], 'pausedReason') or ''
  local breaker = string.sub(reason, 1, string.len(ARGV[5])) == ARGV[5]
  if status == 'running' or (status == 'paused' and breaker) then
    status = 'paused'
    rcall('HSET', KEYS[1], 'status', 'paused', 'pausedReason', (string.gsub(ARGV[4], '{n}', tostring(same))))
  end
end
return {1, same, status}
