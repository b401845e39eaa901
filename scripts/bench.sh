#!/usr/bin/env bash
# Issue 6: one command for the benchmarks. Builds what it needs, runs the JMH benchmarks (cache mixes at 1 and
# 2 threads, JNI floors), the heap story, the loader and plugin timings, and prints the ratio tables.
#
#   scripts/bench.sh
#
# Environment (all optional):
#   JMH_OPTS       JMH run settings             (default: -f 1 -wi 2 -i 3 -w 1s -r 1s)
#   BENCH_THREADS  thread counts for the cache  (default: "1 2")
#   CACHE_PARAMS   extra JMH -p filters, e.g. "-p valueSize=512 -p impl=native-bytes,caffeine"
#   BENCH_PARTS    which parts                  (default: "build floor cache heap loader plugin report")
#   BENCH_OUT      results directory            (default: sark-benchmarks/target/bench-results)
#   BENCH_BUILD    "reactor" (mvn -pl sark-benchmarks -am, default) or "module" (upstream from ~/.m2)
#   HEAP_ENTRIES, HEAP_VALUE, HEAP_XMX, LOADER_RUNS, PLUGIN_RUNS: see the scripts they feed
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH="$ROOT/sark-benchmarks"
OUT=${BENCH_OUT:-$BENCH/target/bench-results}
JMH_OPTS=${JMH_OPTS:--f 1 -wi 2 -i 3 -w 1s -r 1s}
THREADS=${BENCH_THREADS:-1 2}
PARTS=${BENCH_PARTS:-build floor cache heap loader plugin report}
JAR="$BENCH/target/benchmarks.jar"
mkdir -p "$OUT"
has() { [[ " $PARTS " == *" $1 "* ]]; }
say() { echo "== $*" >&2; }

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
if has cache; then
  for t in $THREADS; do
    say "JMH cache, $t thread(s)"
    # shellcheck disable=SC2086
    jmh 'dev.sark.bench.CacheBenchmark' $JMH_OPTS ${CACHE_PARAMS:-} -t "$t" -rf json -rff "$OUT/cache-t$t.json" > "$OUT/cache-t$t.log"
  done
fi
if has heap; then
  say "heap story"
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
echo "loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
if has report; then
  python3 "$ROOT/scripts/bench_report.py" "$OUT" | tee "$OUT/report.md"
fi
