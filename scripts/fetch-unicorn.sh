#!/usr/bin/env bash
# Fetch Unicorn 2.1.4 (Debian forky's libunicorn2t64 + libunicorn-dev, pinned) into
# vendor/unicorn/. Bookworm ships 2.0.1, whose store path is ~40x slower (see
# ../shared/design.md). 2.1.1 (trixie) misses stores into translated code once a store to the
# same page landed beside it (test/differential/code-coherence.test.ts); 2.1.4 checks every
# store through a writable and executable TLB entry. It needs glibc >= 2.34 and runs on
# bookworm. The mirror is read from this machine's own apt sources so that no host name is
# written into the repository.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dest="$here/vendor/unicorn"
version=2.1.4-4
if [ -f "$dest/lib/libunicorn.so.2" ] && [ -f "$dest/include/unicorn/unicorn.h" ] &&
  grep -qx "libunicorn2t64_${version}_amd64.deb" "$dest/SOURCES" 2>/dev/null; then
  exit 0
fi
mirror=""
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  mirror=$(awk '/^URIs:/ {for (i=2;i<=NF;i++) if ($i ~ /debian\/?$/) {print $i; exit}}' "$f")
  [ -n "$mirror" ] && break
done
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  mirror=$(awk '$1=="deb" && $0 !~ /security/ {for (i=2;i<=NF;i++) if ($i ~ /debian\/?$/) {print $i; exit}}' /etc/apt/sources.list)
fi
if [ -z "$mirror" ]; then
  echo "fetch-unicorn: no Debian mirror found in the apt sources" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/etc/preferences.d" "$work/etc/sources.list.d"
cat > "$work/etc/sources.list" <<SRC
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror forky main
SRC
apt_opts=(-o "Dir::Etc::sourcelist=$work/etc/sources.list" -o "Dir::Etc::sourceparts=$work/etc/sources.list.d"
  -o "Dir::Etc::preferencesparts=$work/etc/preferences.d"
  -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o "Debug::NoLocking=1"
  -o "APT::Sandbox::User=root" -o "APT::Architecture=amd64" -o "Acquire::Languages=none")
apt-get "${apt_opts[@]}" -q update >/dev/null
(cd "$work" && apt-get "${apt_opts[@]}" -q download "libunicorn2t64=$version" "libunicorn-dev=$version" >/dev/null)
mkdir -p "$work/x"
for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$work/x"; done
rm -rf "$dest"; mkdir -p "$dest/lib" "$dest/include"
cp -a "$work"/x/usr/lib/x86_64-linux-gnu/libunicorn.so* "$dest/lib/"
cp -a "$work"/x/usr/include/unicorn "$dest/include/"
ls "$work"/*.deb | xargs -n1 basename > "$dest/SOURCES"
echo "fetch-unicorn: $(cat "$dest/SOURCES" | tr '\n' ' ')-> $dest"
