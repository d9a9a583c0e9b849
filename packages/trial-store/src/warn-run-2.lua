--[[
  Notes a warning on a trial: its running run's trainer went past a limit (a line too long, too
  many metrics, an epoch past the bound, a file that is not a regular file, a full curve). The
  trial keeps at most ARGV[4] warnings over all its runs, so a trainer cannot bloat its record;
  the campaign's warned set lists the trials that have some, for status to find them.

  Only the run that holds the trial writes: a run that was handed back or outlived by a retry
  (another runName) must not add to the trial.

  Input:
    KEYS[1]  trial hash     <prefix>:c:{<campaign>}:trial:<index>
    KEYS[2]  warned zset    <prefix>:c:{<campaign>}:warned  (index → index)

    ARGV[1]  runName of the run warning
    ARGV[2]  the warning ("<runName>: <what>", already cut to its bound)
    ARGV[3]  trial index
    ARGV[4]  warnings a trial keeps at most

  Output: {code, detail}  (codes: runtime's ScriptCode)
     1  Done         noted (the trial's warning count follows)
     0  Absent       the trial holds its most warnings already; nothing changed
    -1  Missing      the trial hash does not exist
    -2  WrongStatus  the trial is not running (its status follows)
    -8  NotHolder    another run holds the trial (its runName follows)
]]
local rcall = redis.call
local trialKey = KEYS[1]

if rcall("EXISTS", trialKey) == 0 then
  return {-1, ""}
end
local fields = rcall("HMGET", trialKey, "status", "runName", "warnings")
if fields[1] ~= "running" then
  return {-2, fields[1] or ""}
end
if fields[2] ~= ARGV[1] then
  return {-8, fields[2] or ""}
end

-- Written only here, as a JSON list of strings; anything else is replaced.
local warnings = {}
if fields[3] then
  local ok, decoded = pcall(cjson.decode, fields[3])
  if ok and type(decoded) == "table" then
    warnings = decoded
  end
end
if #warnings >= tonumber(ARGV[4]) then
  return {0, tostring(#warnings)}
end
warnings[#warnings + 1] = ARGV[2]
rcall("HSET", trialKey, "warnings", cjson.encode(warnings))
rcall("ZADD", KEYS[2], ARGV[3], ARGV[3])
return {1, tostring(#warnings)}
