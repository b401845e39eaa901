#!/usr/bin/env bash
# Heap use: HEAP_ENTRIES entries of HEAP_VALUE bytes in NativeCache and in Caffeine, each
# in its own JVM with the same heap limit and -Xlog:gc; prints the program's numbers plus the stop-the-world
# pause count, total and maximum from the GC log.
# Usage: scripts/bench-heap.sh [OUT_FILE]   env: HEAP_ENTRIES (1000000), HEAP_VALUE (1024), HEAP_XMX (3g), BENCH_JAR
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${BENCH_JAR:-$ROOT/sark-benchmarks/target/benchmarks.jar}
N=${HEAP_ENTRIES:-1000000}
V=${HEAP_VALUE:-1024}
XMX=${HEAP_XMX:-3g}
OUT=${1:-/dev/stdout}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
for impl in native caffeine; do
  java -Xmx"$XMX" -XX:+UseG1GC -Xlog:gc:file="$WORK/gc-$impl.log" -cp "$JAR" dev.sark.bench.HeapFootprint "$impl" "$N" "$V" \
    > "$WORK/out-$impl.txt"
done
python3 - "$WORK" "$XMX" > "$OUT" <<'PY'
import re, sys
work, xmx = sys.argv[1], sys.argv[2]
print(f"# heap: G1, -Xmx{xmx}; pauses from -Xlog:gc (every 'Pause' line except the two explicit System.gc() full GCs the program uses to measure; the MXBean gc_* figures include those two)")
for impl in ("native", "caffeine"):
    line = open(f"{work}/out-{impl}.txt").read().strip().splitlines()[-1]
    pauses = [float(m.group(1)) for l in open(f"{work}/gc-{impl}.log")
              if "Pause" in l and "System.gc()" not in l for m in [re.search(r"(\d+\.\d+)ms\s*$", l)] if m]
    print(f"heap.{impl}: {line} gclog_pauses={len(pauses)} gclog_pause_total_ms={sum(pauses):.1f}"
          f" gclog_pause_max_ms={max(pauses) if pauses else 0:.1f}")
PY
