#!/usr/bin/env bash
# HTTP benchmark (release build): `creditctl serve` over the demo registry, `wrk` on 127.0.0.1
# (sharing the two cores): the trivial /health endpoint (baseline), the light look-up with
# measures, and the full credit report. Every look-up is audited (group commit).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)"; exit 1; }
# bench/http.sh [CREDITCTL]   (no argument: release build of this checkout; an argument compares another build)
if [ -n "${1:-}" ]; then BIN=$(realpath "$1"); else
  swift build -c release --product creditctl >/dev/null
  BIN=$(swift build -c release --show-bin-path)/creditctl
fi
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
[ -f demo.db ] || "$BIN" demo --db demo.db >/dev/null
cp demo.db "$WORK/http.db"
TOKEN=bench-officer-token-0123456789
printf '[{"token":"%s","name":"bench","role":"officer","department":"sat"}]' "$TOKEN" > "$WORK/tokens.json"
chmod 600 "$WORK/tokens.json"
"$BIN" users import --db "$WORK/http.db" "$WORK/tokens.json" 2>/dev/null
("$BIN" serve --db "$WORK/http.db" --port 18099 2>/dev/null) & SERVER=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:18099/health >/dev/null && break; sleep 0.1; done
curl -sf http://127.0.0.1:18099/health >/dev/null || { echo "the server did not start (port 18099 in use?)" >&2; exit 1; }
run() { wrk -t2 -c64 -d10s --latency -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:18099$1" | awk -v p="$1" '/Requests\/sec/ {r=$2} / 99%/ {l=$2} END {printf "  %-45s %10s req/s  p99 %s\n", p, r, l}'; }
run /health
run /v1/subjects/91350200MA2XH1K70Y/measures
run /v1/subjects/91350200MA2XH1K70Y
# The audit log's own file (http.audit.db); a build from before it kept the entries in the registry.
AUDIT_DB="$WORK/http.audit.db"; [ -f "$AUDIT_DB" ] || AUDIT_DB="$WORK/http.db"
echo "  audit entries written: $(sqlite3 "$AUDIT_DB" 'SELECT COUNT(*) FROM audit')"
