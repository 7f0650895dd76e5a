#!/usr/bin/env bash
# PostgreSQL backend benchmarks (release build), each beside its baseline in the same run, on one
# generated registry:
#   - `creditctl db copy` (COPY + per-table digests, one transaction) vs `psql \copy` of the same
#     rows from CSV (no verification);
#   - measures look-up and name search p50/p99 through the same use-cases on SQLite vs PostgreSQL.
# A throw-away cluster is started in a temporary directory and stopped however the script ends.
#   bench/postgres.sh [SUBJECTS] [LOOKUPS]     defaults: 200,000 subjects, 5,000 look-ups
#   (CREDITCTL=path/to/creditctl uses that build instead of building a release one)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-200000}"
LOOKUPS="${2:-5000}"
if [ -n "${CREDITCTL:-}" ]; then BIN=$CREDITCTL; else   # CREDITCTL=path compares another build
  swift build -c release --product creditctl >/dev/null
  BIN=$(swift build -c release --show-bin-path)/creditctl
fi
WORK=$(mktemp -d /tmp/bench-pg.XXXXXX)
chmod 755 "$WORK"   # the cluster runs as postgres when this runs as root
PGDIR="$WORK/cluster"
trap 'bash scripts/pg-cluster stop "$PGDIR"; rm -rf "$WORK"' EXIT
BASE=$(bash scripts/pg-cluster start "$PGDIR" 54331)
PSQL=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/psql
url() { echo "${BASE/\/postgres\?//$1?}"; }
"$PSQL" -X -q -d "$BASE" -c "CREATE DATABASE copied" -c "CREATE DATABASE raw"

DB="$WORK/registry.db"
echo "== generating a registry of $N subjects" >&2
"$BIN" subject bench build --db "$DB" --subjects "$N" >/dev/null 2>&1

echo "== db copy vs psql \\copy ($N subjects)"
start=$(date +%s.%N)
"$BIN" db copy --from "$DB" --to "$(url copied)" --format json > "$WORK/copy.json"
end=$(date +%s.%N)
ROWS=$(python3 -c "import json,sys; print(sum(t['rows'] for t in json.load(open('$WORK/copy.json'))['tables']))")
"$BIN" db migrate --db "$(url raw)" >/dev/null
TABLES=$(python3 -c "import json; print(' '.join(t['table'] for t in json.load(open('$WORK/copy.json'))['tables'] if t['rows'] > 0))")
for t in $TABLES; do
  db=$DB; [[ $t == audit* ]] && db=$WORK/registry.audit.db
  cols=$("$PSQL" -X -A -t -d "$(url raw)" -c "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = '$t' AND table_schema = 'public'")
  have=$(sqlite3 "$db" "SELECT group_concat(name, ',') FROM pragma_table_info('$t')")
  use=$(python3 -c "h=set('$have'.split(',')); print(','.join(c for c in '$cols'.split(',') if c in h))")
  sqlite3 -csv "$db" "SELECT $use FROM $t" > "$WORK/$t.csv"
  echo "\\copy $t ($use) FROM '$WORK/$t.csv' CSV" >> "$WORK/load.sql"
done
rstart=$(date +%s.%N)
"$PSQL" -X -q -v ON_ERROR_STOP=1 -d "$(url raw)" -1 -f "$WORK/load.sql"
rend=$(date +%s.%N)
python3 - "$ROWS" "$start" "$end" "$rstart" "$rend" <<'PY'
import sys
rows, s, e, rs, re = int(sys.argv[1]), *map(float, sys.argv[2:])
print(f"psql \\copy from CSV (baseline, no checks)   {rows:>10} rows  {re - rs:7.2f} s  {rows / (re - rs):>10.0f} rows/s")
print(f"creditctl db copy (COPY + digests, 1 txn)   {rows:>10} rows  {e - s:7.2f} s  {rows / (e - s):>10.0f} rows/s")
PY

echo "== look-up and name search, SQLite vs PostgreSQL ($N subjects)"
sqlite3 "$DB" "SELECT code FROM subject ORDER BY random() LIMIT 20000" > "$WORK/codes.txt"
sqlite3 "$DB" "SELECT substr(name, 3, 4) FROM subject WHERE kind != 'natural_person' ORDER BY random() LIMIT 300" > "$WORK/queries.txt"
sqlite3 "$DB" "SELECT substr(name, 1, 2) FROM subject WHERE kind != 'natural_person' ORDER BY random() LIMIT 100" >> "$WORK/queries.txt"
"$BIN" db bench --sqlite "$DB" --postgres "$(url copied)" --audit-key "$WORK/registry.audit.key" \
  --codes "$WORK/codes.txt" --queries "$WORK/queries.txt" --lookups "$LOOKUPS"
echo "(machine: $(nproc) cores, shared; PostgreSQL $("$PSQL" --version | awk '{print $3}') on a Unix socket, fsync off)"
