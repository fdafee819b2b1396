-- GET BENCH_PATH, with BENCH_TOKEN as a bearer token when it is set.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
local token = os.getenv("BENCH_TOKEN") or ""
local headers = {}
if token ~= "" then headers["Authorization"] = "Bearer " .. token end
local req = wrk.format("GET", os.getenv("BENCH_PATH"), headers)

function request()
  return req
end
