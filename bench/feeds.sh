#!/usr/bin/env bash
# Feed reader benchmark: a generated commerce feed of ~1,000,000 records (and ~100,000), read by
# `xmllint --stream --schema` (the baseline) and by `creditctl samples read` (FeedReader: SAX
# push parser + XSD validation + records built into Swift values + SHA-256 of the file).
# Reports records/s, the ratio to xmllint, and peak RSS (VmHWM / `time -v`) for 100k vs 1M.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${BENCH_OUT:-/tmp/credit-bench-feeds}
SEED=${SEED:-42}
mkdir -p "$OUT"
swift build -c release --product creditctl >/dev/null
BIN=$(swift build -c release --show-bin-path)/creditctl
XSD=Sources/FeedIngest/Schemas/commerce-v1.xsd
TIME=/usr/bin/time
[ -x "$TIME" ] || TIME=""

peak() { # prints "seconds maxrss_kib" of a command (needs GNU time), output discarded
  if [ -n "$TIME" ]; then
    "$TIME" -f "%e %M" "$@" 2>&1 >/dev/null | tail -1
  else
    local s=$(date +%s.%N); "$@" >/dev/null 2>&1; echo "$(echo "$(date +%s.%N) - $s" | bc) 0"
  fi
}

for SUBJECTS in 66667 666667; do
  DIR="$OUT/n$SUBJECTS"
  mkdir -p "$DIR"
  if [ ! -f "$DIR/commerce-0001-full.xml" ]; then
    "$BIN" samples generate --subjects "$SUBJECTS" --seed "$SEED" --out "$DIR" >/dev/null
  fi
  FEED="$DIR/commerce-0001-full.xml"
  RECORDS=$("$BIN" samples read "$FEED" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["records"])')
  SIZE=$(stat -c %s "$FEED")
  read -r XS XM < <(peak xmllint --stream --schema "$XSD" --noout "$FEED")
  read -r CS CM < <(peak "$BIN" samples read "$FEED")
  python3 - "$RECORDS" "$SIZE" "$XS" "$XM" "$CS" "$CM" <<'PY'
import sys
n, size, xs, xm, cs, cm = int(sys.argv[1]), int(sys.argv[2]), *map(float, sys.argv[3:])
print(f"records={n} bytes={size} ({size/n:.0f} B/record)")
print(f"  xmllint --stream --schema : {xs:6.2f} s  {n/xs:9.0f} rec/s  peak RSS {xm/1024:6.1f} MiB")
print(f"  creditctl samples read    : {cs:6.2f} s  {n/cs:9.0f} rec/s  peak RSS {cm/1024:6.1f} MiB")
print(f"  ratio (FeedReader time / xmllint time): {cs/xs:.2f}x")
PY
done
