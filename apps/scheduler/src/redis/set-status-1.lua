--[[
  Moves a campaign between statuses, allowing only sensible transitions:
    pause:  running -> paused
    resume: paused  -> running      (clears the failure streaks and the pause reason; the
                                     failures so far stop being current: clearedFailures)
    cancel: running | paused -> cancelled

  Input:
    KEYS[1]  campaign state hash

    ARGV[1]  action: 'pause' | 'resume' | 'cancel'
    ARGV[2]  reason (pause only; may be empty)
    ARGV[3]  now (ms)

  Output: {code, ...}  (codes: runtime's ScriptCode)
     1  Done         {1, previous status}
    -1  Missing      {-1}: no such campaign
    -2  WrongStatus  {-2, status}: the transition is not allowed from that status
]]
local rcall = redis.call
local status = rcall('HGET', KEYS[1], 'status')
if not status then return {-1} end
local action = ARGV[1]
if action == 'pause' and status == 'running' then
  rcall('HSET', KEYS[1], 'status', 'paused', 'pausedReason', ARGV[2])
  return {1, status}
end
if action == 'resume' and status == 'paused' then
  -- The user fixed what failed: status counts failures from here on (their records stay), and
  -- the next failure starts the streaks afresh (the breaker's, note-failure's signature).
  local failed = rcall('HGET', KEYS[1], 'failed') or '0'
  rcall('HSET', KEYS[1], 'status', 'running', 'consecutiveFailures', 0, 'clearedFailures', failed)
  rcall('HDEL', KEYS[1], 'pausedReason', 'failureSignature', 'failureMark', 'sameFailures')
  return {1, status}
end
if action == 'cancel' and (status == 'running' or status == 'paused') then
  rcall('HSET', KEYS[1], 'status', 'cancelled', 'finishedAt', ARGV[3])
  return {1, status}
end
return {-2, status}
