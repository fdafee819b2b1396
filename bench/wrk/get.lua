-- GET BENCH_PATH, with BENCH_TOKEN as a bearer token and BENCH_COOKIE as the Cookie header
-- (a dashboard's session) when they are set.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
local token = os.getenv("BENCH_TOKEN") or ""
local headers = {}
if token ~= "" then headers["Authorization"] = "Bearer " .. token end
local cookie = os.getenv("BENCH_COOKIE") or ""
if cookie ~= "" then headers["Cookie"] = cookie end
local req = wrk.format("GET", os.getenv("BENCH_PATH"), headers)

function request()
  return req
end
