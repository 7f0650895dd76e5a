#!/usr/bin/env bash
# Look-up, name search and batch check benchmarks (release build), each beside its baseline.
#   bench/lookup.sh [SUBJECTS] [DB]      default 10,000,000 subjects in /tmp/bench-lookup.db
# The registry is generated once (bulk SQL path) and reused while its size matches.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-10000000}"
DB="${2:-/tmp/bench-lookup.db}"
swift build -c release --product creditctl
BIN=.build/release/creditctl
"$BIN" subject bench build  --db "$DB" --subjects "$N"
"$BIN" subject bench lookup --db "$DB" --subjects "$N"
"$BIN" subject bench search --db "$DB" --subjects "$N"
"$BIN" subject bench check  --db "$DB" --subjects "$N" --rows 1000000
