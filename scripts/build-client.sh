#!/bin/sh
# Builds the warm path's client (client/ushimc.c) into dist/ushimc, when a C compiler exists
# (scripts/setup.sh installs gcc); without one, ushim --serve has no client, and says so here.
cd "$(dirname "$0")/.." || exit 1
CC=${CC:-gcc}
if ! command -v "$CC" >/dev/null 2>&1; then
    echo "build-client: no $CC: dist/ushimc (the client of ushim --serve) is not built" >&2
    exit 0
fi
mkdir -p dist
exec "$CC" -O2 -Wall -Wextra -o dist/ushimc client/ushimc.c
