#!/usr/bin/env bash
# Name search latency (release build) for 1-, 2-, 3- and 5-character queries, the characters and
# pairs most names contain, a fifth page and 有限公司, each p99 beside the baseline measured in the
# same run: the exact full-name search (one index probe).
#   bench/search.sh [SUBJECTS] [DB] [SAMPLES] [CREDITCTL]
#     SUBJECTS   names in the generated registry (default 2000000)
#     DB         the registry (default, or ""/"-": BENCH_DIR/registry-SUBJECTS.db, generated once
#                and shared with bench/check.sh and bench/http.sh; 10 M ≈ 7 GiB and 15 minutes)
#     SAMPLES    queries a class (default 2000)
#     CREDITCTL  a binary to measure (default: release build of this checkout), e.g. a build kept
#                from before a change, to run old and new alternately on the same registry
#   e.g. bench/search.sh 10000000              10 M names
# BENCH_DIR defaults to .bench-data/ in the checkout (ignored by git).
# The registry file is read once into the page cache before the queries, as it is on a server
# that has run a while (`creditctl serve` asks the kernel to read its registry ahead at start);
# the time that takes is printed. COLD=1 skips it (the queries then wait on whatever pages the
# cache lacks: at 10 M names, 3- and 5-character p99s of 20-33 ms instead of under 2 ms).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
N="${1:-2000000}"
DB="${2:-}"
SAMPLES="${3:-2000}"
bench_binary "${4:-}"
if [ -z "$DB" ] || [ "$DB" = "-" ]; then DB=$(bench_registry "$N"); fi
if [ "${COLD:-0}" != 1 ]; then
  start=$(date +%s.%N)
  cat "$DB" > /dev/null
  echo "registry file ($(du -hL "$DB" | cut -f1)) read into the page cache in $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s"
fi
"$BIN" subject bench search --db "$DB" --subjects "$N" --samples "$SAMPLES"
