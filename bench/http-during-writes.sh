#!/usr/bin/env bash
# The audited look-up while writers hold the registry: `creditctl serve` over a generated
# registry of SUBJECTS subjects, `wrk` on /v1/subjects/CODE/measures (every answer audited)
#   1. idle,
#   2. while `creditctl ingest` writes a generated feed of about RECORDS records into the same
#      registry (one transaction holding the write lock for the whole feed),
#   3. while `creditctl rules activate rules/` re-evaluates every subject (one transaction),
#      activated again and again until wrk ends (one activation may be shorter than wrk).
# Prints requests/s, p99 and errors (socket errors + non-2xx) of each phase side by side, the
# idle phase being the baseline, and whether the writer was still running when wrk ended.
#   bench/http-during-writes.sh [RECORDS] [SUBJECTS] [CREDITCTL]
#     RECORDS   feed records ingested in phase 2 (default 1,000,000)
#     SUBJECTS  subjects of the registry activated in phase 3 (default 10,000,000)
#     CREDITCTL a binary to measure (default: release build of this checkout)
# Environment: DURATION (s of wrk per phase, default 20), CONNECTIONS (default 16),
# BENCH_DIR (generated registry and feeds, reused while their sizes match; default .bench-data/),
# PORT (default 18097).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_require wrk curl sqlite3
RECORDS=${1:-1000000}
SUBJECTS=${2:-10000000}
bench_binary "${3:-}"
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-16}
PORT=${PORT:-18097}
bench_workdir writes
WRITER=""

# The registry (generated once per size) and the feed (about 1.5 commerce records a generated
# subject, so RECORDS / 1.5 subjects; its subjects are new to the registry).
REGISTRY=$(bench_registry "$SUBJECTS")
FEEDS="$BENCH_DIR/feed-$RECORDS"
FEED="$FEEDS/commerce-0001-full.xml"
if [ ! -f "$FEED" ]; then
  echo "generating a feed of about $RECORDS records at $FEED" >&2
  "$BIN" samples generate --subjects $(( RECORDS * 2 / 3 )) --seed 7 --out "$FEEDS" >/dev/null
fi
FEED_RECORDS=$(grep -c ' key="' "$FEED" || true)

# Everything below works on a copy: the server, the ingest and the activation share it.
DB="$WORK/credit.db"
bench_copy "$REGISTRY" "$DB"
CODE=$(sqlite3 "$DB" 'SELECT code FROM subject LIMIT 1 OFFSET 12345')
OFFICER=$(bench_token "$DB" bench-officer officer sat)
bench_serve "$DB" "$PORT"
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $OFFICER" "$BASE/v1/subjects/$CODE/measures")
[ "$STATUS" = 200 ] || { echo "look-up of $CODE answered $STATUS" >&2; exit 1; }

look() { wrk -t1 -c"$CONNECTIONS" "-d${2:-$DURATION}s" --latency -H "Authorization: Bearer $OFFICER" \
           "$BASE/v1/subjects/$CODE/measures" > "$WORK/$1.wrk"; }
p99_ms() { wrk_p99_ms "$WORK/$1.wrk"; }
rps() { wrk_rps "$WORK/$1.wrk"; }
errcount() { wrk_errors "$WORK/$1.wrk"; }

# Runs the writer command in the background, waits until it holds the registry's write lock
# (a write attempt from here is refused), runs wrk, and reports whether the writer outlasted it.
during() {
  local name=$1; shift
  local t0; t0=$(date +%s.%N)
  "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" &
  WRITER=$!
  bench_child "$WRITER"
  for _ in $(seq 1 600); do
    sqlite3 -cmd '.timeout 0' "$DB" 'BEGIN IMMEDIATE; ROLLBACK;' 2>/dev/null || break
    kill -0 "$WRITER" 2>/dev/null || break
    sleep 0.1
  done
  look "$name"
  touch "$WORK/stop"
  local state="writer still running when wrk ended"
  kill -0 "$WRITER" 2>/dev/null || state="WRITER ENDED BEFORE WRK (phase too short)"
  local rc=0; wait "$WRITER" || rc=$?
  WRITER=""
  echo "$state; writer exit $rc after $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s" > "$WORK/$name.state"
}

echo "registry: $SUBJECTS subjects; feed: $FEED_RECORDS records; look-up of $CODE audited; wrk -t1 -c$CONNECTIONS -d${DURATION}s per phase"
look warmup 3
look idle
during ingest "$BIN" ingest --db "$DB" --format json "$FEED"
rm -f "$WORK/stop"
during activate bash -c 'n=0; until [ -f "$0" ]; do "$1" rules activate rules --db "$2" --author bench >/dev/null || exit 1; n=$((n + 1)); done; echo "$n activations"' \
  "$WORK/stop" "$BIN" "$DB"

printf '  %-22s %12s %12s %8s\n' phase "req/s" "p99 ms" errors
for phase in idle ingest activate; do
  printf '  %-22s %12s %12s %8s\n' "$phase" "$(rps $phase)" "$(p99_ms $phase)" "$(errcount $phase)"
done
echo "  ingest: $(cat "$WORK/ingest.state")"
echo "  activate: $(cat "$WORK/activate.out"); $(cat "$WORK/activate.state")"
awk -v i="$(p99_ms idle)" -v g="$(p99_ms ingest)" -v a="$(p99_ms activate)" 'BEGIN {
  printf "  p99 during/idle: ingest %.2fx, activation %.2fx\n", (i > 0 ? g / i : 0), (i > 0 ? a / i : 0) }'
# The audit log's own file; a build from before it kept the entries in the registry.
AUDIT_DB="$WORK/credit.audit.db"; [ -f "$AUDIT_DB" ] || AUDIT_DB="$DB"
AUDITED=$(sqlite3 "$AUDIT_DB" 'SELECT COUNT(*) FROM audit')
ERRORS=$(( $(errcount idle) + $(errcount ingest) + $(errcount activate) ))
echo "  audit entries written: $AUDITED; errors in all phases: $ERRORS (expected 0)"
grep -c '"level":"error"\|error' "$WORK/serve.log" >/dev/null && grep -m3 'error' "$WORK/serve.log" >&2 || true
