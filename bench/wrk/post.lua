-- POST with an empty body to BENCH_PATH (the floor's insert view).
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
local req = wrk.format("POST", os.getenv("BENCH_PATH"))

function request()
  return req
end
