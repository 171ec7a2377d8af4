-- The public directory under wrk: a few searches in turn; counts answers that were not 2xx and
-- answers that set a cookie (the directory must never set one), printed at the end.
local paths = {
  "/find-support/?q=counselling",
  "/find-support/?q=refuge+advice&borough=camden",
  "/find-support/?q=support&borough=hackney",
  "/find-support/",
  "/",
}
local threads = {}
local counter = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  cookies = 0
  non2xx = 0
end

request = function()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

function response(status, headers, body)
  if headers["Set-Cookie"] ~= nil or headers["set-cookie"] ~= nil then
    cookies = cookies + 1
  end
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local set_cookie, bad = 0, 0
  for _, thread in ipairs(threads) do
    set_cookie = set_cookie + thread:get("cookies")
    bad = bad + thread:get("non2xx")
  end
  io.write(string.format("SET_COOKIE %d\nNON_2XX %d\n", set_cookie, bad))
end
