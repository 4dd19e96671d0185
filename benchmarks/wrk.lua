-- The requests of benchmarks/throughput.py, configured by the Lua table in the
-- file $WRK_CONFIG names. Each thread has its own cookie; on token/refresh/ a
-- thread has one connection and follows its own chain, sending the refresh
-- cookie each answer sets, so rotation never refuses a token another used.
local config = dofile(os.getenv("WRK_CONFIG"))
local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("cookie", config.cookies[(#threads - 1) % #config.cookies + 1])
end

function init(args)
   wrk.method = config.method
   wrk.body = config.body
   for name, value in pairs(config.headers) do
      wrk.headers[name] = value
   end
   bad_answers = 0
   -- The cookie's name as a Lua pattern: its punctuation (such as "-") escaped.
   refresh_pattern = "^" .. config.refresh_cookie:gsub("%p", "%%%0") .. "=([^;]*)"
end

function request()
   if cookie ~= "" then
      wrk.headers["Cookie"] = cookie
   end
   return wrk.format()
end

function response(status, headers, body)
   if status ~= 200 then
      bad_answers = bad_answers + 1
   end
   if config.refresh_cookie ~= "" then
      local value = string.match(headers["Set-Cookie"] or "", refresh_pattern)
      if value then
         cookie = config.refresh_cookie .. "=" .. value
      end
   end
end

function done(summary, latency, requests)
   local bad = 0
   for _, thread in ipairs(threads) do
      bad = bad + thread:get("bad_answers")
   end
   local errors = summary.errors
   local out = io.open(config.result, "w")
   out:write(string.format(
      '{"requests_per_second": %f, "p50_ms": %f, "p99_ms": %f, "requests": %d, "bad_answers": %d, "errors": %d}',
      summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000,
      latency:percentile(99) / 1000,
      summary.requests,
      bad,
      errors.connect + errors.read + errors.write + errors.timeout
   ))
   out:close()
end
