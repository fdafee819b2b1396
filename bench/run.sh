#!/usr/bin/env bash
# `make bench` / `make bench SMOKE=1` / `make bench SCALE=10000000`: seed a dedicated database,
# measure the floors (pgbench, a bare Django view) and the portal under wrk, in one run.
# See docs/benchmarks.md. Drops and recreates the database citizen_portal_bench only.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
if [[ -n "${SMOKE:-}" ]]; then
  MODE=smoke SCALE=${SCALE:-2000} DURATION=${DURATION:-3} DEPTH=5
else
  MODE=full SCALE=${SCALE:-1000000} DURATION=${DURATION:-30} DEPTH=50
fi
CITIZENS=$(( SCALE / 10 > 100 ? SCALE / 10 : 100 ))
LOAD_CITIZENS=${LOAD_CITIZENS:-4096}  # whose tokens lodge and ask for suggestions (fewer in SMOKE)
CONCURRENCY=(8 32)
# SMOKE has a database of its own, so that CI's smoke run never drops a seeded full one.
DB=citizen_portal_bench${SMOKE:+_smoke}
PSQL=(psql -h 127.0.0.1 -p 5432 -U postgres -v ON_ERROR_STOP=1 -q -X)
WORK=$(mktemp -d /tmp/bench.XXXXXX)
RESULTS=bench/results

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export PORTAL_VAR_DIR="$WORK/var"
export DB_CONN_MAX_AGE=600
export TASK_QUEUE=redis://127.0.0.1:6379/13
export BENCH_WRK_DIR="$PWD/bench/wrk"
SECRET_KEY=$($PY -c 'import secrets; print(secrets.token_urlsafe(60))')
FIELD_ENCRYPTION_KEYS=$($PY -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')
BLIND_INDEX_KEY=$($PY -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')
export SECRET_KEY FIELD_ENCRYPTION_KEYS BLIND_INDEX_KEY

PIDS=()
RESUME_PID=
DRAIN_FLAG=
SERVER_PID=
PORT=
cleanup() {
  local pid
  # A worker paused by lodge_queued must run again to hear TERM.
  for pid in "${PIDS[@]}"; do kill -CONT "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }

# Runs a seeding step, its output to WORK/<step>.log, and records its wall time in seed.tsv.
timed() {
  local step=$1 start=$EPOCHREALTIME
  shift
  log "$step"
  "$@" >"$WORK/$step.log" 2>&1 || { tail -20 "$WORK/$step.log"; return 1; }
  awk -v s="$start" -v e="$EPOCHREALTIME" -v n="$step" 'BEGIN { printf "%s\t%.2f\n", n, e - s }' \
    >>"$WORK/seed.tsv"
}

count() { "${PSQL[@]}" -d "$DB" -tA -c "SELECT count(*) FROM $1"; }

start_server() {  # name, WSGI app, settings module
  PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  DJANGO_SETTINGS_MODULE=$3 .venv/bin/gunicorn "$2" --workers 5 --bind "127.0.0.1:$PORT" \
    --error-logfile "$WORK/$1.log" >>"$WORK/$1.log" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then sleep 1; return 0; fi
    sleep 0.2
  done
  tail -20 "$WORK/$1.log"
  return 1
}

stop_server() {  # name: records each worker's peak RSS (VmHWM) before stopping
  local child
  for child in $(pgrep -P "$SERVER_PID"); do
    printf '%s\t%s\n' "$1" "$(awk '/VmHWM/ { print $2 }' "/proc/$child/status")" >>"$WORK/rss.tsv"
  done
  kill -TERM "$SERVER_PID"
  wait "$SERVER_PID" || true
}

# name, concurrency, write|read, floor, wrk script, path, [table whose new rows to count]
# ONLY=lodge,inbox_first runs those portal scenarios only (the floors always run).
load() {
  local before=0 created=""
  if [[ -n "${ONLY:-}" && "$1" != floor_* && ",$ONLY," != *",$1,"* ]]; then return 0; fi
  [[ -n "${7:-}" ]] && before=$(count "$7")
  log "$1 at concurrency $2"
  BENCH_PATH=$6 BENCH_RUN_ID="$1-$2-$RANDOM" wrk -t 2 -c "$2" -d "${DURATION}s" --timeout 10s \
    -s "bench/wrk/$5" "http://127.0.0.1:$PORT" >"$WORK/$1-c$2.wrk"
  # The lodge scenarios: tell bench.drain when the load ended, and (lodge_queued) resume the
  # worker at that moment.
  if [[ -n "${DRAIN_FLAG:-}" ]]; then printf '%s' "$EPOCHREALTIME" >"$DRAIN_FLAG"; fi
  if [[ -n "${RESUME_PID:-}" ]]; then kill -CONT "$RESUME_PID"; fi
  if [[ -n "${7:-}" ]]; then
    sleep 1  # let requests in flight when wrk stopped finish, so that they are counted
    created=$(( $(count "$7") - before ))
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$created" >>"$WORK/scenarios.tsv"
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }  # utime + stime, all threads

# The lodge scenario, then waiting for the worker to deliver the notifications it queued (the
# next scenarios get a quiet machine); records the wait and the worker's CPU in drain.tsv.
# With a second argument, lodge_queued: the same lodges with the worker paused (SIGSTOP) during
# the load, so that the web processes and PostgreSQL have the cores to themselves; each lodge is
# routed, on its timeline and its notifications enqueued, as the issue defines intake, and the
# worker delivers them all in the wait that follows (counted in the same way).
lodge_and_drain() {
  local name=lodge before_cpu waited drain_pid
  [[ -n "${2:-}" ]] && name=lodge_queued
  if [[ -n "${ONLY:-}" && ",$ONLY," != *",$name,"* ]]; then return 0; fi
  # bench.drain starts before the load (its start-up is not measured) and counts the wait
  # from the moment the load ends until the queue is empty.
  rm -f "$WORK/drain.ready" "$WORK/load.ended"
  $PY -m bench.drain "$WORK/drain.ready" "$WORK/load.ended" >"$WORK/drain.out" &
  drain_pid=$!
  PIDS+=("$drain_pid")
  until [[ -e "$WORK/drain.ready" ]]; do
    kill -0 "$drain_pid" 2>/dev/null || { wait "$drain_pid"; return 1; }
    sleep 0.1
  done
  before_cpu=$(cpu_ticks "$HUEY_PID")
  if [[ -n "${2:-}" ]]; then kill -STOP "$HUEY_PID"; RESUME_PID=$HUEY_PID; fi
  DRAIN_FLAG="$WORK/load.ended"
  load "$name" "$1" write floor_insert lodge.lua /api/v1/complaints/ complaints_complaint
  DRAIN_FLAG= RESUME_PID=
  log "waiting for the worker to deliver the lodges' notifications"
  wait "$drain_pid"
  waited=$(cat "$WORK/drain.out")
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$1" "$waited" \
    "$(( $(cpu_ticks "$HUEY_PID") - before_cpu ))" "$(getconf CLK_TCK)" >>"$WORK/drain.tsv"
}

if ! command -v wrk >/dev/null; then
  log "installing wrk (Debian package)"
  SUDO=$( [[ "$(id -u)" == 0 ]] || echo sudo )
  $SUDO apt-get install -y -qq wrk >/dev/null || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk >/dev/null; }
fi
log "mode $MODE, $SCALE complaints, ${DURATION}s per scenario, work directory $WORK"
printf 'started\t%s\nmode\t%s\ncomplaints\t%s\ncores\t%s\nduration\t%s\n' \
  "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$MODE" "$SCALE" "$(nproc)" "$DURATION" >"$WORK/meta.tsv"

# 1. Seed the dedicated database (REUSE=1: keep the one the last run seeded at this SCALE, to
# iterate on the portal; its seeding time is then not measured).
$PY -c "import redis; redis.Redis.from_url('$TASK_QUEUE').flushdb()"
export DJANGO_SETTINGS_MODULE=citizen_portal.settings
seeded=$("${PSQL[@]}" -d postgres -tA -c "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$DB'")
if [[ -n "${REUSE:-}" && "$seeded" == "scale $SCALE" ]]; then
  log "reusing $DB, seeded with $SCALE complaints by an earlier run"
  printf 'seeding\treused\n' >>"$WORK/meta.tsv"
  $PY manage.py migrate --noinput >"$WORK/migrate.log" 2>&1
else
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
  timed migrate $PY manage.py migrate --noinput
  timed load_directory $PY manage.py load_directory
  timed seed_demo env DEBUG=1 $PY manage.py seed_demo
  timed generate_complaints $PY manage.py generate_complaints \
    --citizens "$CITIZENS" --complaints "$SCALE" --seed 1 --defer-indexes
  timed rollups_rebuild $PY manage.py refresh_rollups --rebuild
  "${PSQL[@]}" -d postgres -c "COMMENT ON DATABASE $DB IS 'scale $SCALE'"
fi
"${PSQL[@]}" -d "$DB" -f bench/floor/schema.sql -c "VACUUM ANALYZE"
# The category-suggestion model, trained on the seeded complaints as a fresh install's worker
# would (also after REUSE=1, so the suggest scenario always reads a model of this code).
# KEEP_MODEL=1 with REUSE=1 keeps the model the last run trained (iterating on other scenarios).
if [[ -n "${REUSE:-}" && -n "${KEEP_MODEL:-}" ]]; then
  log "keeping the last run's category model"
else
  timed train_category_model $PY manage.py train_category_model
fi

# Each dashboard panel, uncached, in-process (the served pages remember them per refresh).
log "dashboard panels, uncached"
$PY -m bench.panels >"$WORK/panels.tsv"

# 2. The floors: PostgreSQL alone, then a bare Django view served like the portal.
log "pgbench insert floor"
pgbench -h 127.0.0.1 -U postgres -n -c 8 -j 2 -T "$DURATION" -f bench/floor/insert.sql "$DB" \
  >"$WORK/pgbench.txt" 2>&1
start_server floor bench.floor.wsgi:application bench.floor.settings
for c in "${CONCURRENCY[@]}"; do
  load floor_insert "$c" write floor_insert post.lua /insert/ bench_floor_row
  load floor_read "$c" read floor_read get.lua /newest/
done
stop_server floor

# 3. The portal in its production configuration, over plain http on this machine.
export DEPLOYMENT=production ALLOWED_HOSTS=127.0.0.1,localhost
export SECURE_SSL_REDIRECT=false SECURE_COOKIES=false BEHIND_TLS_PROXY=false
export API_RATE_PER_TOKEN=1000000/min API_RATE_PER_ADDRESS=1000000/min
export OPEN311_RATE_READS=1000000/min
# The load citizens lodge tens of thousands of complaints a run: the lodging limits stay on
# (their check runs twice in every lodging) but are raised so as never to be reached. The check
# reads the database's index up to the limit-th newest lodging of the citizen's day, so the
# load is spread over LOAD_CITIZENS citizens: each lodges a few a run, as many as production's
# limits allow a real one (at most 20 a day), and the check reads what it would read there.
export LODGE_MAX_PER_HOUR=100000 LODGE_MAX_PER_DAY=100000 API_RATE_WRITES_PER_TOKEN=1000000/min
# Production serves hashed, compressed static files: collected first, as a deployment does.
export STATIC_ROOT="$WORK/static"
$PY manage.py collectstatic --noinput >"$WORK/collectstatic.log" 2>&1
# The worker delivers each lodge's notifications, as in production, but without the periodic
# tasks: the hourly sweep would escalate the seeded overdue complaints in the middle of a
# scenario (and move the complaint the detail scenario reads away from the officer).
$PY manage.py run_huey --no-periodic >"$WORK/huey.log" 2>&1 &
HUEY_PID=$!
PIDS+=("$HUEY_PID")
start_server portal citizen_portal.wsgi:application citizen_portal.settings
prepared=$($PY -m bench.prepare_load "http://127.0.0.1:$PORT" "$LOAD_CITIZENS" "$DEPTH" \
  "$WORK/citizen_tokens.txt")
eval "$prepared"
printf 'deep_pages\t%s\nload_citizens\t%s\n' "$DEEP_PAGES" "$CITIZENS_WITH_TOKENS" >>"$WORK/meta.tsv"
log "SQL queries per request"
OPEN311_PATH="/open311/v2/requests/${DETAIL_PATH#/api/v1/work/}"
OPEN311_PATH="${OPEN311_PATH%/}.json"
CITIZEN_TOKENS_FILE=$CITIZEN_TOKENS_FILE OFFICER_TOKEN=$OFFICER_TOKEN DEEP_PATH=$DEEP_PATH \
  DETAIL_PATH=$DETAIL_PATH OPEN311_PATH=$OPEN311_PATH LEADERSHIP_COOKIE=$LEADERSHIP_COOKIE \
  DEPARTMENT_PATH=$DEPARTMENT_PATH $PY -m bench.count_queries \
  >"$WORK/queries.tsv"
for c in "${CONCURRENCY[@]}"; do
  BENCH_TOKENS_FILE=$CITIZEN_TOKENS_FILE lodge_and_drain "$c" paused
  BENCH_TOKENS_FILE=$CITIZEN_TOKENS_FILE lodge_and_drain "$c"
  BENCH_TOKEN=$OFFICER_TOKEN load inbox_first "$c" read floor_read get.lua /api/v1/work/
  BENCH_TOKEN=$OFFICER_TOKEN load inbox_deep "$c" read floor_read get.lua "$DEEP_PATH"
  BENCH_TOKEN=$OFFICER_TOKEN load detail "$c" read floor_read get.lua "$DETAIL_PATH"
  load open311_requests "$c" read floor_read get.lua /open311/v2/requests.json
  load open311_request "$c" read floor_read get.lua "$OPEN311_PATH"
  # The dashboards read the rollups (analytics/): a national year, a busy department's year,
  # and the public page, each a whole page with every panel.
  BENCH_COOKIE=$LEADERSHIP_COOKIE load dashboard_nation "$c" read floor_read get.lua \
    "/analytics/nation/0/?preset=12m"
  BENCH_COOKIE=$LEADERSHIP_COOKIE load dashboard_department "$c" read floor_read get.lua \
    "$DEPARTMENT_PATH"
  load transparency "$c" read floor_read get.lua "/transparency/"
  # Category suggestion as the citizen types (intelligence/): the model of the last training.
  BENCH_TOKENS_FILE=$CITIZEN_TOKENS_FILE load suggest "$c" read floor_read suggest.lua \
    /api/v1/categories/suggest/
done
stop_server portal

# 4. Report.
$PY -m bench.report "$WORK" "$RESULTS"
