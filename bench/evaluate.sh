#!/usr/bin/env bash
# Rule evaluation over a real registry (release build): ingest generated commerce, tax and food
# feeds for SUBJECTS organisations (plus their persons), activate the shipped rules (full
# materialisation: read every subject's facts, evaluate, write decisions), then ingest a
# 10,000-record delta and measure the incremental re-evaluation it triggers. The baseline, in
# the same run: `creditctl rules bench --db` evaluating the same registry's subjects in memory
# (facts read first, evaluation alone timed, one core).
#   bench/evaluate.sh [ORGANISATIONS]   default 666,667 organisations (≈ 1.1 million subjects);
#                                       e.g. bench/evaluate.sh 133333 for ≈ 218,000 subjects
# TODAY (default 2026-06-30) is the evaluation day of both.
# CREDITCTL_BEFORE=path (optional) also activates the rules with that build of creditctl on a
# copy of the same registry, before and after this build's run (old, new, old), and prints its
# CPU seconds and whether it wrote the same decision rows (a digest of every row).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-666667}
export CREDITCTL_TODAY=${TODAY:-2026-06-30}
OUT=${BENCH_OUT:-/tmp/credit-bench-feeds}/n$N
mkdir -p "$OUT"
# CREDITCTL=path runs that build of creditctl (no build step); otherwise the release build.
if [ -z "${CREDITCTL:-}" ]; then swift build -c release --product creditctl >/dev/null; fi
BIN=${CREDITCTL:-$(swift build -c release --show-bin-path)/creditctl}
[ -f "$OUT/commerce-0001-full.xml" ] || "$BIN" samples generate --subjects "$N" --seed 42 --out "$OUT" >/dev/null
DB="$OUT/evaluate.db"; rm -f "$DB" "$DB-wal" "$DB-shm"
"$BIN" ingest --db "$DB" --format json "$OUT/commerce-0001-full.xml" "$OUT/tax-0001-full.xml" "$OUT/food-0001-full.xml" > "$OUT/evaluate-ingest.json"
SUBJECTS=$(sqlite3 "$DB" "SELECT COUNT(*) FROM subject")

# A delta of 10,000 new abnormal-operations entries for registered organisations.
python3 - "$OUT/commerce-0001-full.xml" "$OUT/commerce-delta-10k.xml" <<'PY'
import re, sys
src, dst = sys.argv[1], sys.argv[2]
codes = []
with open(src, encoding="utf-8") as f:
    for line in f:
        m = re.search(r"<code>(9[0-9A-Z]{17})</code>", line)
        if m and m.group(1) not in codes[-1:]:
            codes.append(m.group(1))
        if len(codes) >= 60000: break
codes = list(dict.fromkeys(codes))[::5][:10000]
with open(dst, "w", encoding="utf-8") as out:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="urn:credit-engine:feed:commerce:1" version="1.0">\n')
    out.write('  <header><bureau>commerce</bureau><feedId>BENCH-DELTA-10K</feedId><sequence>2</sequence>'
              '<generatedAt>2026-11-01T08:00:00+08:00</generatedAt><kind>delta</kind></header>\n')
    for i, c in enumerate(codes):
        out.write(f'  <abnormalEntry key="BENCH-AB-{i}" op="upsert"><code>{c}</code><name>基准测试企业</name><ground>1</ground>'
                  f'<reason>未按规定报送年度报告</reason><listedOn>2026-10-15</listedOn><authority>厦门市市场监督管理局</authority></abnormalEntry>\n')
    out.write('</feed>\n')
print(len(codes), file=sys.stderr)
PY

