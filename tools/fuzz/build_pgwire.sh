#!/usr/bin/env bash
# Builds the libFuzzer target for the wire codec (src/pgwire) into build/fuzz/.
#
# Unlike the .rules fuzzer (build.sh), nothing here needs ANTLR: the codec and
# src/common are compiled wholly by clang with coverage instrumentation,
# AddressSanitizer and UBSan. Then, for example:
#   mkdir -p build/fuzz/pgwire_corpus
#   build/fuzz/pgwire_fuzz -max_total_time=600 build/fuzz/pgwire_corpus
# OUT=dir puts the objects and the binary elsewhere (default build/fuzz).
set -euo pipefail
cd "$(dirname "$0")/../.."

out=${OUT:-build/fuzz}
mkdir -p "$out/pgwire_obj"
flags=(-std=c++20 -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
       -fno-omit-frame-pointer -Isrc)
for f in src/pgwire/*.cpp src/common/*.cpp tools/fuzz/pgwire_fuzz.cpp; do
  clang++ "${flags[@]}" -c "$f" -o "$out/pgwire_obj/$(basename "${f%.cpp}").o"
done
clang++ -fsanitize=fuzzer,address,undefined "$out"/pgwire_obj/*.o -lcrypto -o "$out/pgwire_fuzz"
echo "built $out/pgwire_fuzz"
