--[[
  Records the outcome of one run of a trial. A trial is recorded at most once: once it
  is final (succeeded, failed, surplus, cancelled or pruned), later results for it (a re-run after a stall, a second
  scheduler replica) change nothing. Population, best and counters move in this one step,
  so `best` always equals the maximum fitness recorded.

  Results are delivered at least once, so a run's attempt failure is counted once, by its
  name: failedRuns (JSON array of the run names whose attempt failure was noted) and
  failedAttempts (its length) are this script's own trial fields; a second delivery changes
  nothing.

  Input:
    KEYS[1]  campaign state hash
    KEYS[2]  trial hash
    KEYS[3]  population zset       (index -> fitness)
    KEYS[4]  rows list             (indices in recording order: evolve.csv rows)
    KEYS[5]  inflight set
    KEYS[6]  failures list         (indices of trials recorded as failed, in order)
    KEYS[7]  pruned list           (indices of trials stopped at a rung, in order)
    KEYS[8]  served marker         (set while a scheduler serves the campaign)

    ARGV[1]  trial index
    ARGV[2]  outcome: 'succeeded' | 'failed' | 'pruned' (final) | 'attempt-failed' (a retry follows)
    ARGV[3]  fitness (a finite number as text; ignored unless succeeded)
    ARGV[4]  now (ms)
    ARGV[5]  consecutive failures that pause the campaign
    ARGV[6]  run name ('' when the result comes from no run, e.g. the reconciler)
    ARGV[7]  pause reason when this failure trips the circuit breaker after 1 trial
    ARGV[8]  pause reason after more: '{n}' stands for their number (the texts are the caller's)
    ARGV[9]  'served': record only while KEYS[8] exists and the trial's runName is ARGV[6] (a
             worker recording its own run: the scheduler that exports the campaign's files
             must be there to hear of it, and the run must still hold the trial), or 'any'
    ARGV[10..] trial hash field/value pairs to set (metrics, timings, error…)

  Output: {code, recorded, bestChanged (0|1), campaign status}  (codes: runtime's ScriptCode)
     1  Done          recorded (succeeded, failed or pruned)
     2  Noted         an attempt failure noted (or already noted for that run)
    -1  Missing       no such trial
    -6  AlreadyFinal  the trial is final already (nothing changed)
    -7  Surplus       the budget was full: kept aside as surplus
    -8  NotHolder     'served' and another run holds the trial: nothing changed
    -9  Unserved      'served' and no scheduler serves the campaign: nothing changed
]]
local current = redis.call('HGET', KEYS[2], 'status')
local campaignStatus = redis.call('HGET', KEYS[1], 'status') or ''
local recorded = tonumber(redis.call('HGET', KEYS[1], 'recorded') or '0')
if not current then return { -1, recorded, 0, campaignStatus } end
if current == 'succeeded' or current == 'failed' or current == 'surplus' or current == 'cancelled' or current == 'pruned' then
  return { -6, recorded, 0, campaignStatus }
end
if ARGV[9] == 'served' then
  if redis.call('EXISTS', KEYS[8]) == 0 then return { -9, recorded, 0, campaignStatus } end
  -- A worker's own run must still hold the trial (a run whose job went to another worker posts its result instead).
  if redis.call('HGET', KEYS[2], 'runName') ~= ARGV[6] then return { -8, recorded, 0, campaignStatus } end
end

local outcome = ARGV[2]
local run = ARGV[6]

if outcome == 'attempt-failed' then
  local ok, failedRuns = pcall(cjson.decode, redis.call('HGET', KEYS[2], 'failedRuns') or '[]')
  if not ok or type(failedRuns) ~= 'table' then failedRuns = {} end
  for _, name in ipairs(failedRuns) do
    -- A redelivery: its fields would overwrite those of the run that followed it.
    if run ~= '' and name == run then return { 2, recorded, 0, campaignStatus } end
  end
  if #ARGV >= 10 then redis.call('HSET', KEYS[2], unpack(ARGV, 10)) end
  if run ~= '' then
    failedRuns[#failedRuns + 1] = run
    redis.call('HSET', KEYS[2], 'failedRuns', cjson.encode(failedRuns))
  end
  redis.call('HINCRBY', KEYS[2], 'failedAttempts', 1)
  return { 2, recorded, 0, campaignStatus }
end

if #ARGV >= 10 then redis.call('HSET', KEYS[2], unpack(ARGV, 10)) end

redis.call('SREM', KEYS[5], ARGV[1])

if outcome == 'pruned' then
  -- Stopped at a rung: not in the population (never a parent), not a row (never in
  -- evolve.csv), not counted in `recorded` (the budget counts full trials). The run trained
  -- fine, so the failure streak ends.
  redis.call('HSET', KEYS[2], 'status', 'pruned', 'finishedAt', ARGV[4])
  redis.call('HINCRBY', KEYS[1], 'pruned', 1)
  redis.call('HINCRBY', KEYS[1], 'prunedMs', tonumber(redis.call('HGET', KEYS[2], 'durationMs') or '0') or 0)
  redis.call('RPUSH', KEYS[7], ARGV[1])
  redis.call('HSET', KEYS[1], 'consecutiveFailures', 0)
  return { 1, recorded, 0, campaignStatus }
end

if outcome == 'failed' then
  redis.call('HSET', KEYS[2], 'status', 'failed', 'finishedAt', ARGV[4])
  redis.call('HINCRBY', KEYS[1], 'failed', 1)
  redis.call('RPUSH', KEYS[6], ARGV[1])
  local streak = redis.call('HINCRBY', KEYS[1], 'consecutiveFailures', 1)
  if campaignStatus == 'running' and streak >= tonumber(ARGV[5]) then
    campaignStatus = 'paused'
    local reason = ARGV[7]
    if streak ~= 1 then reason = (string.gsub(ARGV[8], '{n}', tostring(streak))) end
    redis.call('HSET', KEYS[1], 'status', 'paused', 'pausedReason', reason)
  end
  return { 1, recorded, 0, campaignStatus }
end

local budget = tonumber(redis.call('HGET', KEYS[1], 'budget') or '0')
if recorded >= budget then
  redis.call('HSET', KEYS[2], 'status', 'surplus', 'finishedAt', ARGV[4])
  return { -7, recorded, 0, campaignStatus }
end

local fitness = ARGV[3]
redis.call('HSET', KEYS[2], 'status', 'succeeded', 'fitness', fitness, 'finishedAt', ARGV[4])
redis.call('ZADD', KEYS[3], fitness, ARGV[1])
redis.call('RPUSH', KEYS[4], ARGV[1])
recorded = redis.call('HINCRBY', KEYS[1], 'recorded', 1)
redis.call('HSET', KEYS[1], 'consecutiveFailures', 0)

local bestChanged = 0
local best = redis.call('HGET', KEYS[1], 'bestFitness')
if (not best) or tonumber(fitness) > tonumber(best) then
  redis.call('HSET', KEYS[1], 'bestTrial', ARGV[1], 'bestFitness', fitness)
  bestChanged = 1
end

if recorded >= budget and (campaignStatus == 'running' or campaignStatus == 'paused') then
  campaignStatus = 'done'
  redis.call('HSET', KEYS[1], 'status', 'done', 'finishedAt', ARGV[4])
end
return { 1, recorded, bestChanged, campaignStatus }
