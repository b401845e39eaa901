#!/usr/bin/env bash
# Tests the Rust version selection of scripts/install-toolchains.sh without touching the machine: the
# installer is sourced (which defines its functions and runs nothing) and a stand-in apt-cache on the PATH
# answers `apt-cache madison PKG:ARCH` from a table, so that the cases today's mirror does not show (a
# foreign standard library lagging behind the amd64 compiler, a compiler older than rust-version) can be
# exercised. Prints one line per check; exits non-zero when one fails.
#
#   scripts/tests/install-toolchains-test.sh
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The stand-in: each line of $SARK_TEST_MADISON is "PACKAGE ARCH VERSION".
mkdir -p "$tmp/bin"
cat > "$tmp/bin/apt-cache" <<'EOF'
#!/usr/bin/env bash
[ "$1" = madison ] || { echo "stand-in apt-cache: only madison is known" >&2; exit 1; }
pkg=${2%%:*}; arch=${2#*:}; [ "$arch" = "$2" ] && arch=amd64
awk -v p="$pkg" -v a="$arch" '$1 == p && $2 == a {
  printf "%10s | %s | http://deb.debian.org/debian stand-in/main %s Packages\n", $1, $3, $2 }' "$SARK_TEST_MADISON"
EOF
chmod +x "$tmp/bin/apt-cache"
export PATH="$tmp/bin:$PATH"
export SARK_TEST_MADISON="$tmp/madison"

# shellcheck source=../install-toolchains.sh
source "$here/../install-toolchains.sh"
set +e

failures=0
pass() { printf 'ok   %s\n' "$1"; }
fail() { printf 'FAIL %s\n' "$1"; shift; printf '     %s\n' "$@"; failures=$((failures + 1)); }
expect_equal() { # NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected: $(printf '%q' "$2")" "actual:   $(printf '%q' "$3")"; fi
}
expect_failure() { # NAME EXIT_CODE OUTPUT SUBSTRING...
  local name=$1 code=$2 out=$3; shift 3
  if [ "$code" -eq 0 ]; then fail "$name" "succeeded, expected a failure; output: $out"; return; fi
  local s
  for s in "$@"; do
    if ! grep -qF -- "$s" <<<"$out"; then fail "$name" "the message does not say '$s':" "$out"; return; fi
  done
  pass "$name"
}

NEW=1.96.0+dfsg1-1~deb12u2
OLD=1.85.0+dfsg3-1~deb12u3

# The indexes: each argument holds "PKG ARCH VERSION" lines.
offer() { printf '%s\n' "$@" > "$SARK_TEST_MADISON"; }
compiler() { local v; for v in "$@"; do echo "rustc-web amd64 $v"; echo "libstd-rust-web-dev amd64 $v"; done; }
std() { local arch=$1 v; shift; for v in "$@"; do echo "libstd-rust-web-dev $arch $v"; done; }
src() { local v; for v in "$@"; do echo "rust-web-src amd64 $v"; done; }

# ---- versions ----
expect_equal "upstream_version strips the Debian revision" "1.96.0" "$(upstream_version "$NEW")"
for c in "1.96.0 1.95 0" "1.95.0 1.95 0" "1.95.0 1.95.0 0" "1.95.0 1.95.1 1" "1.85.0 1.95 1" "1.100.0 1.95 0" \
         "1.95.0 1.100 1"; do
  read -r have need want <<<"$c"
  version_at_least "$have" "$need"; expect_equal "version_at_least $have $need" "$want" "$?"
done

# ---- rust-version from Cargo.toml ----
cat > "$tmp/ws.toml" <<'EOF'
[workspace]
members = ["a"]

[workspace.package] # shared
version = "0.1.0"
rust-version = "1.95"   # MSRV

