#!/usr/bin/env bash
# Look-ups while a bank batch check is uploaded and processed: `creditctl serve` over a registry
# of SUBJECTS generated subjects (default 1,000,000), `wrk -t1 -c16 -d10s` on the light look-up
# (/v1/subjects/CODE/measures) idle, then again while a bank POSTs a ROWS-row CSV
# (default 1,000,000) to /v1/check. Everything on 127.0.0.1, sharing the machine's cores.
# Reports idle p99, during-batch p99, their ratio, wrk's errors and non-2xx responses, and the
# upload's HTTP status and time. Target: p99 during the batch <= 3x idle p99, no errors.
#   bench/http-during-batch.sh [CREDITCTL]     (no argument: release build of this checkout)
# Environment: SUBJECTS, ROWS, BENCH_DIR (generated registries, reused while their size matches;
# default .bench-data/), PORT (default 18098), BATCH_TIMEOUT (s, default 600).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_require wrk curl sqlite3
bench_binary "${1:-}"
N=${SUBJECTS:-1000000}
ROWS=${ROWS:-1000000}
PORT=${PORT:-18098}
BATCH_TIMEOUT=${BATCH_TIMEOUT:-600}
bench_workdir http-batch
UPLOAD=""

# The registry: generated once, reused while its size marker matches.
DB=$(bench_registry "$N")
CODE=$(sqlite3 "$DB" 'SELECT code FROM subject LIMIT 1 OFFSET 12345')
[ -n "$CODE" ] || { echo "no subject at offset 12345 in $DB" >&2; exit 1; }

# The bank's file: the one the batch benchmark writes if it is there, else code,name rows of
# the registry's own subjects.
CSV="$DB.check-$ROWS.csv"
if [ ! -f "$CSV" ]; then
  CSV="$WORK/check.csv"
  { echo "code,name"
    sqlite3 -csv "$DB" "SELECT code, name FROM subject ORDER BY rowid LIMIT $ROWS"; } > "$CSV"
fi
CSV_ROWS=$(($(wc -l < "$CSV") - 1))

# The server works on a copy (every look-up is audited).
bench_copy "$DB" "$WORK/serve.db"
OFFICER=$(bench_token "$WORK/serve.db" bench-officer officer sat)
BANK=$(bench_token "$WORK/serve.db" bench-bank bank)
bench_serve "$WORK/serve.db" "$PORT"
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $OFFICER" "$BASE/v1/subjects/$CODE/measures")
[ "$STATUS" = 200 ] || { echo "look-up of $CODE answered $STATUS" >&2; exit 1; }

URL="$BASE/v1/subjects/$CODE/measures"
look() { wrk -t1 -c16 "-d${2:-10}s" --latency -H "Authorization: Bearer $OFFICER" "$URL" > "$WORK/$1.wrk"; }
# p99 in ms, requests/s, and errors (socket errors + non-2xx/3xx) from a wrk report.
p99_ms() { wrk_p99_ms "$WORK/$1.wrk"; }
rps() { wrk_rps "$WORK/$1.wrk"; }
errors() { awk '/Socket errors/ { gsub(/,/, ""); s = $4 + $6 + $8 + $10 } /Non-2xx or 3xx/ { n = $5 }
                END { printf "socket errors %d, non-2xx %d", s, n }' "$WORK/$1.wrk"; }
errcount() { wrk_errors "$WORK/$1.wrk"; }

echo "registry: $N subjects ($DB), look-up of $CODE; batch: $CSV_ROWS rows ($(( $(stat -c %s "$CSV") / 1048576 )) MiB)"
look warmup 3   # not reported: the server's first seconds (fresh copy, cold caches)
look idle
echo "  idle        : $(rps idle) req/s  p99 $(p99_ms idle) ms  ($(errors idle))"

# The upload in the background, wrk right after it starts.
curl -s -o /dev/null -D "$WORK/check.headers" -w '%{http_code} %{time_total}\n' --max-time "$BATCH_TIMEOUT" \
  -H "Authorization: Bearer $BANK" -H 'Content-Type: text/csv' --data-binary @"$CSV" "$BASE/v1/check" > "$WORK/check.out" &
UPLOAD=$!
bench_child "$UPLOAD"
T0=$(date +%s.%N)
look during
T1=$(date +%s.%N)
STILL="finished before wrk"; kill -0 "$UPLOAD" 2>/dev/null && STILL="still running when wrk ended"
wait "$UPLOAD" || true
UPLOAD=""
read -r CODE_HTTP SECS < "$WORK/check.out" || true
SUMMARY=$(tr -d '\r' < "$WORK/check.headers" | awk -F': ' 'tolower($1) == "x-check-summary" { print $2 }')
echo "  during batch: $(rps during) req/s  p99 $(p99_ms during) ms  ($(errors during))"
echo "  batch check : HTTP ${CODE_HTTP:-none} in ${SECS:-?} s (${SUMMARY:-no summary}); $STILL ($(awk -v a="$T0" -v b="$T1" 'BEGIN { printf "%.1f", b - a }') s window)"
IDLE=$(p99_ms idle); DURING=$(p99_ms during); ERR=$(errcount during)
awk -v i="$IDLE" -v d="$DURING" -v e="$ERR" -v h="${CODE_HTTP:-0}" 'BEGIN {
  r = (i > 0) ? d / i : 0
  printf "  p99 ratio during/idle: %.3f / %.3f ms = %.2fx  (target <= 3x, 0 errors): %s\n", d, i, r,
         (r <= 3 && e == 0 && h == 200) ? "met" : "NOT met" }'
