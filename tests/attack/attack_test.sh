#!/usr/bin/env bash
# The rewrite engine's end-to-end check (ctest `attack_corpus`): starts a
# throwaway PostgreSQL, seeds it with examples/schema.sql and seed.sql, and
# runs the attack and benign corpora through `sqlwarden rewrite` and psycopg2
# as the non-superuser role sqlwarden_gateway (tests/attack/run_corpus.py).
#
# usage: attack_test.sh SQLWARDEN_BINARY SOURCE_DIR
set -euo pipefail
bin=$1
source_dir=$2
# shellcheck source=../integration/pg.sh
source "$source_dir/tests/integration/pg.sh"
# Debian's interpreter: psycopg2 comes from the python3-psycopg2 package.
/usr/bin/python3 "$source_dir/tests/attack/run_corpus.py" "$bin" "$source_dir" \
  "$source_dir/tests/attack/attacks.txt" "$source_dir/tests/attack/benign.txt"
