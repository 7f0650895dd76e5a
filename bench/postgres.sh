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
#   - batch check of CHECK_ROWS rows (`creditctl check`, random subjects of the registry) on
#     PostgreSQL beside SQLite: wall time, CPU time and peak memory of the process, and the
#     verdict files compared byte for byte (with CREDITCTL_BEFORE, that build's check on
#     PostgreSQL too, alternating with this one ROUNDS times);
#   - HTTP measures look-ups/s (wrk, random subjects, DURATION s each): one `serve` on the SQLite
#     registry, one on PostgreSQL, then two on the same PostgreSQL database (a wrk on each, at once);
#   - `creditctl rules activate rules` (every subject evaluated, decisions written in one
#     transaction) on the PostgreSQL copy vs the same on the SQLite registry.
# A throw-away cluster is started in a temporary directory and stopped however the script ends.
#   bench/postgres.sh [SUBJECTS] [LOOKUPS] [FEED_SUBJECTS] [CHECK_ROWS]
#   defaults: 200,000 subjects, 5,000 look-ups, feeds of 20,000 subjects (about 60,000 records),
#   a batch of 1,000,000 rows
#   (the registry is generated once into .bench-data/registry-SUBJECTS.db, see bench/lib.sh, and
#   copied for the run; CREDITCTL=path/to/creditctl uses that build instead of building a release one; DURATION,
#   default 10, the seconds of each HTTP run; SKIP_INGEST=1 leaves the ingest part out; INGEST_ONLY=1
#   runs the ingest part alone (no registry is generated: SUBJECTS, LOOKUPS and CHECK_ROWS are unused);
#   CHECK_ONLY=1 runs the batch check part alone (the registry copied to PostgreSQL, then the checks);
#   CREDITCTL_BEFORE=path also ingests the same feeds and checks the same file with that build,
#   alternating with this one, ROUNDS times (default 1), and prints both means)
#   e.g. CHECK_ONLY=1 CREDITCTL_BEFORE=/tmp/main-creditctl-14b014c bench/postgres.sh 1000000 0 0 1000000
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-200000}"
LOOKUPS="${2:-5000}"
FEED_SUBJECTS="${3:-20000}"
CHECK_ROWS="${4:-1000000}"
DURATION="${DURATION:-10}"
ROUNDS="${ROUNDS:-1}"
source bench/lib.sh
if [ -n "${CREDITCTL:-}" ]; then BIN=$CREDITCTL; else   # CREDITCTL=path compares another build
  swift build -c release --product creditctl >/dev/null
  BIN=$(swift build -c release --show-bin-path)/creditctl
fi
WORK=$(mktemp -d /tmp/bench-pg.XXXXXX)
chmod 755 "$WORK"   # the cluster runs as postgres when this runs as root
PGDIR="$WORK/cluster"
# Servers first (they hold connections), then the cluster.
trap 'for pid in "${BENCH_CHILDREN[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
      bench_stop; bash scripts/pg-cluster stop "$PGDIR"; rm -rf "$WORK"' EXIT
