#!/usr/bin/env bash
# Issue 6 item 4: a no-op `mvn -o package` of sark-cache-native after a full build must not run cargo.
# Measures the cross-build goal's own time per target (from Maven's log timestamps between the plugin's
# "(i/N) <triple>: ..." lines), the goal's total, the whole `mvn -o -q package` wall time against the same
# command with -Dsark.skip, and a plain no-op `cargo build` of the same crate (own target dir).
# Usage: scripts/bench-plugin.sh [OUT_FILE]    env: PLUGIN_RUNS (default 5)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${PLUGIN_RUNS:-5}
OUT=${1:-/dev/stdout}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"
MVN=(mvn -o -B -ntp package -pl sark-cache-native -DskipTests)
TS=(-Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS)
ms() { echo $(( $(date +%s%N) / 1000000 )); }

"${MVN[@]}" -q > "$WORK/warm.log" 2>&1 || { cat "$WORK/warm.log"; exit 1; }   # the full build, if anything is stale
for r in $(seq "$RUNS"); do
  t0=$(ms); "${MVN[@]}" "${TS[@]}" > "$WORK/noop-$r.log" 2>&1; t1=$(ms)
  echo "mvn_package $((t1 - t0))" >> "$WORK/walls"
  t0=$(ms); "${MVN[@]}" -q -Dsark.skip > /dev/null 2>&1; t1=$(ms)
  echo "mvn_package_sark_skip $((t1 - t0))" >> "$WORK/walls"
done

# plain cargo no-op: the command the plugin runs for the host, in a target dir of our own
CARGO_DIR="$ROOT/sark-benchmarks/target/cargo-noop"
CARGO=(cargo build --manifest-path "$ROOT/sark-cache-native/Cargo.toml" --target x86_64-unknown-linux-gnu
       --target-dir "$CARGO_DIR" --profile release --lib --offline)
"${CARGO[@]}" > "$WORK/cargo-warm.log" 2>&1 || { cat "$WORK/cargo-warm.log"; exit 1; }
for r in $(seq "$RUNS"); do
  t0=$(ms); "${CARGO[@]}" > "$WORK/cargo-$r.log" 2>&1; t1=$(ms)
  grep -q Compiling "$WORK/cargo-$r.log" && echo "warning: cargo recompiled in run $r" >&2
  echo "cargo_noop $((t1 - t0))" >> "$WORK/walls"
done

python3 - "$WORK" "$RUNS" > "$OUT" <<'PY'
import datetime, glob, re, statistics, sys
work, runs = sys.argv[1], sys.argv[2]
ts = lambda line: datetime.datetime.strptime(line[:12], "%H:%M:%S.%f")
per_target, totals, reran = {}, [], []
for log in sorted(glob.glob(work + "/noop-*.log")):
    lines = [l.rstrip("\n") for l in open(log) if re.match(r"\d\d:\d\d:\d\d\.\d{3} ", l)]
    start = next(i for i, l in enumerate(lines) if "--- sark-maven-plugin" in l and "cross-build" in l)
    end = next(i for i in range(start + 1, len(lines)) if "--- " in lines[i])
    prev, last = ts(lines[start]), {}
    order = []
    for l in lines[start + 1:end]:
        m = re.search(r"\((\d+)/(\d+)\) (\S+): (.*)", l)
        if m:
            key = (int(m.group(1)), m.group(3))
            if key not in last:
                order.append(key)
            last[key] = (ts(l), m.group(4))
        m = re.search(r"\[(\S+)\]\s+Compiling ", l)
        if m:
            reran.append(m.group(1))
    for key in order:
        t, status = last[key]
        per_target.setdefault(key, []).append(((t - prev).total_seconds() * 1000, status.split(" (")[0]))
        prev = t
    totals.append((ts(lines[end]) - ts(lines[start])).total_seconds() * 1000)
walls = {}
for l in open(work + "/walls"):
    k, v = l.split(); walls.setdefault(k, []).append(float(v))
med = statistics.median
print(f"# plugin: no-op `mvn -o package -pl sark-cache-native` after a full build, {runs} runs, medians")
print(f"plugin.cargo_rerun={'yes: ' + ','.join(sorted(set(reran))) if reran else 'no'}")
for (i, triple), vals in sorted(per_target.items()):
    print(f"plugin.target.{i:02d}.{triple}.ms={med(v for v, _ in vals):.0f}  # last status: {vals[-1][1]}")
print(f"plugin.goal_total.ms={med(totals):.0f}  # '--- sark-maven-plugin' line to the next mojo's line")
for k in ("mvn_package", "mvn_package_sark_skip", "cargo_noop"):
    print(f"plugin.{k}.wall_ms={med(walls[k]):.0f}")
print(f"plugin.wall_difference_ms={med(walls['mvn_package']) - med(walls['mvn_package_sark_skip']):.0f}"
      "  # mvn package minus mvn package -Dsark.skip (Maven startup removed)")
PY
