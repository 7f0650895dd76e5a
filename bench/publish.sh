#!/usr/bin/env bash
# Open-data publication benchmark (release build): `creditctl publish` of a generated registry
# against the baseline measured in the same run, a plain `sqlite3 -csv` export of the same rows
# (the subjects, penalties, licences and list entries the publisher reads, with their sources).
#   bench/publish.sh [SUBJECTS] [DB]     default 1,000,000 subjects in /tmp/bench-publish.db
# The registry is BenchData's (sorted USCCs, names, 2 % listed) plus 5 % with a penalty and 4 %
# with a licence; the shipped rules are activated (they decide the publicity periods). Two
# publications are made: the first (delta = everything added) and one a month later (delta
# against it). Reports time, rows read per second and peak RSS (GNU time -v) of each.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-1000000}"
DB="${2:-/tmp/bench-publish.db}"
OUT="${BENCH_OUT:-/tmp/bench-publish}"
TIME=/usr/bin/time
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing (apt-get install sqlite3)"; exit 1; }
[ -x "$TIME" ] || { echo "GNU time is missing (apt-get install time)"; exit 1; }
swift build -c release --product creditctl >/dev/null
BIN=$(swift build -c release --show-bin-path)/creditctl

"$BIN" subject bench public-facts --db "$DB" --subjects "$N"
if [ "$(sqlite3 "$DB" "SELECT COUNT(*) FROM ruleset WHERE active = 1")" = "0" ]; then
  "$BIN" rules activate rules --db "$DB" --author bench >/dev/null
fi
rm -rf "$OUT"; mkdir -p "$OUT/export"

# seconds and peak RSS (KiB) from GNU time -v output in $1
measure() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = (n == 3) ? t[1]*3600 + t[2]*60 + t[3] : t[1]*60 + t[2] }
                       /Maximum resident set size/ { m = $2 } END { print s, m }' "$1"; }

"$TIME" -v "$BIN" publish --db "$DB" --out "$OUT/data" --as-of 2026-11-01 >"$OUT/first.out" 2>"$OUT/first.time"
read -r P1S P1M < <(measure "$OUT/first.time")
"$TIME" -v "$BIN" publish --db "$DB" --out "$OUT/data" --as-of 2026-12-01 >"$OUT/second.out" 2>"$OUT/second.time"
read -r P2S P2M < <(measure "$OUT/second.time")

cat > "$OUT/export.sql" <<SQL
.headers on
.mode csv
.output $OUT/export/subjects.csv
SELECT s.code, s.kind, s.name, s.status, s.status_since, s.established_on, s.region, s.authority FROM subject s WHERE s.kind <> 'natural_person' ORDER BY s.code;
.output $OUT/export/penalties.csv
SELECT p.subject_code, p.record_key, p.document_number, p.decided_on, p.types, p.fine_micro_wan, p.severity, p.authority, p.publicity_end, p.repaired_on, p.revoked_on, p.record_id, r.bureau, r.document_number FROM penalty p LEFT JOIN record r ON r.id = p.record_id ORDER BY p.subject_code, p.record_key;
.output $OUT/export/licences.csv
SELECT l.subject_code, l.record_key, l.number, l.type, l.granted_on, l.valid_until, l.revoked_on, l.record_id, r.bureau, r.document_number FROM licence l LEFT JOIN record r ON r.id = l.record_id ORDER BY l.subject_code, l.record_key;
.output $OUT/export/lists.csv
SELECT e.subject_code, e.entry_key, e.list, e.entered_on, e.exited_on, e.ground, e.authority, e.entry_record, r.bureau, r.document_number FROM list_entry e LEFT JOIN record r ON r.id = e.entry_record ORDER BY e.subject_code;
SQL
"$TIME" -v sqlite3 "$DB" < "$OUT/export.sql" 2>"$OUT/export.time" >/dev/null
read -r ES EM < <(measure "$OUT/export.time")
ROWS=0; for f in "$OUT"/export/*.csv; do ROWS=$((ROWS + $(wc -l < "$f") - 1)); done
PUBLISHED=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(sum(c["snapshot"] for c in m["counts"].values()))' "$OUT/data/2026-12-01/manifest.json")
DELTA=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(sum(c["added"]+c["changed"]+c["withdrawn"] for c in m["counts"].values()))' "$OUT/data/2026-12-01/manifest.json")
BYTES=$(du -sb "$OUT/data/2026-12-01" | cut -f1); EBYTES=$(du -sb "$OUT/export" | cut -f1)
python3 - "$N" "$ROWS" "$PUBLISHED" "$DELTA" "$P1S" "$P1M" "$P2S" "$P2M" "$ES" "$EM" "$BYTES" "$EBYTES" <<'PY'
import sys
n, rows, published, delta = map(int, sys.argv[1:5]); p1s, p1m, p2s, p2m, es, em = map(float, sys.argv[5:11]); b, eb = map(int, sys.argv[11:13])
print(f"subjects={n}  rows read={rows} (subjects, penalties, licences, list entries)  rows published 2026-12-01={published}, delta rows={delta}")
print(f"  creditctl publish, first (all added)      : {p1s:7.2f} s  {rows/p1s:9.0f} rows read/s  peak RSS {p1m/1024:7.1f} MiB")
print(f"  creditctl publish, a month later (delta)  : {p2s:7.2f} s  {rows/p2s:9.0f} rows read/s  peak RSS {p2m/1024:7.1f} MiB  ({b/1048576:.0f} MiB written: CSV + JSONL, snapshot + delta)")
print(f"  sqlite3 -csv export of the same rows      : {es:7.2f} s  {rows/es:9.0f} rows read/s  peak RSS {em/1024:7.1f} MiB  ({eb/1048576:.0f} MiB written: one CSV)")
print(f"  ratio publish / export = {p2s:.2f} / {es:.2f} = {p2s/es:.2f}x")
PY
