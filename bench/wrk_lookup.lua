-- The coordinator's exact lookup, a POST with a CSRF token, signed in as many coordinators:
-- the portal allows each person 20 lookups an hour, so each session is used at most that often.
-- Arguments (after --): file of session cookies (NAME=KEY, one a line), threads, lookups each,
-- the form body and the name of the CSRF cookie.
dofile("bench/wrk_stats.lua")

local cookies = {}
local threads, each, body, csrf_cookie
local counter = 0
local next_id = 0
thread_id = 0 -- set per thread by setup()

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
end

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then cookies[#cookies + 1] = line end
  end
  threads = tonumber(args[2])
  each = tonumber(args[3])
  body = args[4]
  csrf_cookie = args[5]
end

-- Any 32 letters and digits make a valid CSRF secret when the cookie and header agree.
local csrf = "benchcsrfsecret00000000000000000"

function request()
  local slot = thread_id + threads * math.floor(counter / each)
  counter = counter + 1
  local cookie = cookies[(slot % #cookies) + 1]
  return wrk.format("POST", nil, {
    ["Cookie"] = cookie .. "; " .. csrf_cookie .. "=" .. csrf,
    ["X-CSRFToken"] = csrf,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end
