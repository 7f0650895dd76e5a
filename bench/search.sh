#!/usr/bin/env bash
# Name search latency (release build) for 1-, 2-, 3- and 5-character queries, the characters and
# pairs most names contain, a fifth page and 有限公司, each p99 beside the baseline measured in the
# same run: the exact full-name search (one index probe).
#   bench/search.sh [SUBJECTS] [DB] [SAMPLES]   defaults: 2000000 subjects, /tmp/bench-search-SUBJECTS.db, 2000 queries a class
#   e.g. bench/search.sh 10000000              10 M names (≈ 6 GiB generated once, reused while its size matches)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-2000000}"
DB="${2:-/tmp/bench-search-$N.db}"
SAMPLES="${3:-2000}"
swift build -c release --product creditctl
BIN=.build/release/creditctl
"$BIN" subject bench search --db "$DB" --subjects "$N" --samples "$SAMPLES"