echo "registry: $SUBJECTS subjects"
digest() { sqlite3 -readonly "$1" "SELECT * FROM decision ORDER BY rowid" | md5sum | cut -c1-16; }
# The materialisation's own seconds (the activation's summary), without process start and commit.
msecs() { python3 -c 'import json, sys; print("%.2f" % json.load(open(sys.argv[1]))["summary"]["seconds"])' "$1"; }
before_run() {
    [ -n "${CREDITCTL_BEFORE:-}" ] || return 0
    [ -f "$OUT/evaluate-pristine.db" ] || cp "$DB" "$OUT/evaluate-pristine.db"
    cp "$OUT/evaluate-pristine.db" "$OUT/evaluate-before.db"
    /usr/bin/time -o "$OUT/activate-before.time" -f "%e %M %U %S" "$CREDITCTL_BEFORE" rules activate rules --db "$OUT/evaluate-before.db" \
        --author bench --format json > "$OUT/activate-before.json"
    read -r bw brss bu bs < "$OUT/activate-before.time"
    echo "before build ($1): materialisation $(msecs "$OUT/activate-before.json") s, activation wall $bw s (process), CPU $(python3 -c "print(f'{$bu + $bs:.1f}')") s, peak RSS $((brss / 1024)) MiB, decisions digest $(digest "$OUT/evaluate-before.db")"
    rm -f "$OUT/evaluate-before.db" "$OUT/evaluate-before.db-wal" "$OUT/evaluate-before.db-shm" "$OUT"/evaluate-before.audit.*
}
before_run "first"
/usr/bin/time -o "$OUT/activate.time" -f "%e %M %U %S" "$BIN" rules activate rules --db "$DB" --author bench --format json > "$OUT/activate.json"
[ -z "${CREDITCTL_BEFORE:-}" ] || echo "this build: materialisation $(msecs "$OUT/activate.json") s, activation wall $(cut -d' ' -f1 "$OUT/activate.time") s (process), decisions digest $(digest "$DB")"
before_run "again"
rm -f "$OUT/evaluate-pristine.db"
"$BIN" rules bench --db "$DB" --rules rules --as-of "$CREDITCTL_TODAY" > "$OUT/in-memory.txt"
python3 - "$OUT/activate.json" "$OUT/activate.time" "$OUT/in-memory.txt" <<'PY'
import json, re, sys
s = json.load(open(sys.argv[1]))["summary"]
wall, rss, user, system = map(float, open(sys.argv[2]).read().split()[-4:])
n, secs = s["subjectsEvaluated"], s["seconds"]
m = re.search(r"of (\d+) registry subjects on one core: ([\d.]+) s, ([\d.]+) µs/subject, (\d+) decisions, CPU ([\d.]+) s", open(sys.argv[3]).read())
base_n, base_s, base_us, base_cpu = int(m.group(1)), float(m.group(2)), float(m.group(3)), float(m.group(5))
print(f"full evaluation (read facts, evaluate, write decisions): {n} subjects in {secs:.1f} s = {secs/n*1e6:.2f} µs/subject; "
      f"{s['subjectsWithMeasures']} under measures, {s['decisions']} decisions; peak RSS {rss/1024:.0f} MiB, CPU {user + system:.1f} s")
print(f"in-memory evaluation, same {base_n} subjects, one core (baseline)  : {base_s:.1f} s = {base_us:.2f} µs/subject")
print(f"  ratio full / in-memory = {secs/n*1e6/base_us:.2f}x (reading and writing cost {max(0.0, secs/n*1e6 - base_us):.2f} µs/subject beside {base_us:.2f} µs evaluating)")
print(f"  CPU seconds: activation {user + system:.1f} (process, both threads) / in-memory evaluation {base_cpu:.1f} = {(user + system)/base_cpu:.2f}x")
print(f"  projection to 10,000,000 subjects: {10_000_000*secs/n:.0f} s (target 60 s)")
PY
"$BIN" ingest --db "$DB" --format json "$OUT/commerce-delta-10k.xml" > "$OUT/delta.json"
python3 - "$OUT/delta.json" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
feed = next(l for l in lines if "feed_id" in l); re = next(l["reevaluation"] for l in lines if "reevaluation" in l)
print(f"delta: {feed['read']} records ingested in {feed['seconds']:.2f} s; incremental re-evaluation of "
      f"{re['subjectsEvaluated']} subjects (touched and related) in {re['seconds']:.2f} s = {re['subjectsEvaluated']/re['seconds']:,.0f} subjects/s")
PY
