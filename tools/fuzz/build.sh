#!/usr/bin/env bash
# Builds the libFuzzer target for the .rules front end into build/fuzz/.
#
# clang cannot compile the ANTLR 4.9 runtime headers under C++20, so the SQL
# libraries come from the normal g++ build (scripts/build.sh first) and only
# the policy sources and the target are compiled by clang, with coverage
# instrumentation, AddressSanitizer and UBSan. Then, for example:
#   build/fuzz/rules_fuzz -max_total_time=600 tools/fuzz/corpus
set -euo pipefail
cd "$(dirname "$0")/../.."

out=build/fuzz
mkdir -p "$out/obj"
flags=(-std=c++20 -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -Isrc)
for f in src/policy/*.cpp tools/fuzz/rules_fuzz.cpp; do
  clang++ "${flags[@]}" -c "$f" -o "$out/obj/$(basename "${f%.cpp}").o" &
done
wait
clang++ -fsanitize=fuzzer,address,undefined "$out"/obj/*.o \
  build/src/sql/libsqlwarden_sql.a build/src/sql/libsqlwarden_sql_generated.a \
  build/src/common/libsqlwarden_common.a /usr/lib/x86_64-linux-gnu/libantlr4-runtime.a \
  -luuid -lpthread -o "$out/rules_fuzz"
echo "built $out/rules_fuzz"
