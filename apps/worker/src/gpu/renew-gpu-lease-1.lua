--[[
  Keeps a GPU lease alive. Extends it while this worker holds it; takes it again when it has
  lapsed and nobody took it meanwhile (Redis was away past the TTL, or its keys were flushed:
  nobody else can be on the GPU without the lease); never touches a lease someone else holds.

  Input:
    KEYS[1]  lease key             <prefix>:gpu:<uuid>

    ARGV[1]  holder                <host>:<pid>:<index>#<instance>: worker id and process
    ARGV[2]  ttl                   time to live in ms

  Output: {code, holder}  (codes: runtime's ScriptCode)
     1  Done         extended; holder = ARGV[1]
     3  Retaken      taken again after it had lapsed; holder = ARGV[1]
    -8  NotHolder    held by another worker; holder = that worker's id: stop using the GPU now
]]
local rcall = redis.call
local current = rcall("GET", KEYS[1])

if current == ARGV[1] then
  rcall("PEXPIRE", KEYS[1], ARGV[2])
  return {1, current}
end

if current == false then
  rcall("SET", KEYS[1], ARGV[1], "PX", ARGV[2])
  return {3, ARGV[1]}
end

return {-8, current}
