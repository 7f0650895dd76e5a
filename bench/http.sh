#!/usr/bin/env bash
# Audited HTTP look-ups against the server's own /health, in the same run: `creditctl serve`
# (release) over a generated registry of SUBJECTS subjects, `wrk --latency` on 127.0.0.1 sharing
# the machine's cores, with a bearer token of an officer account (`creditctl users add`):
#   1. GET /health                             the baseline: the same server doing no work (also
#                                              with requests made by a Lua script, as below),
#   2. GET /v1/subjects/{code}/measures        a random subject per request (a wrk Lua script
#                                              picks from CODES codes of the registry), audited,
#   3. GET /v1/subjects/{code}                 the full report, random subjects, audited.
# Prints requests/s, p50 and p99, socket errors, non-2xx answers and the server's CPU time per
# request of each (user + system from /proc; it holds on a machine whose cores other work shares,
# where requests/s does not), the look-up's share of /health, then stops the server (it drains
# its audit queue) and checks that the audit log holds an entry for every look-up answered and
# verifies its chain. With PERF_OUT the look-ups' CPU time includes perf's own cost.
#   bench/http.sh [SUBJECTS] [CREDITCTL]
#     SUBJECTS   subjects of the generated registry (default 1,000,000; generated once into
#                BENCH_DIR, default .bench-data/ in the checkout, and reused)
#     CREDITCTL  a binary to measure (default: release build of this checkout)
# Environment: DURATION (s per endpoint, default 10), THREADS (wrk, default 2), CONNECTIONS
# (default 64), CODES (distinct random codes the script picks from, default 100,000),
# PORT (default 18099), PERF_OUT (a file: `perf record -g` of the server during the look-ups,
# read with `perf report -i FILE --no-children --sort symbol | swift demangle`; PERF_ARGS replaces
# `-g`, e.g. "-F 499 --call-graph dwarf" for whole stacks through frames without frame pointers). Target: look-ups >= 20,000 req/s and >= 50 % of /health, 0 errors.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_require wrk curl sqlite3
SUBJECTS=${1:-1000000}
bench_binary "${2:-}"
DURATION=${DURATION:-10}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
NCODES=${CODES:-100000}
PORT=${PORT:-18099}
bench_workdir http

REGISTRY=$(bench_registry "$SUBJECTS")
DB="$WORK/http.db"
bench_copy "$REGISTRY" "$DB"
sqlite3 "$DB" "SELECT code FROM subject ORDER BY random() LIMIT $NCODES" > "$WORK/codes.txt"
WITH_MEASURES=$(sqlite3 "$DB" "SELECT COUNT(DISTINCT subject_code) FROM decision")
TOKEN=$(bench_token "$DB" bench-officer officer sat)
[ -n "$TOKEN" ] || { echo "no token: creditctl users add failed" >&2; exit 1; }

