#!/usr/bin/env bash
# The test command (CI runs it through .ci/run): installs what is missing,
# builds, and runs every test with ctest. Exits with ctest's status.
# The corpus test reads ../shared/corpus beside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build.sh

if [[ ! -f ../shared/corpus/pg-regress/statements.jsonl ]]; then
  echo "test: note: ../shared/corpus/pg-regress/statements.jsonl is missing; corpus_coverage will fail" >&2
fi

echo "+ ctest --test-dir build --output-on-failure"
status=0
ctest --test-dir build --output-on-failure || status=$?
exit "$status"
