#!/usr/bin/env bash
# Ingest benchmark: a generated commerce feed of ~100,000 and ~1,000,000 records ingested by
# `creditctl ingest` (stream parse + XSD + validation + SQLite writes, parse and write on two
# threads), against the baseline measured in the same run: `xmllint --stream --schema` of the
# same file plus `sqlite3 .import` of the same records as CSV (what the ingest stored).
# Reports records/s, the ratio to the baseline (wall time, and CPU time beside it: on a shared
# machine the CPU seconds survive others' load better) and peak RSS (flat in feed size).
# The all-rows baseline imports exactly the rows this build's ingest wrote (every registry table).
# With CREDITCTL_BEFORE=path (an earlier build), that build's ingest and its own all-rows baseline
# (the rows it writes) run on the same feed in the same run, alternately with this build's, so
# the two builds are compared each against the rows it writes.
#   bench/ingest.sh [ORGANISATIONS...]   default 666667 (≈ 1,000,000 commerce records);
#                                        e.g. bench/ingest.sh 133333 for ≈ 200,000 records
#   CREDITCTL_BEFORE=/tmp/creditctl-before bench/ingest.sh 133333
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${BENCH_OUT:-/tmp/credit-bench-feeds}
SEED=${SEED:-42}
SIZES=${*:-${SIZES:-666667}}
mkdir -p "$OUT"
# CREDITCTL=path runs that build of creditctl (no build step); otherwise the release build.
if [ -z "${CREDITCTL:-}" ]; then swift build -c release --product creditctl >/dev/null; fi
BIN=${CREDITCTL:-$(swift build -c release --show-bin-path)/creditctl}
XSD=Sources/FeedIngest/Schemas/commerce-v1.xsd
TIME=/usr/bin/time
TABLES="subject alias subject_name status_history relation record record_head name_variant list_entry penalty licence tax_grade name_gram name_gram_cut name_gram_offset"
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing (apt-get install sqlite3)"; exit 1; }
command -v xmllint >/dev/null || { echo "xmllint is missing (apt-get install libxml2-utils)"; exit 1; }
[ -x "$TIME" ] || { echo "GNU time is missing (apt-get install time)"; exit 1; }

for SUBJECTS in $SIZES; do
  DIR="$OUT/n$SUBJECTS"
  mkdir -p "$DIR"
  [ -f "$DIR/commerce-0001-full.xml" ] || "$BIN" samples generate --subjects "$SUBJECTS" --seed "$SEED" --out "$DIR" >/dev/null
  FEED="$DIR/commerce-0001-full.xml"
  read -r XS XM XC < <("$TIME" -f "%e %M %U %S" xmllint --stream --schema "$XSD" --noout "$FEED" 2>&1 >/dev/null | tail -1 | awk '{print $1, $2, $3 + $4}')
  echo "xmllint --stream --schema: ${XS} s wall, ${XC} CPU-s, peak RSS $((XM / 1024)) MiB"
  # One build: its ingest, then sqlite3 importing every row that ingest wrote (all registry
  # tables, same schema and indexes, the short-query index `name_gram` too, then the name index
  # built as the ingest does). Prints one line of figures per build.
  measure() {
    local LABEL=$1 CTL=$2 DB="$DIR/ingest-$1.db" ALL="$DIR/baseline-all-$1.db"
    rm -f "$DB" "$DB-wal" "$DB-shm" "$ALL"
    read -r IS IM IC < <("$TIME" -f "%e %M %U %S" "$CTL" ingest --db "$DB" --format json "$FEED" 2>&1 >"$DIR/report-$LABEL.json" | tail -1 | awk '{print $1, $2, $3 + $4}')
    RECORDS=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["read"])' "$DIR/report-$LABEL.json")
    python3 - "$DB" "$ALL" <<'PY'
import sqlite3, sys
src, dst = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
for (sql,) in src.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'name_fts%'"):
    dst.execute(sql)
dst.execute("CREATE VIRTUAL TABLE name_fts USING fts5(name, content='name_index', content_rowid='id', tokenize='trigram')")
for (sql,) in src.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"):
    dst.execute(sql)
dst.commit()
PY
    local ROWS=0 COUNTS="" T N
    for T in $TABLES; do
      sqlite3 -csv "$DB" "SELECT * FROM $T" > "$DIR/all-$LABEL-$T.csv"
      N=$(sqlite3 "$DB" "SELECT COUNT(*) FROM $T"); ROWS=$((ROWS + N)); COUNTS="$COUNTS $T=$N"
    done
    local IMPORT_SCRIPT="$DIR/import-all-$LABEL.sql"
    { echo "PRAGMA journal_mode = WAL;"; echo "BEGIN;"; for T in $TABLES; do echo ".import --csv $DIR/all-$LABEL-$T.csv $T"; done
      echo "INSERT INTO name_index (subject_code, name, former) SELECT subject_code, name, valid_to IS NOT NULL FROM subject_name;"
      echo "INSERT INTO name_fts(name_fts) VALUES ('rebuild');"; echo "COMMIT;"; } > "$IMPORT_SCRIPT"
    read -r AS AM AC < <("$TIME" -f "%e %M %U %S" sqlite3 "$ALL" < "$IMPORT_SCRIPT" 2>&1 >/dev/null | tail -1 | awk '{print $1, $2, $3 + $4}')
    rm -f "$DIR"/all-"$LABEL"-*.csv "$ALL" "$ALL-wal" "$ALL-shm"
    echo "$LABEL $RECORDS $IS $IM $IC $AS $AC $ROWS$COUNTS" >> "$RESULTS"
  }
  RESULTS="$DIR/results.txt"; : > "$RESULTS"
  if [ -n "${CREDITCTL_BEFORE:-}" ]; then measure before "$CREDITCTL_BEFORE"; fi
  measure after "$BIN"
  python3 - "$RESULTS" "$XS" "$XC" "$XM" <<'PY'
import sys
x_s, x_c, x_m = float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
runs = [line.split() for line in open(sys.argv[1]) if line.strip()]
for label, n, i_s, i_m, i_c, a_s, a_c, rows, *counts in runs:
    n, rows = int(n), int(rows); i_s, i_m, i_c, a_s, a_c = map(float, (i_s, i_m, i_c, a_s, a_c))
    name = {"before": "CREDITCTL_BEFORE", "after": "this build"}[label]
    print(f"{name}: records={n}, rows written in all tables {rows} ({rows/n:.2f} a record)")
    print(f"    {' '.join(counts)}")
    print(f"  creditctl ingest                      : {i_s:6.2f} s  {n/i_s:9.0f} rec/s  peak RSS {i_m/1024:6.1f} MiB")
    print(f"  xmllint --stream --schema             : {x_s:6.2f} s  {n/x_s:9.0f} rec/s  peak RSS {x_m/1024:6.1f} MiB")
    print(f"  sqlite3 .import, every row it wrote   : {a_s:6.2f} s  {rows/a_s:9.0f} rows/s (same schema, indexes, name index)")
    print(f"  ratio ingest / (xmllint + all-rows import) = {i_s:.2f} / {x_s + a_s:.2f} = {i_s/(x_s + a_s):.2f}x   (target <= 0.85x)")
    print(f"  CPU seconds (user + sys): ingest {i_c:.2f} (two threads), xmllint {x_c:.2f} + all-rows import {a_c:.2f} = {x_c + a_c:.2f}"
          f" -> {i_c/(x_c + a_c):.2f}x")
PY
done
