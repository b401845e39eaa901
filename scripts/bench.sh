#!/usr/bin/env bash
# One command for the benchmarks. Builds what it needs, runs the JMH benchmarks (policy evaluation
# against regorus/opa-java-wasm/OPA over HTTP, cache mixes at 1 and 2 threads, JNI floors), the heap use, the
# loader and plugin timings, and prints the ratio tables.
#
#   scripts/bench.sh [PART...]      (default: BENCH_PARTS)
#
# The part `matrix` (not in the default set: about an hour) is scripts/bench-matrix.sh: the whole matrix
# built from two fresh clones through one sccache backed by Redis.
#
# Environment (all optional):
#   JMH_OPTS       JMH run settings             (default: -f 1 -wi 2 -i 3 -w 1s -r 1s)
#   BENCH_THREADS  thread counts (cache, policy) (default: "1 2")
#   CACHE_PARAMS   extra JMH -p filters, e.g. "-p valueSize=512 -p impl=native-bytes,caffeine"
#   CACHE_ROUNDS   rounds of the cache part (default: 3). Each round runs every thread count once; the report
#                  takes each configuration's median over the rounds. On a shared VM one JMH fork of a
#                  memory-bound reader moves by 30% or more from minute to minute (see docs/benchmarks.md)
#                  while an L2-resident one barely moves, so a single round's ratio is partly the hour's luck.
#   BENCH_PARTS    which parts                  (default: "build floor policy cache heap loader plugin sizes report")
#   POLICY_MODES   JMH modes of the policy part (default: "avgt,sample": ns/op, and p99 from sample mode)
#   POLICY_PARAMS  extra JMH -p filters for the policy part, e.g. "-p size=1024"
#   OPA_VERSION    OPA built from the Go module proxy when target/bin/opa is missing (default: v1.4.2)
#   OPA_ADDR       OPA server address, loopback only (default: 127.0.0.1:8181)
#   REGORUS_SECS   regorus-bench warm-up and measured seconds per workload (default: "2 3")
#   BENCH_OUT      results directory            (default: sark-benchmarks/target/bench-results)
#   BENCH_BUILD    "reactor" (mvn -pl sark-benchmarks -am, default) or "module" (upstream from ~/.m2)
#   HEAP_ENTRIES, HEAP_VALUE, HEAP_XMX, LOADER_RUNS, PLUGIN_RUNS: see the scripts they feed
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH="$ROOT/sark-benchmarks"
OUT=${BENCH_OUT:-$BENCH/target/bench-results}
JMH_OPTS=${JMH_OPTS:--f 1 -wi 2 -i 3 -w 1s -r 1s}
THREADS=${BENCH_THREADS:-1 2}
PARTS=${*:-${BENCH_PARTS:-build floor policy cache heap loader plugin sizes report}}
JAR="$BENCH/target/benchmarks.jar"
mkdir -p "$OUT"
has() { [[ " $PARTS " == *" $1 "* ]]; }
say() { echo "== $*" >&2; }

if has matrix; then
  say "matrix (scripts/bench-matrix.sh)"
  "$ROOT/scripts/bench-matrix.sh" | tee "$OUT/matrix.txt"
  [ "$(echo $PARTS)" = matrix ] && exit 0
fi

if has build; then
  say "build (mvn -Pbench package)"
  if [ "${BENCH_BUILD:-reactor}" = module ]; then
    (cd "$ROOT" && mvn -B -ntp -q -Pbench package -pl sark-benchmarks)
  else
    (cd "$ROOT" && mvn -B -ntp -q -Pbench package -pl sark-benchmarks -am -DskipTests -Dinvoker.skip)
  fi
  # The JNI floor library (a true no-op and copy-only echoes); the floor benchmarks need it.
  JH=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
  mkdir -p "$BENCH/target/native"
  gcc -O2 -shared -fPIC -I"$JH/include" -I"$JH/include/linux" -o "$BENCH/target/native/libjnifloor.so" "$BENCH/src/main/c/jnifloor.c"
fi
[ -f "$JAR" ] || { echo "no $JAR: run with BENCH_PARTS including build" >&2; exit 1; }

