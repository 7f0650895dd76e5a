#!/bin/sh
# Benchmark rule evaluation: N generated subjects with the shipped rules, release build.
# Usage: bench/rules.sh [N]   (default 1000000)
set -eu
cd "$(dirname "$0")/.."
N="${1:-1000000}"
swift build -c release --product creditctl >/dev/null
exec .build/release/creditctl rules bench --subjects "$N" --rules rules
