-- wrk script: each request applies one transition (POST /api/v1/vouchers/<id>/$BENCH_ACTION:
-- `reservation` by default, or `redemption`) to the next voucher of the list in $BENCH_VOUCHERS, once.
-- Threads take disjoint slices; when a thread's slice is used up it repeats its last request,
-- which the server answers 409 (counted apart from the 200s).
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  ids = {}
  for line in io.lines(os.getenv("BENCH_VOUCHERS")) do table.insert(ids, line) end
  local count = tonumber(os.getenv("BENCH_THREADS"))
  next_index = id + 1
  step = count
  ok, conflicts, others = 0, 0, 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
  wrk.headers["X-CSRF-Token"] = os.getenv("BENCH_CSRF")
  wrk.body = os.getenv("BENCH_BODY") or ""
  action = os.getenv("BENCH_ACTION") or "reservation"
end

function request()
  local index = math.min(next_index, #ids)
  next_index = next_index + step
  return wrk.format(nil, "/api/v1/vouchers/" .. ids[index] .. "/" .. action)
end

function response(status)
  if status == 200 then ok = ok + 1 elseif status == 409 then conflicts = conflicts + 1 else others = others + 1 end
end

function done(summary, latency, requests)
  local total_ok, total_conflicts, total_others = 0, 0, 0
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_conflicts = total_conflicts + thread:get("conflicts")
    total_others = total_others + thread:get("others")
  end
  local action = os.getenv("BENCH_ACTION") or "reservation"
  io.write(string.format("%ss: %d succeeded, %d conflicts, %d other, %.2f s\n", action, total_ok, total_conflicts,
    total_others, summary.duration / 1e6))
end
