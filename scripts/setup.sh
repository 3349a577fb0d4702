#!/usr/bin/env bash
# Installs everything ushim needs on a Debian machine with Node 20: the host packages for
# fixtures, tests and benchmarks, Unicorn 2.1 (project-local), npm packages, and the build.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(gcc musl-tools busybox-static qemu-user hyperfine gdb libffi-dev libcapstone-dev strace
  python3 perl sqlite3 xz-utils git make)
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
