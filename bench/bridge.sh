#!/usr/bin/env bash
# Benchmark of the national exchange, with the sample demo keys, on 127.0.0.1:
#   1. messages/s from the outbox to the reference peer (signing, HTTP, verification, storing)
#      beside signing alone (the bound);
#   2. pulling and applying a national list of N rows beside importing the same rows as a file;
#   3. reconciling the pushed lists.
# Usage: bash bench/bridge.sh [SUBJECTS] [LIST_ROWS] [BIN]   (defaults 20000, 50000, release build)
set -euo pipefail
cd "$(dirname "$0")/.."
subjects=${1:-20000}
rows=${2:-50000}
bin=${3:-}
if [ -z "$bin" ]; then
    echo "building release creditctl..." >&2
    swift build -c release --product creditctl >/dev/null
    bin=.build/release/creditctl
fi
work=$(mktemp -d)
peer_pid=""
cleanup() { [ -n "$peer_pid" ] && kill "$peer_pid" 2>/dev/null && wait "$peer_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export CREDITCTL_TODAY=2026-11-30
port=$((20000 + RANDOM % 20000))
now() { date +%s.%N; }
secs() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$2"; }

cp samples/exchange/*.key samples/exchange/*.pub "$work/"
sed "s/9400/$port/" samples/exchange/exchange.json > "$work/exchange.json"
cp samples/exchange/national.json "$work/national.json"

start_peer() { # store lists-dir
    (exec "$bin" national serve --config "$work/national.json" --store "$1" --lists "$2" --port "$port" 2>"$work/peer.log") &
    peer_pid=$!
    for _ in $(seq 1 2400); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return; kill -0 "$peer_pid" 2>/dev/null || break; sleep 0.05; done
    echo "peer did not start" >&2; cat "$work/peer.log" >&2; exit 1
}
stop_peer() { kill "$peer_pid"; wait "$peer_pid" 2>/dev/null || true; peer_pid=""; }

# 1. Outbox → peer vs signing alone.
"$bin" samples generate --subjects "$subjects" --seed 7 --out "$work/feeds" >/dev/null
"$bin" ingest --db "$work/city.db" --format json "$work"/feeds/*.xml >/dev/null || true
queued=$("$bin" bridge status --db "$work/city.db" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["queued"])')
mkdir -p "$work/lists"
start_peer "$work/national.db" "$work/lists"
t0=$(now); "$bin" bridge push --db "$work/city.db" --config "$work/exchange.json" --format json >/dev/null; t1=$(now)
push=$(secs "$t0" "$t1")
sign=$("$bin" bridge bench-sign --config "$work/exchange.json" --count "$queued")
sign_s=$(python3 -c "import json,sys; print(f\"{json.loads(sys.argv[1])['seconds']:.3f}\")" "$sign")
echo "outbox → peer: $queued messages in $push s = $(python3 -c "print(f'{$queued / $push:,.0f}')") msg/s   (signing alone: $sign_s s = $(python3 -c "print(f'{$queued / $sign_s:,.0f}')") msg/s)"

# 3. Reconcile what was pushed.
t0=$(now); "$bin" bridge reconcile --db "$work/city.db" --config "$work/exchange.json" --format json >/dev/null; t1=$(now)
echo "reconcile: $queued list entries on both sides in $(secs "$t0" "$t1") s"
stop_peer

# 2. Pull-and-apply vs importing the same rows as a file.
"$bin" code generate --count "$rows" --seed 3 --schemes uscc > "$work/codes.txt"
python3 - "$work/codes.txt" "$work/lists/debtors.csv" <<'PY'
import sys
codes = [l.split()[0] for l in open(sys.argv[1]) if l.strip()]
with open(sys.argv[2], "w") as out:
    out.write("code,name,ground,case_number,court,listed_on,exited_on\n")
    for i, c in enumerate(codes):
        out.write(f"{c},厦门测试企业{i}有限公司,{1 + i % 6},（2024）闽0203执{i}号,厦门市思明区人民法院,2024-0{1 + i % 9}-1{i % 10},\n")
PY
t0=$(now); "$bin" bridge import-national --db "$work/file.db" --format json "$work/lists/debtors.csv" >/dev/null || true; t1=$(now)
file_s=$(secs "$t0" "$t1")
start_peer "$work/national2.db" "$work/lists"
t0=$(now); "$bin" bridge pull dishonest_debtor --db "$work/pulled.db" --config "$work/exchange.json" --page-size 5000 --format json >/dev/null; t1=$(now)
pull_s=$(secs "$t0" "$t1")
stop_peer
echo "national list of $rows rows: pull and apply $pull_s s   (import as a file: $file_s s)"
