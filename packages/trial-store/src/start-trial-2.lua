--[[
  Marks a trial as running on this worker, if the trial still waits for a run and, when the
  worker asks, its campaign is running: one round trip between a worker taking a trial job and
  starting its trainer, where a status read and then the mark took two.

  A trial that was recorded (succeeded/failed), cancelled or made surplus must not run again
  (a job can outlive its trial: a stalled job re-queued after the result was recorded). A
  trial already `running` may be re-run: its worker died, or this is the next attempt.

  Input:
    KEYS[1]  trial hash            <prefix>:c:{<campaign>}:trial:<index>
    KEYS[2]  campaign state hash   <prefix>:c:{<campaign>}:state

    ARGV[1]  "gate": the campaign's status must be running (the worker's start), or "any": it is
             not looked at
    ARGV[2…] the run's field/value pairs (contract's TRIAL_FIELDS written at 'start': attempt,
             runName, worker, host, device, gpuUuid, startedAt, trialDir, logPath, command)

  Output: {code, status, which}  (codes: runtime's ScriptCode)
     1  Done         marked running
    -1  Missing      the trial hash does not exist (which: "trial"), or with "gate" the campaign
                     state (which: "campaign")
    -2  WrongStatus  the trial's status is not queued or running (which: "trial"), or with "gate"
                     the campaign's is not running (which: "campaign"); the status is the second
                     element
]]
local rcall = redis.call
local trialKey = KEYS[1]

if ARGV[1] == "gate" then
  local campaignStatus = rcall("HGET", KEYS[2], "status")
  if not campaignStatus then
    return {-1, "", "campaign"}
  end
  if campaignStatus ~= "running" then
    return {-2, campaignStatus, "campaign"}
  end
end

if rcall("EXISTS", trialKey) == 0 then
  return {-1, "", "trial"}
end

local status = rcall("HGET", trialKey, "status")
if status ~= "queued" and status ~= "running" then
  return {-2, status or "", "trial"}
end

-- A run replaces the previous run's fields; gpuUuid is the one a run may lack (a CPU worker),
-- and a new run has finished no epoch yet (its curve entries stay, under the old run's name).
rcall("HDEL", trialKey, "gpuUuid", "epoch", "epochs", "epochMetrics", "epochFitness", "epochAt")
rcall("HSET", trialKey, "status", "running", unpack(ARGV, 2))
return {1, "running", "trial"}
