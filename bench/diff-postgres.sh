#!/usr/bin/env bash
# `creditctl rules diff` on PostgreSQL beside SQLite, same run, same registry: generated commerce,
# tax and food feeds for ORGANISATIONS organisations (plus their persons) ingested into SQLite,
# the shipped rules activated, the registry moved with `db copy` into a throw-away cluster, then
# the diff of a candidate without the A-grade memorandum run on SQLite (the baseline), on
# PostgreSQL with the default batch (4,096 subjects) and with batches of 512, and for context
# `rules refresh` on PostgreSQL (the same batched fact reading). Prints wall and CPU
# seconds and peak RSS of the creditctl process (PostgreSQL's own CPU is not counted), and
# whether each PostgreSQL diff printed the same bytes as SQLite's.
#   bench/diff-postgres.sh [ORGANISATIONS]   default 20,000 organisations (≈ 33,000 subjects)
# Peak RSS on PostgreSQL follows the batch, not the registry: run two sizes to see it stay flat.
# CREDITCTL=path runs that build (no build step); TODAY (default 2026-06-30) is the diff's day.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
N=${1:-20000}
export CREDITCTL_TODAY=${TODAY:-2026-06-30}
bench_binary "${CREDITCTL:-}"
bench_workdir diff
PGDIR="$WORK/cluster"
BASE=$(bench_pg_cluster 54332)

DB="$WORK/credit.db"
"$BIN" samples generate --subjects "$N" --seed 42 --out "$WORK/feeds" --bank-rows 0 --format json > /dev/null
"$BIN" ingest --db "$DB" --format json "$WORK/feeds/commerce-0001-full.xml" "$WORK/feeds/tax-0001-full.xml" "$WORK/feeds/food-0001-full.xml" > /dev/null 2>&1
"$BIN" rules activate rules --db "$DB" --author bench --format json > /dev/null
"$BIN" db copy --from "$DB" --to "$BASE" --format json > /dev/null
SUBJECTS=$(sqlite3 "$DB" "SELECT COUNT(*) FROM subject")
cp -r rules "$WORK/candidate"; rm "$WORK/candidate/a_grade_taxpayer_2016_1467.rules"
echo "registry: $SUBJECTS subjects; candidate: the shipped rules without the A-grade memorandum"

run() {   # run NAME ARGS...: prints "NAME wall cpu rss"
  local name=$1; shift
  /usr/bin/time -o "$WORK/$name.time" -f "%e %M %U %S" "$BIN" rules diff --rules "$WORK/candidate" --format json "$@" > "$WORK/$name.json"
  read -r wall rss user sys < "$WORK/$name.time"
  python3 -c "print(f'$name: wall {$wall:.2f} s, CPU {$user + $sys:.2f} s, peak RSS {$rss // 1024} MiB')"
}
run sqlite --db "$DB"
run postgres --db "$BASE" --audit-key "$WORK/credit.audit.key"
run postgres-512 --db "$BASE" --audit-key "$WORK/credit.audit.key" --batch-size 512
# Context: a refresh on PostgreSQL reads the facts the same way (and writes every decision).
/usr/bin/time -o "$WORK/refresh.time" -f "%e %M %U %S" "$BIN" rules refresh --db "$BASE" --audit-key "$WORK/credit.audit.key" --format json > /dev/null
read -r wall rss user sys < "$WORK/refresh.time"
python3 -c "print(f'postgres refresh (context): wall {$wall:.2f} s, CPU {$user + $sys:.2f} s, peak RSS {$rss // 1024} MiB')"
for name in postgres postgres-512; do
  if cmp -s "$WORK/sqlite.json" "$WORK/$name.json"; then echo "$name: the same bytes as SQLite"; else echo "$name: DIFFERS from SQLite"; exit 1; fi
done
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
d = json.load(open(f"{w}/sqlite.json"))
t = {}
for n in ("sqlite", "postgres"):
    wall, rss, u, s = open(f"{w}/{n}.time").read().split()
    t[n] = float(wall)
print(f"changes: {len(d['changes'])} of {d['subjectsEvaluated']} subjects; PostgreSQL / SQLite wall: {t['postgres'] / t['sqlite']:.1f}x")
PY
