#!/usr/bin/env bash
# Build the static benchmark programs into bench/build/, recompiling a
# program only when its source or the shared header is newer than it.
set -euo pipefail
cd "$(dirname "$0")"
CC=${CC:-gcc}
mkdir -p build
for src in src/*.c; do
    out=build/$(basename "$src" .c)
    if [[ ! -x $out || $src -nt $out || src/common.h -nt $out ]]; then
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
