#!/usr/bin/env bash
# Fuzzes sark-opa with cargo-fuzz (libFuzzer): the JSON reader, policy compilation (loadPolicy) and query
# compilation and evaluation. Not part of the test command: run it by hand or on a schedule.
#
#   scripts/fuzz.sh [TARGET...]        targets: json_reader policy_compile query_compile (default: all)
#
# Environment:
#   FUZZ_SECONDS   time per target (default 120)
#   FUZZ_RSS_MB    memory bound of the fuzzing process, libFuzzer's -rss_limit_mb (default 2048)
#   FUZZ_TIMEOUT   seconds one input may take before it counts as a hang (default 10)
#   FUZZ_WORK      where new corpus entries and findings go (default target/fuzz-work)
#
# Seeds come from sark-opa-native/fuzz/corpus/TARGET (committed); what a run adds goes to FUZZ_WORK, so the
# committed corpus changes only when someone copies new entries in. A crash, a hang or going over the memory
# bound stops the target, leaves the input under FUZZ_WORK/artifacts/TARGET and fails the script.
#
# The compiler: cargo-fuzz passes nightly-only flags (-Z...). The stable rustc of this project accepts them
# with RUSTC_BOOTSTRAP=1, which this script sets for its own cargo calls only. No sanitizer is used (the
# code under test is safe Rust; libFuzzer's coverage and its crash, hang and memory checks still apply).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CRATE="$ROOT/sark-opa-native"
TARGETS=${*:-json_reader policy_compile query_compile}
SECONDS_EACH=${FUZZ_SECONDS:-120}
RSS_MB=${FUZZ_RSS_MB:-2048}
TIMEOUT=${FUZZ_TIMEOUT:-10}
WORK=${FUZZ_WORK:-$ROOT/target/fuzz-work}
CARGO_FUZZ_VERSION=0.13.2

if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  echo "== installing cargo-fuzz $CARGO_FUZZ_VERSION from crates.io" >&2
  cargo install --locked --version "$CARGO_FUZZ_VERSION" cargo-fuzz
fi

export RUSTC_BOOTSTRAP=1
failed=""
for target in $TARGETS; do
  [ -d "$CRATE/fuzz/corpus/$target" ] || { echo "unknown fuzz target $target (no fuzz/corpus/$target)" >&2; exit 2; }
  mkdir -p "$WORK/corpus/$target" "$WORK/artifacts/$target"
  echo "== $target: ${SECONDS_EACH}s, rss limit ${RSS_MB} MB, ${TIMEOUT}s per input" >&2
  # libFuzzer writes new inputs to the first corpus directory and reads seeds from both.
  if ! (cd "$CRATE" && cargo fuzz run --sanitizer none "$target" "$WORK/corpus/$target" "fuzz/corpus/$target" -- \
      -max_total_time="$SECONDS_EACH" -rss_limit_mb="$RSS_MB" -malloc_limit_mb="$RSS_MB" -timeout="$TIMEOUT" \
      -max_len=65536 -artifact_prefix="$WORK/artifacts/$target/" -print_final_stats=1); then
    failed="$failed $target"
  fi
done
if [ -n "$failed" ]; then
  echo "fuzzing found problems in:$failed (inputs under $WORK/artifacts)" >&2
  exit 1
fi
echo "fuzzing: no crash, hang or memory blow-up in $TARGETS ($SECONDS_EACH s each)" >&2