# Each wrk thread reads the codes and picks one at random per request.
cat > "$WORK/random-subject.lua" <<'LUA'
local codes, suffix = {}, ""
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end
function init(args)
  for line in io.lines(args[1]) do codes[#codes + 1] = line end
  suffix = args[2] or ""
  math.randomseed(os.time() * 1000 + (seed or 0))
end
function request()
  return wrk.format(nil, "/v1/subjects/" .. codes[math.random(#codes)] .. suffix)
end
LUA

# The same per-request Lua call for /health: the client's share of the cores it shares with the
# server, without the look-up.
cat > "$WORK/health.lua" <<'LUA'
function request() return wrk.format(nil, "/health") end
LUA

bench_serve "$DB" "$PORT"
SAMPLE=$(head -1 "$WORK/codes.txt")
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$BASE/v1/subjects/$SAMPLE/measures")
[ "$STATUS" = 200 ] || { echo "look-up of $SAMPLE answered $STATUS" >&2; exit 1; }

# wrk NAME SECONDS [lua suffix]: /health without a script, look-ups with the random-subject script.
load() {
  local name=$1 seconds=$2; shift 2
  if [ "$name" = health ] || [ "$name" = health-warmup ]; then
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --latency "$BASE/health" > "$WORK/$name.wrk"
  elif [ "$name" = health-lua ]; then
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --latency -s "$WORK/health.lua" "$BASE" > "$WORK/$name.wrk"
  else
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --latency -H "Authorization: Bearer $TOKEN" \
      -s "$WORK/random-subject.lua" "$BASE" -- "$WORK/codes.txt" "$@" > "$WORK/$name.wrk"
  fi
}
answered() { awk '/requests in/ { print $1 }' "$WORK/$1.wrk"; }
# The server's CPU time (user + system, clock ticks) and the microseconds of it per answered
# request of run $1: robust to other processes sharing the cores, unlike requests/s.
server_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER/stat"; }
timed_load() {
  local name=$1 before; before=$(server_ticks)
  load "$@"
  echo $(( $(server_ticks) - before )) > "$WORK/$name.ticks"
}
cpu_us() { awk -v t="$(cat "$WORK/$1.ticks")" -v n="$(answered "$1")" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", (n > 0 ? t * 1e6 / hz / n : 0) }'; }

echo "registry: $SUBJECTS subjects ($WITH_MEASURES with measures); look-ups of $(wc -l < "$WORK/codes.txt") random codes;" \
     "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s on 127.0.0.1, sharing the $(nproc) cores with the server"
load health-warmup 2
load warmup 3 /measures           # the registry's pages into the cache, the server's pools started
timed_load health "$DURATION"
timed_load health-lua "$DURATION"
if [ -n "${PERF_OUT:-}" ]; then
  perf record ${PERF_ARGS:--g} -o "$PERF_OUT" -p "$SERVER" -- sleep "$DURATION" 2>"$WORK/perf.log" &
  PERF_PID=$!
  bench_child "$PERF_PID"
fi
timed_load measures "$DURATION" /measures
[ -n "${PERF_OUT:-}" ] && { wait "$PERF_PID" || true; }
timed_load report "$DURATION"

printf '  %-38s %10s %9s %9s %14s %8s %14s\n' endpoint "req/s" "p50 ms" "p99 ms" "socket errors" non-2xx "server µs/req"
row() { printf '  %-38s %10s %9s %9s %14s %8s %14s\n' "$1" "$(wrk_rps "$WORK/$2.wrk")" "$(wrk_ms "$WORK/$2.wrk" 50)" \
          "$(wrk_p99_ms "$WORK/$2.wrk")" "$(wrk_socket_errors "$WORK/$2.wrk")" "$(wrk_non2xx "$WORK/$2.wrk")" "$(cpu_us "$2")"; }
row "/health (baseline)" health
row "/health, requests made by Lua" health-lua
row "/v1/subjects/{random}/measures" measures
row "/v1/subjects/{random} (full report)" report
awk -v m="$(wrk_rps "$WORK/measures.wrk")" -v r="$(wrk_rps "$WORK/report.wrk")" -v h="$(wrk_rps "$WORK/health.wrk")" \
    -v l="$(wrk_rps "$WORK/health-lua.wrk")" 'BEGIN {
  printf "  audited look-ups: %.0f %% of /health (target >= 50 %% and >= 20,000 req/s); full report: %.0f %%\n",
    (h > 0 ? 100 * m / h : 0), (h > 0 ? 100 * r / h : 0)
  if (l > 0) printf "  against /health with the same Lua request path: look-ups %.0f %%, full report %.0f %%\n", 100 * m / l, 100 * r / l }'
awk -v m="$(cpu_us measures)" -v h="$(cpu_us health)" 'BEGIN {
  if (h > 0) printf "  server CPU per request: look-up %.1f µs = %.2f× /health (%.1f µs)\n", m, m / h, h }'

# The audit log once the server has stopped (it drains its queue and writes a checkpoint).
bench_stop
LOOKUPS=$(( $(answered warmup) + $(answered measures) + $(answered report) + 1 ))
AUDITED=$(sqlite3 "$WORK/http.audit.db" "SELECT COUNT(*) FROM audit WHERE action = 'lookup'")
ERRORS=$(( $(wrk_errors "$WORK/health.wrk") + $(wrk_errors "$WORK/health-lua.wrk") + $(wrk_errors "$WORK/warmup.wrk") + $(wrk_errors "$WORK/measures.wrk") + $(wrk_errors "$WORK/report.wrk") ))
echo "  audit entries 'lookup': $AUDITED for $LOOKUPS look-ups answered (wrk counts; requests in flight when wrk stops are answered and audited too)"
[ "$AUDITED" -ge "$LOOKUPS" ] || echo "  MISSING AUDIT ENTRIES: $(( LOOKUPS - AUDITED ))"
echo "  audit verify: $("$BIN" audit verify --db "$DB" --format table | head -1)"
echo "  errors in all runs: $ERRORS (expected 0)"
grep -m3 -i "error" "$WORK/serve.log" >&2 || true
