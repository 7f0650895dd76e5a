#!/usr/bin/env bash
# Benchmark: validating a million identifiers with `creditctl code validate` against
# python-stdnum on the same input. Usage: bash bench/codes.sh [COUNT] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."

count=${1:-1000000}
seed=${2:-42}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "building release creditctl..."
swift build -c release --product creditctl >/dev/null
bin=.build/release/creditctl

# USCCs and resident IDs, equally mixed, 30 % given one random edit
"$bin" code generate --count "$count" --seed "$seed" --corrupt-ratio 0.3 --schemes uscc resident > "$work/codes.txt"
echo "input: $count codes ($(wc -c < "$work/codes.txt") bytes), seed $seed, 30 % corrupted"

now() { date +%s.%N; }
rate() { python3 -c "import sys; n, s = int(sys.argv[1]), float(sys.argv[2]); print(f'{s:8.3f} s  {n / s:12,.0f} codes/s')" "$1" "$2"; }

time_it() { # label command...
    local label=$1; shift
    local t0 t1 status=0
    t0=$(now)
    "$@" < "$work/codes.txt" > "$work/out" || status=$?
    t1=$(now)
    local secs
    secs=$(python3 -c "print($t1 - $t0)")
    printf '%-34s %s (exit %d)\n' "$label" "$(rate "$count" "$secs")" "$status" >&2
    echo "$secs"
}

swift_json=$(time_it "creditctl validate --format json" "$bin" code validate - --format json)
swift_table=$(time_it "creditctl validate --format table" "$bin" code validate - --format table)
swift_quiet=$(time_it "creditctl validate --quiet" "$bin" code validate - --quiet)
if ! python3 -c 'import stdnum' 2>/dev/null; then
    echo "python-stdnum is not installed (pip install python-stdnum): no comparison" >&2
    exit 1
fi
py=$(time_it "python-stdnum (bench/stdnum_validate.py)" python3 bench/stdnum_validate.py)
echo "stdnum: $(cat "$work/out")" >&2

python3 - "$py" "$swift_json" "$swift_table" "$swift_quiet" <<'PY'
import sys
py, js, tb, q = map(float, sys.argv[1:])
print(f"speed-up over python-stdnum: json {py / js:.1f}x, table {py / tb:.1f}x, quiet {py / q:.1f}x")
PY