BASE=$(bash scripts/pg-cluster start "$PGDIR" 54331)
PSQL=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/psql
url() { echo "${BASE/\/postgres\?//$1?}"; }
ingest_part() {
echo "== feed ingest: PostgreSQL vs psql \\copy of the same rows, beside SQLite ($FEED_SUBJECTS generated subjects)"
"$BIN" samples generate --subjects "$FEED_SUBJECTS" --seed 1 --out "$WORK/feeds" --bank-rows 0 --format json > "$WORK/feeds.json"
FEEDS="$WORK/feeds/commerce-0001-full.xml $WORK/feeds/tax-0001-full.xml $WORK/feeds/food-0001-full.xml"
"$BIN" db migrate --db "$(url rawfeed)" >/dev/null
SQLITE_S=$(timed "$BIN" ingest --db "$WORK/ingest.db" --format json $FEEDS)
RECORDS=$(python3 -c "import json; print(sum(json.loads(l)['read'] for l in open('$WORK/timed.out') if l.startswith('{')))")
# Each round ingests the feeds into a fresh database, the build before first when CREDITCTL_BEFORE names one.
PG_S=0; BEFORE_S=0
for round in $(seq "$ROUNDS"); do
  if [ -n "${CREDITCTL_BEFORE:-}" ]; then
    "$PSQL" -X -q -d "$BASE" -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS before" -c "CREATE DATABASE before"
    "$CREDITCTL_BEFORE" db migrate --db "$(url before)" >/dev/null
    s=$(timed "$CREDITCTL_BEFORE" ingest --db "$(url before)" --audit-key "$WORK/before.audit.key" --format json $FEEDS)
    echo "  round $round: build before $s s" >&2
    BEFORE_S=$(python3 -c "print($BEFORE_S + $s)")
  fi
  "$PSQL" -X -q -d "$BASE" -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS ingested" -c "CREATE DATABASE ingested"
  "$BIN" db migrate --db "$(url ingested)" >/dev/null
  s=$(timed "$BIN" ingest --db "$(url ingested)" --audit-key "$WORK/ingest.audit.key" --format json $FEEDS)
  echo "  round $round: this build $s s" >&2
  PG_S=$(python3 -c "print($PG_S + $s)")
done
PG_S=$(python3 -c "print($PG_S / $ROUNDS)"); BEFORE_S=$(python3 -c "print($BEFORE_S / $ROUNDS)")
: > "$WORK/feedload.sql"; FEEDROWS=0
for t in subject alias subject_name status_history relation record record_head list_entry penalty licence tax_grade feed reject name_variant parked; do
  "$PSQL" -X -q -d "$(url ingested)" -c "\\copy $t TO '$WORK/feed-$t.csv' CSV"
  FEEDROWS=$((FEEDROWS + $(wc -l < "$WORK/feed-$t.csv")))
  echo "\\copy $t FROM '$WORK/feed-$t.csv' CSV" >> "$WORK/feedload.sql"
done
COPY_S=$(timed "$PSQL" -X -q -v ON_ERROR_STOP=1 -d "$(url rawfeed)" -1 -f "$WORK/feedload.sql")
python3 - "$RECORDS" "$FEEDROWS" "$SQLITE_S" "$PG_S" "$COPY_S" "$BEFORE_S" "$ROUNDS" <<'PY'
import sys
records, rows = int(sys.argv[1]), int(sys.argv[2])
sq, pg, cp, before = map(float, sys.argv[3:7])
rounds = int(sys.argv[7])
print(f"psql \\copy of the rows ingest wrote (baseline)  {rows:>9} rows     {cp:7.2f} s  {rows / cp:>9.0f} rows/s")
print(f"creditctl ingest into PostgreSQL              {records:>9} records  {pg:7.2f} s  {records / pg:>9.0f} records/s  ({rows / pg:.0f} rows/s, {pg / cp:.1f}x the \\copy; mean of {rounds})")
if before > 0:
    print(f"  the build before (CREDITCTL_BEFORE)         {records:>9} records  {before:7.2f} s  {records / before:>9.0f} records/s  (this build {before / pg:.2f}x as fast)")
print(f"creditctl ingest into SQLite (same feeds)     {records:>9} records  {sq:7.2f} s  {records / sq:>9.0f} records/s  (PostgreSQL/SQLite {pg / sq:.2f}x)")
PY
}
timed() { local s e; s=$(date +%s.%N); "$@" > "$WORK/timed.out"; e=$(date +%s.%N); python3 -c "print($e - $s)"; }
if [ "${INGEST_ONLY:-}" = 1 ]; then
  "$PSQL" -X -q -d "$BASE" -c "CREATE DATABASE rawfeed"
  ingest_part
  echo "(machine: $(nproc) cores, shared; PostgreSQL $("$PSQL" --version | awk '{print $3}') on a Unix socket, fsync off)"
  exit 0
fi
"$PSQL" -X -q -d "$BASE" -c "CREATE DATABASE copied" -c "CREATE DATABASE raw" -c "CREATE DATABASE rawfeed"

DB="$WORK/registry.db"
bench_copy "$(bench_registry "$N")" "$DB"
# An officer's token for the HTTP look-ups, in the registry before it is copied (both backends know it).
TOKEN=$("$BIN" users add bench-officer --role officer --department sat --db "$DB" 2>/dev/null)

echo "== db copy vs psql \\copy ($N subjects)"
start=$(date +%s.%N)
"$BIN" db copy --from "$DB" --to "$(url copied)" --format json > "$WORK/copy.json"
end=$(date +%s.%N)
if [ "${CHECK_ONLY:-}" != 1 ]; then
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
if [ "${SKIP_INGEST:-}" != 1 ]; then ingest_part; fi
fi

echo "== batch check of $CHECK_ROWS rows, SQLite vs PostgreSQL ($N subjects)"
python3 - "$CHECK_ROWS" "$WORK/check.csv" <<PY
import random, sqlite3, sys
rows, out = int(sys.argv[1]), sys.argv[2]
db = sqlite3.connect("file:$DB?mode=ro", uri=True)
subjects = db.execute("SELECT code, name FROM subject").fetchall()
rnd = random.Random(1)
with open(out, "w") as f:
    f.write("code,name\n")
    for i in range(rows):
        code, name = subjects[rnd.randrange(len(subjects))]
        f.write(f"{code},{name if i % 10 else '某某有限公司'}\n")
PY
checked() {   # checked LABEL BINARY creditctl-args...: wall s, CPU s, peak RSS MiB
  local label=$1 bin=$2; shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/check.time" "$bin" check "$WORK/check.csv" --format csv "$@" > "$WORK/check-$label.csv" 2>"$WORK/check-$label.err"
  read -r wall user sys rss < "$WORK/check.time"
  python3 -c "print(f'  {\"$label\":<34} {$wall:7.2f} s  CPU {$user + $sys:6.2f} s  peak {$rss / 1024:6.0f} MiB  {$CHECK_ROWS / $wall:>9.0f} rows/s')"
  echo "$wall" >> "$WORK/check-$label.wall"
}
wall() { python3 -c "import sys; w = [float(l) for l in open(sys.argv[1])]; print(sum(w) / len(w))" "$WORK/check-$1.wall"; }
checked "SQLite (baseline)" "$BIN" --db "$DB"
for round in $(seq "$ROUNDS"); do
  if [ -n "${CREDITCTL_BEFORE:-}" ]; then
    checked "PostgreSQL, build before" "$CREDITCTL_BEFORE" --db "$(url copied)" --audit-key "$WORK/registry.audit.key"
  fi
  checked "PostgreSQL" "$BIN" --db "$(url copied)" --audit-key "$WORK/registry.audit.key"
