#!/usr/bin/env bash
# Configures and builds sqlwarden into ./build. Safe to run again: CMake only
# rebuilds what changed. Extra arguments go to the configure step
# (e.g. -DSQLWARDEN_BUILD_BENCH=OFF).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "+ cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo $*"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
echo "+ cmake --build build -j2"
cmake --build build -j2
