#!/usr/bin/env bash
# Stripped library size per target, release profile against the `size` profile, for both
# native modules. Builds every target of the matrix through the plugin (cargo, zig, build-std as usual): the
# release libraries as the normal build does (usually up to date), then the size profile into a cargo target
# directory of its own, then the release build again, so the staged libraries are the release ones afterwards
# and a following `mvn package` packages what it always does. Reads each library's size in bytes from the
# plugin's result file.
#
#   scripts/bench-sizes.sh [OUT_FILE]      (default: sark-benchmarks/target/bench-results/sizes.txt)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/sark-benchmarks/target/bench-results/sizes.txt}
mkdir -p "$(dirname "$OUT")"
MODULES="sark-cache-native sark-opa-native"

build() { # profile [extra mvn args]
  local profile=$1; shift
  (cd "$ROOT" && mvn -B -ntp -q process-classes -pl "$(echo $MODULES | tr ' ' ',')" -Dsark.profile="$profile" "$@" \
    > "$(dirname "$OUT")/sizes-$profile.log" 2>&1) \
    || { echo "build with profile $profile failed: see $(dirname "$OUT")/sizes-$profile.log" >&2; exit 1; }
}

sizes() { # -> lines "module classifier bytes", from each module's result file (target/sark/cross-build.json)
  for m in $MODULES; do
    python3 - "$m" "$ROOT/$m/target/sark/cross-build.json" <<'PY'
import json, sys
module, path = sys.argv[1], sys.argv[2]
for target in json.load(open(path))["targets"]:
    if target["size"] is not None:
        print(module, target["classifier"], target["size"])
PY
  done
}

build release
sizes > "$OUT.release"
build size -Dsark.cargoTargetDir="$ROOT/target/sark-sizes"
sizes > "$OUT.size"
build release
{
  echo "| library | classifier | release (B) | size profile (B) | size / release |"
  echo "|---|---|---:|---:|---:|"
  join <(awk '{print $1"/"$2, $3}' "$OUT.release" | sort) <(awk '{print $1"/"$2, $3}' "$OUT.size" | sort) \
    | awk '{split($1, k, "/"); printf "| %s | %s | %d | %d | %.2f |\n", k[1], k[2], $2, $3, $3 / $2}'
} > "$OUT"
rm -f "$OUT.size" "$OUT.release"
cat "$OUT"
