#!/usr/bin/env bash
# Batch check of a generated bank file against generated registries (release build), beside its
# baseline measured in the same run: reading the same file with one primary-key probe a row in
# plain SQLite. Prints wall and CPU seconds of both and their ratios.
#   bench/check.sh [SUBJECTS[,SUBJECTS…]] [ROWS] [RUNS] [CREDITCTL]
#     SUBJECTS   registry sizes (default 2000000,10000000: a small and a large registry)
#     ROWS       rows of the bank file (default 1000000)
#     RUNS       runs of each side, the best is reported (default 2)
#     CREDITCTL  a binary to measure (default: release build of this checkout), e.g. a build of
#                main kept from before a change, to run old and new alternately on the same data
#   e.g. bench/check.sh 2000000 1000000 1     the small registry only, one run
# Environment: THREADS (look-up workers; default: the checker's automatic choice).
# Registries are generated once into BENCH_DIR (default .bench-data/ in the checkout, ignored by
# git) as registry-SUBJECTS.db — the same cache as bench/search.sh and bench/http.sh (2 M ≈ 1.5 GiB
# and 2 minutes, 10 M ≈ 7 GiB and 15 minutes) — and reused while their size matches. The bank file
# and the verdicts are written beside the registry.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
SIZES="${1:-2000000,10000000}"
ROWS="${2:-1000000}"
RUNS="${3:-2}"
bench_binary "${4:-}"
for N in ${SIZES//,/ }; do
    DB=$(bench_registry "$N")
    "$BIN" subject bench check --db "$DB" --subjects "$N" --rows "$ROWS" --runs "$RUNS" ${THREADS:+--threads "$THREADS"}
done
