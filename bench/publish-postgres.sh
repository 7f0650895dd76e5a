#!/usr/bin/env bash
# The open-data publication (`creditctl publish`) of one generated registry on SQLite (the
# baseline) and on its PostgreSQL copy, in the same run: wall time, CPU time and peak memory of
# the process, and a byte-for-byte comparison of the two publications.
#   bench/publish-postgres.sh [SUBJECTS]     default 200,000 subjects
#   (the registry is generated once into .bench-data/registry-SUBJECTS.db, see bench/lib.sh, and
#   copied for the run; CREDITCTL=path/to/creditctl uses that build instead of building a release
#   one; CREDITCTL_BEFORE=path also publishes from PostgreSQL with that build, alternating with
#   this one ROUNDS times (default 1), and prints both means)
#   e.g. CREDITCTL_BEFORE=/tmp/main-creditctl-14b014c ROUNDS=2 bench/publish-postgres.sh 200000
# A throw-away cluster is started in a temporary directory and stopped however the script ends.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-200000}"
ROUNDS="${ROUNDS:-1}"
source bench/lib.sh
bench_binary "${CREDITCTL:-}"
bench_workdir publish
PGDIR="$WORK/cluster"
URL=$(bench_pg_cluster 54333)

DB="$WORK/registry.db"
bench_copy "$(bench_registry "$N")" "$DB"
echo "== the shipped rules activated on a registry of $N subjects, copied to PostgreSQL" >&2
"$BIN" rules activate rules --db "$DB" >/dev/null 2>&1 || true
"$BIN" db copy --from "$DB" --to "$URL" >/dev/null
export CREDIT_AUDIT_KEY="$WORK/registry.audit.key"

measure() {   # label, binary, --db target, output directory
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$2" publish --db "$3" --out "$4" --as-of 2026-11-30 > "$WORK/out" 2>&1 \
    || { cat "$WORK/out" >&2; exit 1; }
  read -r wall user sys rss < "$WORK/time"
  printf "%-34s %8.2f s wall  %8.2f CPU-s  %7.0f MiB peak  %s\n" "$1" "$wall" "$(echo "$user + $sys" | bc)" "$(echo "$rss / 1024" | bc)" \
    "$(grep -o 'subjects: [0-9]* rows' "$WORK/out")"
  echo "$wall" >> "$WORK/$1.wall"
}
mean() { python3 -c "import sys; w = [float(l) for l in open(sys.argv[1])]; print(sum(w) / len(w))" "$WORK/$1.wall"; }
echo "== publish ($N subjects)"
measure "SQLite (baseline)" "$BIN" "$DB" "$WORK/open-sqlite"
for round in $(seq "$ROUNDS"); do
  # Each publication into a directory of its own (a second one into the same would be a delta).
  if [ -n "${CREDITCTL_BEFORE:-}" ]; then
    measure "PostgreSQL, build before" "$CREDITCTL_BEFORE" "$URL" "$WORK/open-before-$round"
    rm -rf "$WORK/open-before-$round"
  fi
  rm -rf "$WORK/open-pg"
  measure "PostgreSQL" "$BIN" "$URL" "$WORK/open-pg"
done
BEFORE=0; [ -n "${CREDITCTL_BEFORE:-}" ] && BEFORE=$(mean "PostgreSQL, build before")
python3 - "$(mean "SQLite (baseline)")" "$(mean PostgreSQL)" "$BEFORE" "$ROUNDS" <<'PY'
import sys
s, p, b = map(float, sys.argv[1:4])
print(f"PostgreSQL / SQLite wall time: {p:.2f} / {s:.2f} = {p / s:.2f}x (PostgreSQL: mean of {sys.argv[4]})")
if b > 0:
    print(f"build before / this build on PostgreSQL: {b:.2f} / {p:.2f} = {b / p:.2f}x as fast")
PY
if diff -r "$WORK/open-sqlite" "$WORK/open-pg" >/dev/null; then echo "publications identical byte for byte"; else echo "PUBLICATIONS DIFFER"; exit 1; fi
echo "(machine: $(nproc) cores, shared; PostgreSQL on a Unix socket, fsync off)"
