--[[
  Gives a GPU lease back, only if this worker still holds it: a worker whose lease lapsed and
  went to another must not free the other's GPU.

  Input:
    KEYS[1]  lease key             <prefix>:gpu:<uuid>

    ARGV[1]  holder                <host>:<pid>:<index>#<instance>: worker id and process

  Output: {code, holder}  (codes: runtime's ScriptCode)
     1  Done         released; holder = ARGV[1]
     0  Absent       there was no lease; holder = ""
    -8  NotHolder    held by another worker; holder = that worker's id (left alone)
]]
local rcall = redis.call
local current = rcall("GET", KEYS[1])

if current == ARGV[1] then
  rcall("DEL", KEYS[1])
  return {1, current}
end

if current == false then
  return {0, ""}
end

return {-8, current}
