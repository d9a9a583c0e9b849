--[[
  Extends a key held by a token (a lock, a GPU lease) while that token holds it; never touches
  a key another holds. A lapsed key (nobody holds it) is taken again when ARGV[3] is 1 (a GPU
  lease: Redis was away past the TTL, or its keys were flushed, and nobody else can be on the
  GPU without the lease), and left alone when it is 0 (a lock: its holder must stop).

  Input:
    KEYS[1]  the held key          (a lock, <prefix>:gpu:<uuid>, …)

    ARGV[1]  token                 the holder's own value of the key
    ARGV[2]  ttl                   time to live in ms
    ARGV[3]  retake                1: take a lapsed key again; 0: leave it

  Output: {code, holder}  (codes: runtime's ScriptCode)
     1  Done         extended; holder = ARGV[1]
     3  Retaken      taken again after it had lapsed; holder = ARGV[1]
     0  Absent       lapsed and left alone (retake 0); holder = ""
    -8  NotHolder    held by another; holder = its token: stop using what it guards now
]]
local rcall = redis.call
local current = rcall("GET", KEYS[1])

if current == ARGV[1] then
  rcall("PEXPIRE", KEYS[1], ARGV[2])
  return {1, current}
end

if current == false then
  if ARGV[3] == "1" then
    rcall("SET", KEYS[1], ARGV[1], "PX", ARGV[2])
    return {3, ARGV[1]}
  end
  return {0, ""}
end

return {-8, current}
