--[[
  Issues one bred candidate as a new trial, atomically, so two scheduler replicas can
  breed at the same time without exceeding the budget, skipping an index or issuing a
  duplicate child.

  Input:
    KEYS[1]  campaign state hash   (status, budget, recorded, nextIndex)
    KEYS[2]  issued hash           (hyp fingerprint -> index)
    KEYS[3]  inflight set          (indices issued and not yet recorded)
    KEYS[4]  trial hash            (for index ARGV[1])

    ARGV[1]  expected index (the nextIndex the candidate was bred for; its PRNG stream)
    ARGV[2]  hyp fingerprint
    ARGV[3]  the index whose trial failed with these hyps and may be issued again ('' : none):
             the campaign's base trial, run again for a baseline. Another index under the
             fingerprint (another replica issued it again first) is a duplicate.
    ARGV[4..] trial hash field/value pairs

  Output: {code, ...}  (codes: runtime's ScriptCode)
     1  Done         {1, index}: issued
    -2  WrongStatus  {-2}: the campaign is not running
    -3  BudgetFull   {-3}: recorded + in flight >= budget
    -4  StaleIndex   {-4}: another replica issued it first (breed again from a fresh snapshot)
    -5  Duplicate    {-5}: a trial with the same hyps was issued already (draw again)
]]
local rcall = redis.call
local status = rcall('HGET', KEYS[1], 'status')
if status ~= 'running' then return {-2} end
local budget = tonumber(rcall('HGET', KEYS[1], 'budget') or '0')
local recorded = tonumber(rcall('HGET', KEYS[1], 'recorded') or '0')
if recorded + rcall('SCARD', KEYS[3]) >= budget then return {-3} end
local nextIndex = tonumber(rcall('HGET', KEYS[1], 'nextIndex') or '0')
if nextIndex ~= tonumber(ARGV[1]) then return {-4} end
local issuedAs = rcall('HGET', KEYS[2], ARGV[2])
if issuedAs and issuedAs ~= ARGV[3] then return {-5} end
-- A new index: whatever hash is there is left over (a campaign deleted under this name while
-- a late write landed), and none of its fields may pass for this trial's.
rcall('DEL', KEYS[4])
rcall('HSET', KEYS[4], unpack(ARGV, 4))
rcall('HSET', KEYS[2], ARGV[2], ARGV[1])
rcall('SADD', KEYS[3], ARGV[1])
rcall('HSET', KEYS[1], 'nextIndex', nextIndex + 1)
return {1, nextIndex}
