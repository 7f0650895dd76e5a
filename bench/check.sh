#!/usr/bin/env bash
# Batch check of a generated bank file against generated registries (release build), beside its
# baseline measured in the same run: reading the same file with one primary-key probe a row in
# plain SQLite. Prints wall and CPU seconds of both and their ratios.
#   bench/check.sh [SUBJECTS[,SUBJECTS…]] [ROWS] [RUNS]
#   defaults: 2000000,10000000 subjects (small and large registry), 1000000 rows, 2 runs
#   e.g. bench/check.sh 2000000 1000000 1     the small registry only, one run
# Registries are generated once as /tmp/bench-check-SUBJECTS.db (2 M ≈ 1.2 GiB and 2 minutes,
# 10 M ≈ 6 GiB) and reused while their size matches.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${1:-2000000,10000000}"
ROWS="${2:-1000000}"
RUNS="${3:-2}"
swift build -c release --product creditctl
BIN=.build/release/creditctl
for N in ${SIZES//,/ }; do   # `bench check` generates the registry when it is missing or of another size
    DB="/tmp/bench-check-$N.db"
    "$BIN" subject bench check --db "$DB" --subjects "$N" --rows "$ROWS" --runs "$RUNS"
done
