# Shared parts of the HTTP benchmarks (sourced, not run): the binary, the generated registry
# (cached between runs), an account token, the server's start and stop, and reading wrk reports.
#
#   source bench/lib.sh
#   bench_require wrk curl sqlite3
#   bench_binary "${1:-}"                      # sets BIN (release build of this checkout by default)
#   bench_workdir http                         # sets WORK (removed on exit) and installs the cleanup trap
#   REGISTRY=$(bench_registry 1000000)         # generated once into $BENCH_DIR, reused while its size matches
#   TOKEN=$(bench_token "$DB" bench-officer officer sat)
#   bench_serve "$DB" 18099                    # sets SERVER and BASE; stopped on exit, whatever happens
#
# Environment: BENCH_DIR (cache of generated registries; default .bench-data in the checkout,
# ignored by git).

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-$BENCH_ROOT/.bench-data}
SERVER=""
WORK=""
PGDIR=""
BENCH_CHILDREN=()

bench_require() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install $tool)" >&2; exit 1; }
  done
}

# BIN: the given binary, or the release build of this checkout.
bench_binary() {
  if [ -n "${1:-}" ]; then
    BIN=$(realpath "$1")
  else
    (cd "$BENCH_ROOT" && swift build -c release --product creditctl >/dev/null)
    BIN=$(cd "$BENCH_ROOT" && swift build -c release --show-bin-path)/creditctl
  fi
  [ -x "$BIN" ] || { echo "not an executable: $BIN" >&2; exit 1; }
}

# Stops what the benchmark started (the server, any child registered with bench_child) and
# removes its work directory: on exit, on error and on interruption.
bench_cleanup() {
  local pid
  for pid in "${BENCH_CHILDREN[@]}"; do kill "$pid" 2>/dev/null || true; done
  bench_stop
  [ -z "$PGDIR" ] || bash "$BENCH_ROOT/scripts/pg-cluster" stop "$PGDIR" >/dev/null 2>&1 || true
  [ -n "$WORK" ] && rm -rf "$WORK"
  return 0
}

# WORK: a fresh directory for this run; installs the cleanup trap.
bench_workdir() {
  WORK=$(mktemp -d "/tmp/bench-$1.XXXXXX")
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

# Prints the URL of a throw-away PostgreSQL cluster started in $WORK/cluster on port $1 (after
# bench_workdir). The caller sets PGDIR="$WORK/cluster" first: this runs in the subshell of
# `URL=$(…)`, and the cleanup stops the cluster PGDIR names, after the servers.
bench_pg_cluster() {
  chmod 755 "$WORK"   # the cluster runs as postgres when this runs as root
  bash "$BENCH_ROOT/scripts/pg-cluster" start "$WORK/cluster" "$1"
}

# Registers a background process to be killed on exit.
bench_child() { BENCH_CHILDREN+=("$1"); }

# Prints the path of a generated registry of N subjects (`creditctl subject bench build`: valid
# codes, names, ~3 % with measures), generated once into BENCH_DIR and reused while its size
# marker matches. Benchmarks work on a copy (bench_copy): serving audits into files beside it.
bench_registry() {
  local n=$1 db="$BENCH_DIR/registry-$1.db"
  mkdir -p "$BENCH_DIR"
  if [ "$(cat "$db.size" 2>/dev/null || true)" != "$n" ] || [ ! -f "$db" ]; then
    echo "generating a registry of $n subjects at $db (once; reused by later runs)" >&2
    "$BIN" subject bench build --db "$db" --subjects "$n" >&2
  fi
  echo "$db"
}

# Copies registry $1 to $2 (the copy is served and audited; the cache stays pristine).
bench_copy() { cp "$1" "$2"; rm -f "$2-wal" "$2-shm"; }

# Creates an account in registry $1 (name $2, role $3, department $4 for officers) and prints
# its token (`creditctl users add` shows it once).
bench_token() {
  local args=(users add "$2" --role "$3" --db "$1")
  [ -n "${4:-}" ] && args+=(--department "$4")
  "$BIN" "${args[@]}" 2>/dev/null
}

# Starts `creditctl serve` on registry $1 at 127.0.0.1:$2 (its log in $WORK/serve.log) and
# waits until /health answers; SERVER is its pid, BASE its address. Extra arguments go to serve.
bench_serve() {
  local db=$1 port=$2; shift 2
  BASE="http://127.0.0.1:$port"
  if curl -s -o /dev/null "$BASE/health"; then echo "port $port is in use (PORT=...)" >&2; exit 1; fi
  "$BIN" serve --db "$db" --host 127.0.0.1 --port "$port" "$@" 2>"$WORK/serve.log" &
  SERVER=$!
  for _ in $(seq 1 240); do
    curl -sf -o /dev/null "$BASE/health" && return 0
    kill -0 "$SERVER" 2>/dev/null || { echo "the server exited:" >&2; cat "$WORK/serve.log" >&2; SERVER=""; exit 1; }
    sleep 0.25
  done
  echo "the server did not answer /health within 60 s" >&2
  exit 1
}

# Stops the server (SIGTERM: it drains and checkpoints its audit log) and waits for it.
bench_stop() {
  [ -n "$SERVER" ] || return 0
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  SERVER=""
}

# Reading a wrk report (`wrk --latency`) in file $1.
wrk_rps() { awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$1"; }
# Latency percentile $2 (50, 90, 99) in ms.
wrk_ms() { awk -v q="$2%" '$1 == q { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
             m = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : -1
             printf "%.2f", v * m }' "$1"; }
wrk_p99_ms() { wrk_ms "$1" 99; }
# Socket errors (connect, read, write, timeout) and non-2xx/3xx answers.
wrk_socket_errors() { awk '/Socket errors/ { gsub(/,/, ""); s = $4 + $6 + $8 + $10 } END { print s + 0 }' "$1"; }
wrk_non2xx() { awk '/Non-2xx or 3xx/ { n = $5 } END { print n + 0 }' "$1"; }
wrk_errors() { echo $(( $(wrk_socket_errors "$1") + $(wrk_non2xx "$1") )); }
