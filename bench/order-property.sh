#!/usr/bin/env bash
# The arrival-order property at a larger size: SUBJECTS generated subjects, ORDERS random
# arrival orders (each bureau's feed cut into a full feed and a delta, interleaved with a
# national list; rules activated and refreshed at random points), each compared with a fresh
# registry that took everything in, then activated. Prints the time per order beside the
# baseline measured in the same run: building the fresh reference registry once (ORDERS=0).
# Usage: bash bench/order-property.sh [SUBJECTS] [ORDERS]   (debug build, as the suite runs)
set -euo pipefail
cd "$(dirname "$0")/.."

subjects=${1:-3000}
orders=${2:-40}
swift build --build-tests >/dev/null

now() { date +%s.%N; }
run() { # orders → seconds
    local t0 t1
    t0=$(now)
    ORDER_PROPERTY_SUBJECTS=$subjects ORDER_PROPERTY_ORDERS=$1 \
        swift test --skip-build --filter ArrivalOrderPropertyTests > "${TMPDIR:-/tmp}/order-property.log" 2>&1 \
        || { tail -40 "${TMPDIR:-/tmp}/order-property.log"; echo "the property failed"; exit 1; }
    t1=$(now)
    python3 -c "print($t1 - $t0)"
}

echo "subjects: $subjects, orders: $orders"
base=$(run 0)
total=$(run "$orders")
python3 - "$base" "$total" "$orders" <<'PY'
import sys
base, total, n = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
per = (total - base) / n if n else 0
print(f"baseline: fresh registry (ingest all, activate, reports, batch check)  {base:8.2f} s")
print(f"property: {n} orders, all equal to the fresh registry                  {total:8.2f} s")
print(f"per order: {per:8.2f} s  = {per / base:5.2f}x the baseline")
PY
