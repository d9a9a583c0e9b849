--[[
  Marks a trial as running on this worker, if the trial still waits for a run.

  A trial that was recorded (succeeded/failed), cancelled or made surplus must not run again
  (a job can outlive its trial: a stalled job re-queued after the result was recorded). A
  trial already `running` may be re-run: its worker died, or this is the next attempt.

  Input:
    KEYS[1]  trial hash            <prefix>:c:{<campaign>}:trial:<index>

    ARGV[1]  attempt               1-based BullMQ attempt
    ARGV[2]  runName               <index>-<attempt>[-rN]
    ARGV[3]  worker                worker id <host>:<pid>:<device>
    ARGV[4]  host
    ARGV[5]  device                GPU index or "cpu"
    ARGV[6]  startedAt             ms since the epoch
    ARGV[7]  trialDir              absolute path
    ARGV[8]  logPath               absolute path of train.log
    ARGV[9]  command               JSON array: the full argv

  Output:
     1  marked running
    -1  the trial hash does not exist
    -2  the trial's status is not queued or running (it is returned as the second element)
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

rcall("HSET", trialKey,
  "status", "running",
  "attempt", ARGV[1],
  "runName", ARGV[2],
  "worker", ARGV[3],
  "host", ARGV[4],
  "device", ARGV[5],
  "startedAt", ARGV[6],
  "trialDir", ARGV[7],
  "logPath", ARGV[8],
  "command", ARGV[9])
return {1, "running"}
