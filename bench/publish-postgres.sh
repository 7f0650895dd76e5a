#!/usr/bin/env bash
# The open-data publication (`creditctl publish`) of one generated registry on SQLite (the
# baseline) and on its PostgreSQL copy, in the same run: wall time, CPU time and peak memory of
# the process, and a byte-for-byte comparison of the two publications.
#   bench/publish-postgres.sh [SUBJECTS]     default 200,000 subjects
#   (CREDITCTL=path/to/creditctl uses that build instead of building a release one)
# A throw-away cluster is started in a temporary directory and stopped however the script ends.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-200000}"
if [ -n "${CREDITCTL:-}" ]; then BIN=$CREDITCTL; else
  swift build -c release --product creditctl >/dev/null
  BIN=$(swift build -c release --show-bin-path)/creditctl
fi
WORK=$(mktemp -d /tmp/bench-publish.XXXXXX)
chmod 755 "$WORK"   # the cluster runs as postgres when this runs as root
PGDIR="$WORK/cluster"
trap 'bash scripts/pg-cluster stop "$PGDIR"; rm -rf "$WORK"' EXIT
URL=$(bash scripts/pg-cluster start "$PGDIR" 54333)

DB="$WORK/registry.db"
echo "== generating a registry of $N subjects, the shipped rules active" >&2
"$BIN" subject bench build --db "$DB" --subjects "$N" >/dev/null 2>&1
"$BIN" rules activate rules --db "$DB" >/dev/null 2>&1 || true
"$BIN" db copy --from "$DB" --to "$URL" >/dev/null
export CREDIT_AUDIT_KEY="$WORK/registry.audit.key"

measure() {   # label, --db target, output directory
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$BIN" publish --db "$2" --out "$3" --as-of 2026-11-30 > "$WORK/out" 2>&1 \
    || { cat "$WORK/out" >&2; exit 1; }
  read -r wall user sys rss < "$WORK/time"
  printf "%-34s %8.2f s wall  %8.2f CPU-s  %7.0f MiB peak  %s\n" "$1" "$wall" "$(echo "$user + $sys" | bc)" "$(echo "$rss / 1024" | bc)" \
    "$(grep -o 'subjects: [0-9]* rows' "$WORK/out")"
  echo "$wall"> "$WORK/$1.wall"
}
echo "== publish ($N subjects)"
measure "SQLite (baseline)" "$DB" "$WORK/open-sqlite"
measure "PostgreSQL" "$URL" "$WORK/open-pg"
python3 - "$(cat "$WORK/SQLite (baseline).wall")" "$(cat "$WORK/PostgreSQL.wall")" <<'PY'
import sys
s, p = map(float, sys.argv[1:])
print(f"PostgreSQL / SQLite wall time: {p / s:.2f}x")
PY
if diff -r "$WORK/open-sqlite" "$WORK/open-pg" >/dev/null; then echo "publications identical byte for byte"; else echo "PUBLICATIONS DIFFER"; exit 1; fi
