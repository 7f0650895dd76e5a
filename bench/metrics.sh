#!/usr/bin/env bash
# What the request metrics cost (release build): `creditctl serve` over the demo registry, `wrk`
# on 127.0.0.1 (sharing the cores) against /health and the audited measures look-up, while
# `perf record` samples the server. Prints each route's req/s and p99 beside the share of the
# server's CPU samples spent recording metrics (RouteMetrics.record and everything it calls:
# the lock, the counter, the histogram) — the baseline is the same run's whole server (100 %).
# Also checks that /metrics counted exactly the requests wrk completed.
#
#   bench/metrics.sh [SECONDS] [CREDITCTL]   (default 10 s a route; no binary: release build of this checkout)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_ROUTE=${1:-10}
for tool in wrk perf curl; do command -v $tool >/dev/null || { echo "$tool is missing (apt-get install wrk linux-perf curl)"; exit 1; }; done
if [ -n "${2:-}" ]; then BIN=$(realpath "$2"); else
  swift build -c release --product creditctl >/dev/null
  BIN=$(swift build -c release --show-bin-path)/creditctl
fi
WORK=$(mktemp -d)
SERVER=""
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
"$BIN" demo --db "$WORK/m.db" >/dev/null 2>&1
OFFICER=bench-officer-token-0123456789
OPERATOR=bench-operator-token-0123456789
printf '[{"token":"%s","name":"bench","role":"officer","department":"sat"},{"token":"%s","name":"scraper","role":"operator"}]' \
  "$OFFICER" "$OPERATOR" > "$WORK/tokens.json"
chmod 600 "$WORK/tokens.json"
"$BIN" users import --db "$WORK/m.db" "$WORK/tokens.json" 2>/dev/null
PORT=18097
(exec "$BIN" serve --db "$WORK/m.db" --port $PORT 2>/dev/null) & SERVER=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:$PORT/health >/dev/null && break; sleep 0.1; done
curl -sf http://127.0.0.1:$PORT/health >/dev/null || { echo "the server did not start (port $PORT in use?)" >&2; exit 1; }
PID=$SERVER

scraped() {   # the counter of route $1 with status class 2xx
  curl -sf -H "Authorization: Bearer $OPERATOR" http://127.0.0.1:$PORT/metrics \
    | awk -v r="route=\"$1\"" 'index($0, "credit_http_requests_total{") == 1 && index($0, r) && index($0, "status=\"2xx\"") {print $NF}'
}
echo "metrics cost, $SECONDS_PER_ROUTE s a route, wrk -t2 -c64 on the same cores (release build)"
for route in /health /v1/subjects/91350200MA2XH1K70Y/measures; do
  template=$route; [ "$route" != /health ] && template=/v1/subjects/{id}/measures
  before=$(scraped "$template"); before=${before:-0}
  perf record -q -e cpu-clock -F 499 --call-graph dwarf,16384 -p "$PID" -o "$WORK/perf.data" -- sleep "$SECONDS_PER_ROUTE" 2>/dev/null &
  PERF=$!
  wrk -t2 -c64 -d"${SECONDS_PER_ROUTE}s" --latency -H "Authorization: Bearer $OFFICER" "http://127.0.0.1:$PORT$route" > "$WORK/wrk.txt"
  wait $PERF || true
  after=$(scraped "$template")
  rate=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")
  p99=$(awk '/ 99%/ {print $2}' "$WORK/wrk.txt")
  done_requests=$(awk '/requests in/ {print $1}' "$WORK/wrk.txt")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' "$WORK/wrk.txt" | tr '\n' ' ')
  # Inclusive share of RouteMetrics.record (mangled name contains 12RouteMetrics and 6record).
  share=$(perf report -i "$WORK/perf.data" --children --sort symbol --stdio 2>/dev/null \
    | awk '/RouteMetrics.*record|record.*RouteMetrics|12RouteMetricsC6record/ && $1 ~ /%$/ {gsub("%","",$1); if ($1 > m) m = $1} END {printf "%.2f", m + 0}')
  # Self time of every metrics symbol (the middleware, the cache, swift-metrics, swift-prometheus).
  own=$(perf report -i "$WORK/perf.data" --no-children --sort symbol --stdio 2>/dev/null \
    | awk '$1 ~ /%$/ && /MetricsMiddleware|RouteMetrics|10Prometheus|11CoreMetrics/ {gsub("%","",$1); t += $1} END {printf "%.2f", t + 0}')
  printf '  %-40s %10s req/s  p99 %-8s  metrics: %5s %% inclusive, %5s %% own code, of the server CPU samples (baseline: the whole server, 100 %%)\n' \
    "$route" "$rate" "$p99" "$share" "$own"
  printf '  %-40s wrk completed %s; /metrics counted %s more 2xx (with those in flight when wrk stopped) %s\n' "" "$done_requests" "$(( ${after%.*} - ${before%.*} ))" "$errors"
done
