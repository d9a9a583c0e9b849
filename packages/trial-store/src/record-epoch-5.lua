--[[
  Records an epoch the current run of a trial finished: the trial's latest-epoch fields, the
  entry appended to its curve, and one more on the campaign's epoch count; at a rung of a
  pruning campaign, the trial's fitness there on the rung's sorted set (every trial that reached
  it; a re-run replaces its trial's earlier entry) and, for a windowed campaign, appended to the
  rung's log in arrival order, kept to its newest ARGV[6] entries: the later trials reaching the
  rung are judged against the last ones there (ga-core's rungPeers reads both).

  Only the run that holds the trial writes: a run that was handed back, timed out or outlived
  by a retry (another runName) must not move the trial's progress. Epochs only go forward: a
  trainer that rewrites its results file re-reports old epochs, which are ignored.

  Input:
    KEYS[1]  trial hash    <prefix>:c:{<campaign>}:trial:<index>
    KEYS[2]  curve list    <prefix>:c:{<campaign>}:trial:<index>:curve
    KEYS[3]  campaign state <prefix>:c:{<campaign>}:state   (field epochs: epochs recorded, all runs)
    KEYS[4]  rung zset      <prefix>:c:{<campaign>}:rung:<epoch>  (index → fitness at the rung)
    KEYS[5]  rung log       <prefix>:c:{<campaign>}:rung:<epoch>:log  (LIST of "<index>:<fitness>", newest last)

    ARGV[1]  runName of the run reporting
    ARGV[2]  epochs done (integer ≥ 1)
    ARGV[3]  the curve entry (JSON, contract's EpochEntry)
    ARGV[4]  trial index
    ARGV[5]  the fitness at this rung ('' when the epoch is not a rung or has no fitness)
    ARGV[6]  entries the rung log keeps (integer ≥ 1; '' when the campaign's rungs have no window: no log)
    ARGV[7…] field/value pairs (contract's TRIAL_FIELDS written at 'progress')

  Output: {code, detail}  (codes: runtime's ScriptCode)
     1  Done         recorded
     0  Absent       not newer than the epoch recorded already; nothing changed
    -1  Missing      the trial hash does not exist
    -2  WrongStatus  the trial is not running (its status follows)
    -8  NotHolder    another run holds the trial (its runName follows)
]]
local rcall = redis.call
local trialKey = KEYS[1]

if rcall("EXISTS", trialKey) == 0 then
  return {-1, ""}
end
local fields = rcall("HMGET", trialKey, "status", "runName", "epoch")
if fields[1] ~= "running" then
  return {-2, fields[1] or ""}
end
if fields[2] ~= ARGV[1] then
  return {-8, fields[2] or ""}
end
if fields[3] and tonumber(fields[3]) >= tonumber(ARGV[2]) then
  return {0, fields[3]}
end

-- A run's epoch fields replace the previous epoch's; the optional ones may be absent now.
rcall("HDEL", trialKey, "epochs", "epochMetrics", "epochFitness")
rcall("HSET", trialKey, unpack(ARGV, 7))
rcall("RPUSH", KEYS[2], ARGV[3])
rcall("HINCRBY", KEYS[3], "epochs", 1)
if ARGV[5] ~= "" then
  rcall("ZADD", KEYS[4], ARGV[5], ARGV[4])
  if ARGV[6] ~= "" then
    rcall("RPUSH", KEYS[5], ARGV[4] .. ":" .. ARGV[5])
    rcall("LTRIM", KEYS[5], -tonumber(ARGV[6]), -1)
  end
end
return {1, ARGV[2]}
