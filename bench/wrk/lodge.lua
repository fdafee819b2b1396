-- A citizen lodges a routable complaint (LESCO billing, Lahore) with a fresh Idempotency-Key;
-- the citizens' tokens (BENCH_TOKENS_FILE, one a line) take turns.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
local run = os.getenv("BENCH_RUN_ID")
local tokens = {}
for t in io.lines(os.getenv("BENCH_TOKENS_FILE")) do table.insert(tokens, t) end
local body = '{"category": "FED-LESCO.BILL.OVER", "area": "PK-PB-LHR-LHR", ' ..
  '"subject": "Bill three times the usual", ' ..
  '"description": "My November bill is Rs 45,000 while I usually pay Rs 15,000."}'
local n = 0
-- `id` is a global that report.lua's setup() sets in each thread.

function request()
  n = n + 1
  return wrk.format("POST", "/api/v1/complaints/", {
    ["Authorization"] = "Bearer " .. tokens[(n * 7 + id) % #tokens + 1],
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("%s-%d-%d", run, id, n),
  }, body)
end
