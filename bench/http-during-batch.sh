#!/usr/bin/env bash
# Look-ups while a bank batch check is uploaded and processed: `creditctl serve` over a registry
# of SUBJECTS generated subjects (default 1,000,000), `wrk -t1 -c16 -d10s` on the light look-up
# (/v1/subjects/CODE/measures) idle, then again while a bank POSTs a ROWS-row CSV
# (default 1,000,000) to /v1/check. Everything on 127.0.0.1, sharing the machine's cores.
# Reports idle p99, during-batch p99, their ratio, wrk's errors and non-2xx responses, and the
# upload's HTTP status and time. Target: p99 during the batch <= 3x idle p99, no errors.
#   bench/http-during-batch.sh [CREDITCTL]     (no argument: release build of this checkout)
# Environment: SUBJECTS, ROWS, BENCH_DB (registry, reused while its size matches; default
# /tmp/bench-http-batch.db), PORT (default 18098), BATCH_TIMEOUT (s, default 600).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk curl sqlite3; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install $tool)" >&2; exit 1; }
done
if [ -n "${1:-}" ]; then
  BIN=$(realpath "$1")
else
  swift build -c release --product creditctl >/dev/null
  BIN=$(swift build -c release --show-bin-path)/creditctl
fi
[ -x "$BIN" ] || { echo "not an executable: $BIN" >&2; exit 1; }
N=${SUBJECTS:-1000000}
ROWS=${ROWS:-1000000}
DB=${BENCH_DB:-/tmp/bench-http-batch.db}
PORT=${PORT:-18098}
BATCH_TIMEOUT=${BATCH_TIMEOUT:-600}
BASE="http://127.0.0.1:$PORT"

WORK=$(mktemp -d /tmp/bench-http-batch.XXXXXX)
SERVER=""; UPLOAD=""
cleanup() {
  [ -n "$UPLOAD" ] && kill "$UPLOAD" 2>/dev/null || true
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
  [ -n "$SERVER" ] && wait "$SERVER" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# The registry: generated once, reused while its size marker matches.
if [ "$(cat "$DB.size" 2>/dev/null || true)" != "$N" ] || [ ! -f "$DB" ]; then
  echo "generating a registry of $N subjects at $DB" >&2
  "$BIN" subject bench build --db "$DB" --subjects "$N" >&2
fi
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
cp "$DB" "$WORK/serve.db"
OFFICER=bench-officer-token-0123456789
BANK=bench-bank-token-0123456789abcd
printf '[{"token":"%s","name":"bench-officer","role":"officer","department":"sat"},{"token":"%s","name":"bench-bank","role":"bank"}]\n' \
  "$OFFICER" "$BANK" > "$WORK/tokens.json"
chmod 600 "$WORK/tokens.json"
"$BIN" users import --db "$WORK/serve.db" "$WORK/tokens.json" 2>/dev/null
"$BIN" serve --db "$WORK/serve.db" --host 127.0.0.1 --port "$PORT" 2>"$WORK/serve.log" &
SERVER=$!
for _ in $(seq 1 120); do
  curl -sf -o /dev/null "$BASE/health" && break
  kill -0 "$SERVER" 2>/dev/null || { echo "server exited:" >&2; cat "$WORK/serve.log" >&2; exit 1; }
  sleep 0.5
done
curl -sf -o /dev/null "$BASE/health" || { echo "server not up after 60 s" >&2; exit 1; }
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $OFFICER" "$BASE/v1/subjects/$CODE/measures")
[ "$STATUS" = 200 ] || { echo "look-up of $CODE answered $STATUS" >&2; exit 1; }

URL="$BASE/v1/subjects/$CODE/measures"
look() { wrk -t1 -c16 "-d${2:-10}s" --latency -H "Authorization: Bearer $OFFICER" "$URL" > "$WORK/$1.wrk"; }
# p99 in ms, requests/s, and errors (socket errors + non-2xx/3xx) from a wrk report.
p99_ms() { awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
             m = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : -1
             printf "%.3f", v * m }' "$WORK/$1.wrk"; }
rps() { awk '/^Requests\/sec/ { print $2 }' "$WORK/$1.wrk"; }
errors() { awk '/Socket errors/ { gsub(/,/, ""); s = $4 + $6 + $8 + $10 } /Non-2xx or 3xx/ { n = $5 }
                END { printf "socket errors %d, non-2xx %d", s, n }' "$WORK/$1.wrk"; }
errcount() { awk '/Socket errors/ { gsub(/,/, ""); s = $4 + $6 + $8 + $10 } /Non-2xx or 3xx/ { n = $5 }
                  END { print s + n }' "$WORK/$1.wrk"; }

echo "registry: $N subjects ($DB), look-up of $CODE; batch: $CSV_ROWS rows ($(( $(stat -c %s "$CSV") / 1048576 )) MiB)"
look warmup 3   # not reported: the server's first seconds (fresh copy, cold caches)
look idle
echo "  idle        : $(rps idle) req/s  p99 $(p99_ms idle) ms  ($(errors idle))"

# The upload in the background, wrk right after it starts.
curl -s -o /dev/null -D "$WORK/check.headers" -w '%{http_code} %{time_total}\n' --max-time "$BATCH_TIMEOUT" \
  -H "Authorization: Bearer $BANK" -H 'Content-Type: text/csv' --data-binary @"$CSV" "$BASE/v1/check" > "$WORK/check.out" &
UPLOAD=$!
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
