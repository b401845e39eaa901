#!/usr/bin/env bash
# A no-op `mvn -o package` of sark-cache-native after a full build: what cargo takes per target to find
# nothing to do, each target's status, the crates cargo recompiled and the goal's total (all from the
# plugin's result file, target/sark/cross-build.json), the whole `mvn -o -q package` wall time against the
# same command with -Dsark.skip, and a plain no-op `cargo build` of the same crate (own target dir).
# Usage: scripts/bench-plugin.sh [OUT_FILE]    env: PLUGIN_RUNS (default 5)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${PLUGIN_RUNS:-5}
OUT=${1:-/dev/stdout}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"
MVN=(mvn -o -B -ntp package -pl sark-cache-native -DskipTests)
ms() { echo $(( $(date +%s%N) / 1000000 )); }

"${MVN[@]}" -q > "$WORK/warm.log" 2>&1 || { cat "$WORK/warm.log"; exit 1; }   # the full build, if anything is stale
for r in $(seq "$RUNS"); do
  t0=$(ms); "${MVN[@]}" -q > "$WORK/noop-$r.log" 2>&1; t1=$(ms)
  cp sark-cache-native/target/sark/cross-build.json "$WORK/result-$r.json"
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
import glob, json, statistics, sys
work, runs = sys.argv[1], sys.argv[2]
per_target, totals, reran = {}, [], []
for path in sorted(glob.glob(work + "/result-*.json")):
    result = json.load(open(path))
    totals.append(result["seconds"] * 1000)
    for i, t in enumerate(result["targets"], 1):
        per_target.setdefault((i, t["triple"]), []).append((t["seconds"] * 1000, t["status"]))
        reran += [t["triple"] for crate in t["compiled"]]
walls = {}
for l in open(work + "/walls"):
    k, v = l.split(); walls.setdefault(k, []).append(float(v))
med = statistics.median
print(f"# plugin: no-op `mvn -o package -pl sark-cache-native` after a full build, {runs} runs, medians")
print(f"plugin.cargo_rerun={'yes: ' + ','.join(sorted(set(reran))) if reran else 'no'}")
for (i, triple), vals in sorted(per_target.items()):
    print(f"plugin.target.{i:02d}.{triple}.cargo_ms={med(v for v, _ in vals):.0f}  # last status: {vals[-1][1]}")
print(f"plugin.goal_total.ms={med(totals):.0f}  # the goal's own seconds in its result file")
for k in ("mvn_package", "mvn_package_sark_skip", "cargo_noop"):
    print(f"plugin.{k}.wall_ms={med(walls[k]):.0f}")
print(f"plugin.wall_difference_ms={med(walls['mvn_package']) - med(walls['mvn_package_sark_skip']):.0f}"
      "  # mvn package minus mvn package -Dsark.skip (Maven startup removed)")
PY
