#!/usr/bin/env bash
# Installs what the cross-build matrix and its tests need on a Debian bookworm machine, from Debian's
# packages, PyPI and the Rust crate registry only (no rustup downloads, no Docker).
#
#   scripts/install-toolchains.sh [COMPONENT...]     (default: all)
#
# Components:
#   linux-cross  gcc cross linkers for aarch64 and armv7, and a Rust toolchain (Debian's rustc-web)
#                with the aarch64 and armv7 standard libraries, linked into rustup as "sark-debian"
#   jvms         Debian's OpenJDK 17 for arm64 and armhf plus qemu-user, to run tests in foreign JVMs
#   zig          zig and cargo-zigbuild from PyPI (the zigbuild strategy, and the linker for build-std)
#   build-std    the standard library's source (Debian's rust-web-src) in the sark-debian toolchain,
#                for -Zbuild-std on targets with no packaged standard library (musl, FreeBSD, Windows,
#                macOS); for windows-gnu also the rsbegin.o/rsend.o start files that build-std does not make
#   runtimes     musl (its dynamic loader and musl-gcc), mingw-w64 and wine64: the run-time checks of the
#                musl and Windows libraries
#
# Idempotent: each component records completion and is skipped when already there (a second run takes
# about a second). Everything goes under $SARK_HOME (default ~/.cache/sark).
set -euo pipefail

SARK_HOME=${SARK_HOME:-$HOME/.cache/sark}
RUST_TOOLCHAIN_NAME=${SARK_RUST_TOOLCHAIN:-sark-debian}
FOREIGN_ARCHES=(arm64 armhf)

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

# Highest version of a package that the indexes of every listed architecture offer.
common_version() {
  local pkg=$1; shift
  local first=1 common=""
  for arch in "$@"; do
    local versions
    versions=$(apt-cache madison "$pkg:$arch" 2>/dev/null | awk -F'|' '{gsub(/ /,"",$2); print $2}' | sort -u)
    if [ $first -eq 1 ]; then common=$versions; first=0; else
      common=$(comm -12 <(printf '%s\n' "$common") <(printf '%s\n' "$versions"))
    fi
  done
  printf '%s\n' "$common" | grep -v '^$' | sort -V | tail -n 1
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

install_linux_cross() {
  apt_install gcc gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf libc6-dev-arm64-cross libc6-dev-armhf-cross
  local marker="$SARK_HOME/toolchains/$RUST_TOOLCHAIN_NAME.complete"
  if [ -f "$marker" ] && rustc "+$RUST_TOOLCHAIN_NAME" -V >/dev/null 2>&1; then
    log "rust toolchain $RUST_TOOLCHAIN_NAME: present ($(rustc "+$RUST_TOOLCHAIN_NAME" -V))"
    return 0
  fi
  command -v rustup >/dev/null || die "rustup is not installed: install Rust with rustup first"
  apt_update
  local version; version=$(common_version libstd-rust-web-dev amd64 "${FOREIGN_ARCHES[@]}")
  [ -n "$version" ] || die "no version of libstd-rust-web-dev is offered for amd64 and ${FOREIGN_ARCHES[*]} alike; run 'apt-get update' and try again"
  local series; series=$(printf '%s' "$version" | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')
  local dir="$SARK_HOME/toolchains/rust-debian-$version"
  log "Debian Rust $version for x86_64 + aarch64 + armv7 -> $dir"
  rm -rf "$dir"
  unpack_debs "$dir" "rustc-web:amd64=$version" "libstd-rust-web-$series:amd64=$version" \
    "libstd-rust-web-dev:amd64=$version" "libstd-rust-web-dev:arm64=$version" "libstd-rust-web-dev:armhf=$version"
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
  for t in aarch64-unknown-linux-gnu armv7-unknown-linux-gnueabihf; do
    [ -d "$root/lib/rustlib/$t/lib" ] || die "the Debian packages did not bring the $t standard library"
  done
  touch "$marker"
  log "rust toolchain $RUST_TOOLCHAIN_NAME: $(rustc "+$RUST_TOOLCHAIN_NAME" -V)"
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
      zig) install_zig ;;
      build-std) install_build_std; install_windows_start_files; install_objcopy ;;
      runtimes) install_runtimes ;;
      all) install_linux_cross; install_jvms; install_zig; install_build_std; install_windows_start_files
           install_objcopy; install_runtimes ;;
      *) die "unknown component '$c' (known: linux-cross, jvms, zig, build-std, runtimes, all)" ;;
    esac
  done
}

main "$@"
