#!/usr/bin/env bash
# Builds gd-export-lint with ThreadSanitizer and scans the fixtures and examples with several
# threads in every output format: any data race fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-tsan -DGDL_SANITIZE_THREAD=ON -DGDL_BUILD_TESTS=OFF > /dev/null
cmake --build build-tsan -j2 --target gd-export-lint > /dev/null
export TSAN_OPTIONS="halt_on_error=1 exitcode=66"
for format in text json sarif github; do
  code=0
  ./build-tsan/gd-export-lint check --jobs 4 --format "$format" --fail-on never --exclude 'vectors.jsonl' \
    testdata examples > /dev/null || code=$?
  if [ "$code" -ne 0 ]; then
    echo "ThreadSanitizer scan failed (format $format, exit $code)"
    exit 1
  fi
done
echo "ThreadSanitizer: scans with 4 threads ran clean"
