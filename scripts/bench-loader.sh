#!/usr/bin/env bash
# Loading sark_cache in fresh JVMs. Per run: a new empty cache dir (first load: extraction),
# the same dir again (second JVM: the extracted file is reused), and System.load of that very file (floor).
# Prints the medians of the in-process load time (nanoTime around the load call) and of the JVM wall time.
# Usage: scripts/bench-loader.sh [OUT_FILE]     env: LOADER_RUNS (default 7), BENCH_JAR
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${BENCH_JAR:-$ROOT/sark-benchmarks/target/benchmarks.jar}
RUNS=${LOADER_RUNS:-7}
OUT=${1:-/dev/stdout}
[ -f "$JAR" ] || { echo "no $JAR: run scripts/bench.sh (or mvn -Pbench package -pl sark-benchmarks)" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
run() { # mode label args... -> appends "label load_ms wall_ms" to $WORK/results
  local label=$1; shift
  local t0 t1 line
  t0=$(date +%s%N)
  line=$(java -Xshare:auto "$@" | grep '^mode=')
  t1=$(date +%s%N)
  echo "$label ${line##*load_ms=} $(( (t1 - t0) / 1000000 ))" >> "$WORK/results"
}
for r in $(seq "$RUNS"); do
  dir="$WORK/cache-$r"
  run first  -Dsark.native.cacheDir="$dir" -cp "$JAR" dev.sark.bench.LoaderStartup loader
  run second -Dsark.native.cacheDir="$dir" -cp "$JAR" dev.sark.bench.LoaderStartup loader
  lib=$(find "$dir" -name 'libsark_cache.so' | head -1)
  run system -cp "$JAR" dev.sark.bench.LoaderStartup system "$lib"
done
python3 - "$WORK/results" "$RUNS" > "$OUT" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
print(f"# loader: {sys.argv[2]} fresh-JVM runs per case, medians (min-max)")
for label, what in (("first", "first load, fresh cache dir (extract + System.load)"),
                    ("second", "second JVM, same cache dir (hash check, reuse)"),
                    ("system", "System.load of the extracted file (floor)")):
    load = [float(r[1]) for r in rows if r[0] == label]
    wall = [float(r[2]) for r in rows if r[0] == label]
    print(f"loader.{label}.load_ms={statistics.median(load):.2f} min={min(load):.2f} max={max(load):.2f}"
          f" jvm_wall_ms={statistics.median(wall):.0f}  # {what}")
PY
