#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang-14 (ASan+UBSan) and runs each for SECONDS
# (default 60), seeded from testdata/ and examples/. A crash, leak, timeout or sanitizer report
# fails the run; its input is left in build-fuzz/artifacts/ (turn it into a regression fixture).
# Usage: bash scripts/fuzz.sh [SECONDS] [harness...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(fuzz_json fuzz_check fuzz_simulate fuzz_config fuzz_container fuzz_hcl)
# The same configuration as CI's sanitizer build (.ci/run builds the test suite in build-fuzz too and
# runs it under ASan/UBSan first): only the harnesses are built here, so nothing is rebuilt.
CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -DGDL_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build build-fuzz -j2 --target "${harnesses[@]}" > /dev/null
mkdir -p build-fuzz/artifacts
for h in "${harnesses[@]}"; do
  corpus=build-fuzz/corpus/$h
  mkdir -p "$corpus"
  # Seeds: every fixture and example; for simulate, each oracle vector on its own.
  find testdata examples -name '*.json' -not -path '*/schemas/*' -exec cp {} "$corpus/" \; 2>/dev/null || true
  if [ "$h" = fuzz_container ]; then
    # The harness reads its first byte as the kind of file: y(aml), t(erraform), or JSON.
    find testdata/containers examples/cloudformation -type f \( -name '*.yaml' -o -name '*.tf' -o -name '*.json' \) |
      while read -r f; do
        case "$f" in *.yaml) k=y ;; *.tf) k=t ;; *) k=j ;; esac
        { printf '%s' "$k"; cat "$f"; } > "$corpus/seed-$(echo "$f" | tr '/' '_')"
      done
  fi
  if [ "$h" = fuzz_hcl ]; then
    find testdata -name '*.tf' -exec cp {} "$corpus/" \; 2>/dev/null || true
  fi
  dict=fuzz/json.dict
  [ "$h" = fuzz_hcl ] && dict=fuzz/hcl.dict
  if [ "$h" = fuzz_simulate ]; then
    split -l 1 testdata/oracle/vectors.jsonl "$corpus/vector-"
  fi
  echo "== $h for ${seconds}s"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "build-fuzz/fuzz/$h" "$corpus" -dict="$dict" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -max_len=65536 -artifact_prefix=build-fuzz/artifacts/"$h"- -print_final_stats=1 \
    2>&1 | grep -E "^#[0-9]+ +DONE|stat::number_of_executed_units|ERROR|SUMMARY|Test unit written" || true
  if ls build-fuzz/artifacts/"$h"-* > /dev/null 2>&1; then
    echo "$h found a problem:"; ls build-fuzz/artifacts/"$h"-*
    exit 1
  fi
done
echo "all harnesses ran clean"
