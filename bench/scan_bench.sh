#!/usr/bin/env bash
# The repository-scan benchmark (not a test): generates a corpus, then measures a bare RapidJSON
# parse of it, `gd-export-lint check` with --jobs 1 and 2, peak memory, and one small file end to
# end. Usage: bash bench/scan_bench.sh [COUNT]   (default 20000 files)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-20000}
build=build-bench
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DGDL_BUILD_BENCH=ON -DGDL_BUILD_TESTS=OFF > /dev/null
cmake --build "$build" -j2 > /dev/null
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
python3 bench/make_corpus.py "$corpus" "$count"
find "$corpus" -name '*.json' | sort > "$corpus.list"
mb=$(du -sm "$corpus" | cut -f1)
echo "corpus: $count files, about ${mb} MB (du), in $corpus"
cat "$corpus.list" > /dev/null  # warm the page cache
"$build/bench/bare_parse" < "$corpus.list"
"$build/bench/bare_parse" < "$corpus.list"
for jobs in 1 2; do
  /usr/bin/time -f "gd-export-lint --jobs $jobs: %e s wall, %U s user, peak RSS %M KB" \
    "$build/gd-export-lint" check -q --jobs "$jobs" --fail-on never --format json --output /dev/null "$corpus" 2>&1 | tail -1
done
small=examples/correct/key-policy.json
start=$(date +%s%N)
for _ in $(seq 200); do "$build/gd-export-lint" check -q "$small" > /dev/null; done
end=$(date +%s%N)
echo "one small file end to end (process start to exit): $(( (end - start) / 200000 )) us on average over 200 runs"
rm -f "$corpus.list"
