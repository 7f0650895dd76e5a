#!/usr/bin/env bash
# PostgreSQL backend benchmarks (release build), each beside its baseline in the same run, on one
# generated registry:
#   - `creditctl db copy` (COPY + per-table digests, one transaction) vs `psql \copy` of the same
#     rows from CSV (no verification);
#   - measures look-up and name search p50/p99 through the same use-cases on SQLite vs PostgreSQL;
#   - ingest of generated commerce, tax and food feeds (FEED_SUBJECTS subjects) into PostgreSQL
#     (`creditctl ingest --db postgres://…`: validation, quarantine, one transaction per feed) vs
#     `psql \copy` of the rows that ingest wrote (CSV, one transaction, no checks), beside the
#     SQLite ingest of the same feeds;
#   - `creditctl rules activate rules` (every subject evaluated, decisions written in one
#     transaction) on the PostgreSQL copy vs the same on the SQLite registry.
# A throw-away cluster is started in a temporary directory and stopped however the script ends.
#   bench/postgres.sh [SUBJECTS] [LOOKUPS] [FEED_SUBJECTS]
#   defaults: 200,000 subjects, 5,000 look-ups, feeds of 20,000 subjects (about 60,000 records)
#   (CREDITCTL=path/to/creditctl uses that build instead of building a release one)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-200000}"
LOOKUPS="${2:-5000}"
FEED_SUBJECTS="${3:-20000}"
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
"$PSQL" -X -q -d "$BASE" -c "CREATE DATABASE copied" -c "CREATE DATABASE raw" -c "CREATE DATABASE ingested" -c "CREATE DATABASE rawfeed"

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
echo "== feed ingest: PostgreSQL vs psql \\copy of the same rows, beside SQLite ($FEED_SUBJECTS generated subjects)"
"$BIN" samples generate --subjects "$FEED_SUBJECTS" --seed 1 --out "$WORK/feeds" --bank-rows 0 --format json > "$WORK/feeds.json"
FEEDS="$WORK/feeds/commerce-0001-full.xml $WORK/feeds/tax-0001-full.xml $WORK/feeds/food-0001-full.xml"
"$BIN" db migrate --db "$(url ingested)" >/dev/null
"$BIN" db migrate --db "$(url rawfeed)" >/dev/null
timed() { local s e; s=$(date +%s.%N); "$@" > "$WORK/timed.out"; e=$(date +%s.%N); python3 -c "print($e - $s)"; }
SQLITE_S=$(timed "$BIN" ingest --db "$WORK/ingest.db" --format json $FEEDS)
RECORDS=$(python3 -c "import json; print(sum(json.loads(l)['read'] for l in open('$WORK/timed.out') if l.startswith('{')))")
PG_S=$(timed "$BIN" ingest --db "$(url ingested)" --audit-key "$WORK/ingest.audit.key" --format json $FEEDS)
: > "$WORK/feedload.sql"; FEEDROWS=0
for t in subject alias subject_name status_history relation record record_head list_entry penalty licence tax_grade feed reject name_variant parked; do
  "$PSQL" -X -q -d "$(url ingested)" -c "\\copy $t TO '$WORK/feed-$t.csv' CSV"
  FEEDROWS=$((FEEDROWS + $(wc -l < "$WORK/feed-$t.csv")))
  echo "\\copy $t FROM '$WORK/feed-$t.csv' CSV" >> "$WORK/feedload.sql"
done
COPY_S=$(timed "$PSQL" -X -q -v ON_ERROR_STOP=1 -d "$(url rawfeed)" -1 -f "$WORK/feedload.sql")
python3 - "$RECORDS" "$FEEDROWS" "$SQLITE_S" "$PG_S" "$COPY_S" <<'PY'
import sys
records, rows = int(sys.argv[1]), int(sys.argv[2])
sq, pg, cp = map(float, sys.argv[3:])
print(f"psql \\copy of the rows ingest wrote (baseline)  {rows:>9} rows     {cp:7.2f} s  {rows / cp:>9.0f} rows/s")
print(f"creditctl ingest into PostgreSQL              {records:>9} records  {pg:7.2f} s  {records / pg:>9.0f} records/s  ({rows / pg:.0f} rows/s, {pg / cp:.1f}x the \\copy)")
print(f"creditctl ingest into SQLite (same feeds)     {records:>9} records  {sq:7.2f} s  {records / sq:>9.0f} records/s  (PostgreSQL/SQLite {pg / sq:.2f}x)")
PY

echo "== rules on PostgreSQL: full evaluation of the shipped rules, PostgreSQL vs SQLite ($N subjects)"
SQLITE_RULES_S=$(timed "$BIN" rules activate rules --db "$DB" --author bench --format json)
SQLITE_EVALUATED=$(python3 -c "import json; print(json.loads(open('$WORK/timed.out').read())['summary']['subjectsEvaluated'])")
PG_RULES_S=$(timed "$BIN" rules activate rules --db "$(url copied)" --audit-key "$WORK/registry.audit.key" --author bench --format json)
PG_DECISIONS=$(python3 -c "import json; s=json.loads(open('$WORK/timed.out').read())['summary']; print(s['subjectsEvaluated'], s['decisions'])")
python3 - "$SQLITE_EVALUATED" "$SQLITE_RULES_S" "$PG_RULES_S" $PG_DECISIONS <<'PY'
import sys
sq_n, sq, pg, pg_n, pg_d = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print(f"rules activate on SQLite (baseline)         {sq_n:>10} subjects  {sq:7.2f} s  {sq_n / sq:>9.0f} subjects/s")
print(f"rules activate on PostgreSQL (1 txn)        {pg_n:>10} subjects  {pg:7.2f} s  {pg_n / pg:>9.0f} subjects/s  ({pg_d} decisions, {pg / sq:.1f}x SQLite)")
PY

echo "(machine: $(nproc) cores, shared; PostgreSQL $("$PSQL" --version | awk '{print $3}') on a Unix socket, fsync off)"
