#!/usr/bin/env bash
# Installs everything ushim needs on a Debian machine with Node 20: the host packages for
# fixtures, tests and benchmarks, Unicorn 2.1.4 (project-local), npm packages, and the build.
set -euo pipefail
cd "$(dirname "$0")/.."
# What the tests need from the host (test/host-requirements.ts fails a test in CI when one is
# missing): make, gcc, musl-gcc and libffi for fixtures/build.sh; binutils' nm (trace tests);
# a static /bin/busybox; gdb (gdb stub tests); script(1) from bsdutils (a pseudo-terminal);
# libc6's libc.so.6 and ld-linux (loader tests). qemu-user, hyperfine and strace serve
# USHIM_CMD=qemu-x86_64 comparisons and the benchmarks; capstone the disassembly in crash reports.
# The dynamic-program tests run Debian's bash, perl, python3, sqlite3, xz, gzip, git, make and
# tar from the host; the JIT runtime tests run luajit and node. bubblewrap contains the hostile
# guests of the escape tests (escapes.test.ts). cmake, meson and ninja-build build the example
# project whose ctest and meson tests run through ushim (build-systems.test.ts).
packages=(make gcc binutils libc6 musl-tools libffi-dev busybox-static gdb bsdutils qemu-user hyperfine strace libcapstone-dev golang-go
  python3 perl sqlite3 xz-utils git bubblewrap luajit cmake meson ninja-build)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
fi
bash scripts/fetch-unicorn.sh
npm ci --no-audit --no-fund
npm run build
