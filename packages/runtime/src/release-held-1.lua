--[[
  Deletes a key held by a token (a lock, a GPU lease) only if that token still holds it: a
  holder whose key lapsed and went to another must not free the other's.

  Input:
    KEYS[1]  the held key          (a lock, <prefix>:gpu:<uuid>, …)

    ARGV[1]  token                 the holder's own value of the key

  Output: {code, holder}  (codes: runtime's ScriptCode)
     1  Done         released; holder = ARGV[1]
     0  Absent       there was no key; holder = ""
    -8  NotHolder    held by another; holder = its token (left alone)
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
