--[[
  Marks a trial as running on this worker, if the trial still waits for a run.

  A trial that was recorded (succeeded/failed), cancelled or made surplus must not run again
  (a job can outlive its trial: a stalled job re-queued after the result was recorded). A
  trial already `running` may be re-run: its worker died, or this is the next attempt.

  Input:
    KEYS[1]  trial hash            <prefix>:c:{<campaign>}:trial:<index>

    ARGV     the run's field/value pairs (contract's TRIAL_FIELDS written at 'start': attempt,
             runName, worker, host, device, gpuUuid, startedAt, trialDir, logPath, command)

  Output: {code, status}  (codes: runtime's ScriptCode)
     1  Done         marked running
    -1  Missing      the trial hash does not exist
    -2  WrongStatus  the trial's status is not queued or running (it is the second element)
]]
local rcall = redis.call
local trialKey = KEYS[1]

if rcall("EXISTS", trialKey) == 0 then
  return {-1, ""}
end

local status = rcall("HGET", trialKey, "status")
if status ~= "queued" and status ~= "running" then
  return {-2, status or ""}
end

-- A run replaces the previous run's fields; gpuUuid is the one a run may lack (a CPU worker),
-- and a new run has finished no epoch yet (its curve entries stay, under the old run's name).
rcall("HDEL", trialKey, "gpuUuid", "epoch", "epochs", "epochMetrics", "epochFitness", "epochAt")
rcall("HSET", trialKey, "status", "running", unpack(ARGV))
return {1, "running"}