[profile.release]
panic = "unwind"
EOF
expect_equal "manifest_rust_version reads [workspace.package]" "1.95" "$(manifest_rust_version "$tmp/ws.toml")"
printf '[package]\nname = "a"\nrust-version = "1.88.0"\n[dependencies]\nx = "1"\n' > "$tmp/crate.toml"
expect_equal "manifest_rust_version reads [package]" "1.88.0" "$(manifest_rust_version "$tmp/crate.toml")"
printf '[package]\nname = "a"\nrust-version.workspace = true\n' > "$tmp/inherit.toml"
expect_equal "manifest_rust_version: inherited only, nothing declared here" "" "$(manifest_rust_version "$tmp/inherit.toml")"
expect_equal "manifest_rust_version: no file" "" "$(manifest_rust_version "$tmp/absent.toml")"
repo_version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^rust-version = "\(.*\)"/\1/p' "$here/../../Cargo.toml")
[ -n "$repo_version" ] || fail "the repository's Cargo.toml declares no [workspace.package] rust-version"
expect_equal "the installer reads the repository's rust-version ($repo_version)" "$repo_version" \
  "$(CARGO_TOML="$here/../../Cargo.toml" required_rust_version)"
expect_equal "SARK_RUST_VERSION overrides Cargo.toml" "1.99" "$(SARK_RUST_VERSION=1.99 required_rust_version)"

# ---- selection ----
offer "$(compiler "$OLD" "$NEW")" "$(std arm64 "$OLD" "$NEW")" "$(std armhf "$OLD" "$NEW")" "$(src "$OLD" "$NEW")"
expect_equal "all three at the newest version: packaged std for both foreign targets" \
  "$(printf 'version=%s\narm64=std\narmhf=std' "$NEW")" "$(select_rust 1.95)"

offer "$(compiler "$OLD" "$NEW")" "$(std arm64 "$OLD")" "$(std armhf "$OLD" "$NEW")" "$(src "$OLD" "$NEW")"
expect_equal "arm64's std lags: newest compiler, build-std for arm64 only" \
  "$(printf 'version=%s\narm64=build-std\narmhf=std' "$NEW")" "$(select_rust 1.95)"

offer "$(compiler "$OLD" "$NEW")" "$(std arm64 "$OLD")" "$(std armhf "$OLD")" "$(src "$OLD" "$NEW")"
expect_equal "both lag: still the newest compiler, never the older version common to all" \
  "$(printf 'version=%s\narm64=build-std\narmhf=build-std' "$NEW")" "$(select_rust "")"

offer "$(compiler "$OLD" "$NEW")" "$(std arm64)" "$(std armhf "$NEW")" "$(src "$NEW")"
expect_equal "arm64's index is empty (out of step): build-std for arm64" \
  "$(printf 'version=%s\narm64=build-std\narmhf=std' "$NEW")" "$(select_rust 1.95)"

offer "$(compiler "$OLD")" "$(std arm64 "$OLD")" "$(std armhf "$OLD")" "$(src "$OLD")"
out=$(CARGO_TOML=/repo/Cargo.toml select_rust 1.95 2>&1); code=$?
expect_failure "the newest amd64 compiler is older than rust-version: fails with the fix" "$code" "$out" \
  "1.85.0" "rust-version 1.95" "/repo/Cargo.toml" "bookworm-security" "apt-get update"
expect_equal "  ... and prints no selection" "" "$(select_rust 1.95 2>/dev/null)"
expect_equal "the same compiler passes when the crates ask for no more" \
  "$(printf 'version=%s\narm64=std\narmhf=std' "$OLD")" "$(select_rust 1.85)"

offer "$(compiler "$OLD" "$NEW")" "$(std arm64 "$OLD")" "$(std armhf "$NEW")" "$(src "$OLD")"
out=$(select_rust 1.95 2>&1); code=$?
expect_failure "a lagging std without the compiler's std source: fails with what is missing" "$code" "$out" \
  "arm64" "rust-web-src $NEW" "apt-get update"

offer "$(std arm64 "$NEW")" "$(std armhf "$NEW")"
out=$(select_rust 1.95 2>&1); code=$?
expect_failure "no amd64 compiler at all: fails with the fix" "$code" "$out" "rustc-web" "bookworm-security"

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