# JMH runs from the module directory (the floor benchmark finds target/native/libjnifloor.so there).
jmh() { (cd "$BENCH" && java -jar "$JAR" "$@"); }
{
  echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
  echo "nproc=$(nproc)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "jdk=$(java -version 2>&1 | sed -n 2p)"
  echo "rustc=$(rustc -V)"
  echo "jmh_opts=$JMH_OPTS"
  echo "loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/machine.txt"

if has floor; then
  say "JMH floors"
  # shellcheck disable=SC2086
  jmh 'dev.sark.bench.FloorBenchmark' $JMH_OPTS -t 1 -rf json -rff "$OUT/floor.json" > "$OUT/floor.log"
fi
if has policy; then
  # PolicyEngine against (a) regorus in Rust, (b) opa-java-wasm, (c) OPA over localhost HTTP, on
  # the same policies, data and inputs (src/main/resources/dev/sark/bench/policy) and query data.authz.allow.
  POLICY_DIR="$BENCH/src/main/resources/dev/sark/bench/policy"
  POLICY_MODES=${POLICY_MODES:-avgt,sample}
  OPA="$BENCH/target/bin/opa"
  OPA_ADDR=${OPA_ADDR:-127.0.0.1:8181}
  [[ "$OPA_ADDR" == 127.0.0.1:* ]] || { echo "OPA_ADDR must be 127.0.0.1:<port>, not $OPA_ADDR" >&2; exit 1; }
  if [ ! -x "$OPA" ]; then
    say "building OPA ${OPA_VERSION:-v1.4.2} from the Go module proxy (a few minutes)"
    GOBIN="$BENCH/target/bin" go install "github.com/open-policy-agent/opa@${OPA_VERSION:-v1.4.2}"
  fi
  echo "opa=$("$OPA" version | head -1)" >> "$OUT/machine.txt"
  say "policy: Wasm bundles (opa build -t wasm -e authz/allow)"
  mkdir -p "$BENCH/target/policy"
  for p in rbac abac; do
    "$OPA" build -t wasm -e authz/allow -o "$BENCH/target/policy/$p-bundle.tar.gz" "$POLICY_DIR/$p.rego"
    tar -xzf "$BENCH/target/policy/$p-bundle.tar.gz" -C "$BENCH/target/policy" /policy.wasm 2>/dev/null
    mv "$BENCH/target/policy/policy.wasm" "$BENCH/target/policy/$p.wasm"
  done

  say "policy: regorus in Rust (sark-benchmarks/regorus-bench)"
  RB_TARGET="$BENCH/target/regorus-bench"
  CARGO_TARGET_DIR="$RB_TARGET" cargo build -q --release --manifest-path "$BENCH/regorus-bench/Cargo.toml"
  # shellcheck disable=SC2086
  "$RB_TARGET/release/regorus-bench" "$POLICY_DIR" ${REGORUS_SECS:-2 3} "$(echo $THREADS | tr ' ' ',')" > "$OUT/regorus.txt"

  for t in $THREADS; do
    say "policy: JMH PolicyEngine and opa-java-wasm, $t thread(s)"
    # shellcheck disable=SC2086
    jmh 'dev.sark.bench.PolicyBenchmark.isAllowed|dev.sark.bench.OpaWasmBenchmark' $JMH_OPTS -bm "$POLICY_MODES" \
      ${POLICY_PARAMS:-} -t "$t" -rf json -rff "$OUT/policy-t$t.json" > "$OUT/policy-t$t.log"
  done

  # OPA's server, one policy at a time (both are package authz); always stopped, also on errors.
  OPA_PID=""
  stop_opa() { if [ -n "$OPA_PID" ]; then kill "$OPA_PID" 2>/dev/null || true; wait "$OPA_PID" 2>/dev/null || true; OPA_PID=""; fi; }
  trap stop_opa EXIT
  for p in rbac abac; do
    say "policy: OPA over HTTP ($OPA_ADDR), $p"
    "$OPA" run --server --addr "$OPA_ADDR" --log-level error "$POLICY_DIR/$p.rego" "$POLICY_DIR/$p.data.json" \
      > "$OUT/opa-server-$p.log" 2>&1 &
    OPA_PID=$!
    for _ in $(seq 1 100); do
      curl -fsS "http://$OPA_ADDR/health" > /dev/null 2>&1 && break
      kill -0 "$OPA_PID" 2>/dev/null || { echo "OPA did not start: see $OUT/opa-server-$p.log" >&2; exit 1; }
      sleep 0.1
    done
    for t in $THREADS; do
      # shellcheck disable=SC2086
      jmh 'dev.sark.bench.OpaHttpBenchmark' $JMH_OPTS -bm "$POLICY_MODES" -p policy="$p" ${POLICY_PARAMS:-} \
        -jvmArgsAppend "-Dsark.bench.opaUrl=http://$OPA_ADDR" -t "$t" -rf json -rff "$OUT/policy-http-$p-t$t.json" \
        > "$OUT/policy-http-$p-t$t.log"
    done
    stop_opa
  done
fi
if has cache; then
  ROUNDS=${CACHE_ROUNDS:-3}
  rm -f "$OUT"/cache-t*.json # no round of an earlier run may enter this run's medians
  for r in $(seq "$ROUNDS"); do
    for t in $THREADS; do
      say "JMH cache, $t thread(s), round $r of $ROUNDS"
      # shellcheck disable=SC2086
      jmh 'dev.sark.bench.CacheBenchmark' $JMH_OPTS ${CACHE_PARAMS:-} -t "$t" -rf json -rff "$OUT/cache-t$t-r$r.json" \
        > "$OUT/cache-t$t-r$r.log"
    done
  done
fi
if has heap; then
  say "heap use"
  BENCH_JAR="$JAR" "$ROOT/scripts/bench-heap.sh" "$OUT/heap.txt"
fi
if has loader; then
  say "loader"
  BENCH_JAR="$JAR" "$ROOT/scripts/bench-loader.sh" "$OUT/loader.txt"
fi
if has plugin; then
  say "plugin"
  "$ROOT/scripts/bench-plugin.sh" "$OUT/plugin.txt"
fi
if has sizes; then
  say "library sizes per target, release and size profile (two builds of the whole matrix)"
  "$ROOT/scripts/bench-sizes.sh" "$OUT/sizes.txt"
fi
echo "loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
if has report; then
  python3 "$ROOT/scripts/bench_report.py" "$OUT" | tee "$OUT/report.md"
fi
