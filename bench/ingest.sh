#!/usr/bin/env bash
# Ingest benchmark: a generated commerce feed of ~100,000 and ~1,000,000 records ingested by
# `creditctl ingest` (stream parse + XSD + validation + SQLite writes, parse and write on two
# threads), against the baseline measured in the same run: `xmllint --stream --schema` of the
# same file plus `sqlite3 .import` of the same records as CSV (what the ingest stored).
# Reports records/s, the ratio to the baseline and peak RSS (flat in feed size).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${BENCH_OUT:-/tmp/credit-bench-feeds}
SEED=${SEED:-42}
SIZES=${SIZES:-"66667 666667"}
mkdir -p "$OUT"
swift build -c release --product creditctl >/dev/null
BIN=$(swift build -c release --show-bin-path)/creditctl
XSD=Sources/CreditRegistry/Schemas/commerce-v1.xsd
TIME=/usr/bin/time
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing (apt-get install sqlite3)"; exit 1; }
command -v xmllint >/dev/null || { echo "xmllint is missing (apt-get install libxml2-utils)"; exit 1; }
[ -x "$TIME" ] || { echo "GNU time is missing (apt-get install time)"; exit 1; }

for SUBJECTS in $SIZES; do
  DIR="$OUT/n$SUBJECTS"
  mkdir -p "$DIR"
  [ -f "$DIR/commerce-0001-full.xml" ] || "$BIN" samples generate --subjects "$SUBJECTS" --seed "$SEED" --out "$DIR" >/dev/null
  FEED="$DIR/commerce-0001-full.xml"
  DB="$DIR/ingest.db"; rm -f "$DB" "$DB-wal" "$DB-shm"
  read -r IS IM < <("$TIME" -f "%e %M" "$BIN" ingest --db "$DB" --format json "$FEED" 2>&1 >"$DIR/report.json" | tail -1)
  RECORDS=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["read"])' "$DIR/report.json")
  read -r XS XM < <("$TIME" -f "%e %M" xmllint --stream --schema "$XSD" --noout "$FEED" 2>&1 >/dev/null | tail -1)
  sqlite3 -csv "$DB" "SELECT bureau, bureau_key, subject_code, kind, line, content_hash, payload FROM record" > "$DIR/records.csv"
  BASE="$DIR/baseline.db"; rm -f "$BASE"
  sqlite3 "$BASE" "CREATE TABLE record (bureau TEXT, bureau_key TEXT, subject_code TEXT, kind TEXT, line INTEGER, content_hash TEXT, payload TEXT, PRIMARY KEY (bureau, bureau_key))"
  read -r SS SM < <("$TIME" -f "%e %M" sqlite3 "$BASE" ".mode csv" ".import $DIR/records.csv record" 2>&1 | tail -1)
  python3 - "$RECORDS" "$IS" "$IM" "$XS" "$XM" "$SS" "$SM" <<'PY'
import sys
n = int(sys.argv[1]); i_s, i_m, x_s, x_m, s_s, s_m = map(float, sys.argv[2:])
base = x_s + s_s
print(f"records={n}")
print(f"  creditctl ingest            : {i_s:6.2f} s  {n/i_s:9.0f} rec/s  peak RSS {i_m/1024:6.1f} MiB")
print(f"  xmllint --stream --schema   : {x_s:6.2f} s  {n/x_s:9.0f} rec/s  peak RSS {x_m/1024:6.1f} MiB")
print(f"  sqlite3 .import (same rows) : {s_s:6.2f} s  {n/s_s:9.0f} rec/s")
print(f"  ratio ingest / (xmllint + import) = {i_s:.2f} / {base:.2f} = {i_s/base:.2f}x   (target <= 1.5x)")
PY
done
