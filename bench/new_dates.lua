-- wrk script: every request adds its own random date range to the URL's query, so that the API cannot
-- reuse anything it worked out for an earlier request (a cached row estimate, in particular).

local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  math.randomseed(os.time() * 16 + id)
end

local function day(n)
  return os.date("!%Y-%m-%d", n * 86400)
end

function request()
  local from = 14610 + math.random(0, 4999) -- days since 1970-01-01; 14610 is 2010-01-01
  local to = from + math.random(365, 1095)
  return wrk.format(nil, wrk.path .. "&date_from=" .. day(from) .. "&date_to=" .. day(to))
end
