#!/usr/bin/env bash
# Build the static benchmark programs into bench/build/, recompiling a
# program only when its source or a shared header is newer than it.
set -euo pipefail
cd "$(dirname "$0")"
CC=${CC:-gcc}
mkdir -p build
for src in src/*.c; do
    out=build/$(basename "$src" .c)
    newer_header=0
    for h in src/*.h; do [[ $h -nt $out ]] && newer_header=1; done
    if [[ ! -x $out || $src -nt $out || $newer_header == 1 ]]; then
        echo "cc $src -> $out" >&2
        # extra libraries from a "/* LIBS: ... */" first line (tramp.c links libffi)
        libs=$(sed -n '1s|^/\* *LIBS: *\(.*[^ ]\) *\*/$|\1|p' "$src")
        "$CC" -static -O2 -pthread -Wall -Wextra -o "$out" "$src" $libs
    fi
done
# Go programs (bench/go/*.go): static, without cgo, when Debian's golang-go is installed.
if command -v go >/dev/null 2>&1; then
    for src in go/*.go; do
        out=build/$(basename "$src" .go)
        if [[ ! -x $out || $src -nt $out ]]; then
            echo "go build $src -> $out" >&2
            CGO_ENABLED=0 GOCACHE="${GOCACHE:-$PWD/build/.gocache}" go build -o "$out" "$src"
        fi
    done
fi