done
cmp -s "$WORK/check-SQLite (baseline).csv" "$WORK/check-PostgreSQL.csv" && same="identical" || same="DIFFERENT"
python3 -c "print(f'  PostgreSQL/SQLite {$(wall PostgreSQL):.2f} / {$(wall "SQLite (baseline)"):.2f} = {$(wall PostgreSQL) / $(wall "SQLite (baseline)"):.2f}x; verdict files $same')"
if [ -n "${CREDITCTL_BEFORE:-}" ]; then
  python3 -c "print(f'  build before/this build on PostgreSQL {$(wall "PostgreSQL, build before"):.2f} / {$(wall PostgreSQL):.2f} = {$(wall "PostgreSQL, build before") / $(wall PostgreSQL):.2f}x as fast (mean of $ROUNDS)')"
fi
if [ "${CHECK_ONLY:-}" = 1 ]; then
  echo "(machine: $(nproc) cores, shared; PostgreSQL $("$PSQL" --version | awk '{print $3}') on a Unix socket, fsync off)"
  exit 0
fi

echo "== HTTP look-ups/s: one server on SQLite, one and two on one PostgreSQL database (wrk, ${DURATION} s each)"
bench_require wrk curl
sqlite3 "$DB" "SELECT code FROM subject ORDER BY random() LIMIT 20000" > "$WORK/http-codes.txt"
cat > "$WORK/random-subject.lua" <<'LUA'
local codes = {}
local counter = 0
function setup(thread) counter = counter + 1; thread:set("seed", counter) end
function init(args)
  for line in io.lines(args[1]) do codes[#codes + 1] = line end
  math.randomseed(os.time() * 1000 + (seed or 0))
end
function request() return wrk.format(nil, "/v1/subjects/" .. codes[math.random(#codes)] .. "/measures") end
LUA
lookups() {   # lookups NAME PORT: wrk on one server
  wrk -t2 -c16 -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" -s "$WORK/random-subject.lua" \
    "http://127.0.0.1:$2" -- "$WORK/http-codes.txt" > "$WORK/$1.wrk"
}
serve_one() {   # serve_one DB PORT [args]: a server kept until the end (bench_serve sets BASE: the cluster's is kept)
  local cluster=$BASE http
  bench_serve "$@"; bench_child "$SERVER"; SERVER=""
  http=$BASE; BASE=$cluster
  local s; s=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$http/v1/subjects/$(head -1 "$WORK/http-codes.txt")/measures")
  [ "$s" = 200 ] || { echo "a look-up on $http answered $s" >&2; exit 1; }
}
cp "$DB" "$WORK/http.db"; cp "$WORK/registry.audit.key" "$WORK/http.audit.key"; cp "$WORK/registry.audit.db" "$WORK/http.audit.db" 2>/dev/null || true
serve_one "$WORK/http.db" 18131
lookups sqlite 18131
serve_one "$(url copied)" 18132 --audit-key "$WORK/registry.audit.key"
lookups pg-one 18132
serve_one "$(url copied)" 18133 --audit-key "$WORK/registry.audit.key"
lookups pg-a 18132 & A=$!
lookups pg-b 18133 & B=$!
wait $A $B
rps() { wrk_rps "$WORK/$1.wrk"; }
errors=$(( $(wrk_errors "$WORK/sqlite.wrk") + $(wrk_errors "$WORK/pg-one.wrk") + $(wrk_errors "$WORK/pg-a.wrk") + $(wrk_errors "$WORK/pg-b.wrk") ))
python3 - "$(rps sqlite)" "$(wrk_p99_ms "$WORK/sqlite.wrk")" "$(rps pg-one)" "$(wrk_p99_ms "$WORK/pg-one.wrk")" \
  "$(rps pg-a)" "$(rps pg-b)" "$(wrk_p99_ms "$WORK/pg-a.wrk")" "$(wrk_p99_ms "$WORK/pg-b.wrk")" "$errors" <<'PY'
import sys
sq, sq99, one, one99, a, b, a99, b99, errors = sys.argv[1:]
sq, one, a, b = map(float, (sq, one, a, b))
print(f"  one server, SQLite (baseline)          {sq:>9.0f} req/s  p99 {sq99} ms")
print(f"  one server, PostgreSQL                 {one:>9.0f} req/s  p99 {one99} ms  ({one / sq:.2f}x SQLite)")
print(f"  two servers, one PostgreSQL database   {a + b:>9.0f} req/s  p99 {a99} / {b99} ms  ({(a + b) / one:.2f}x one server)")
print(f"  errors (socket and non-2xx): {errors}")
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
