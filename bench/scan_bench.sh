#!/usr/bin/env bash
# The repository-scan benchmark (not a test; numbers in README.md, "Performance"). For corpora
# of 1k, 10k and 100k generated files it measures, in one run and one table:
#   - a bare RapidJSON SAX parse of the same files (the floor: no tree, no rules);
#   - `gd-export-lint check --jobs 1` and `--jobs 2` (time, and the ratio to the bare parse);
#   - peak memory (RSS) of `check --jobs 2` in every output format;
#   - the previous release on the same corpus (time and peak memory);
# then one small file end to end (process start to exit) against starting /bin/true.
#
# Usage: bash bench/scan_bench.sh [SIZE...]          (default: 1000 10000 100000 100000/8)
# A SIZE of COUNT/N puts the same COUNT files in directories of at most N files (one export
# setup each, as repositories kept per account are; make_corpus.py's PER_DIR).
# Environment: PREVIOUS_REV (default 527aeeb, the last release before the streaming work) is
# built once into build-bench-prev from a git worktree; PREVIOUS=/path/to/binary uses that
# binary instead; PREVIOUS=none skips it; TOOL=/path/to/binary measures that binary instead of
# build-bench's (the bare parse is build-bench's either way). Needs about 5 MB of disk per 1,000
# files.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000 100000 100000/8)
build=build-bench
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DGDL_STATIC=ON -DGDL_BUILD_BENCH=ON \
  -DGDL_BUILD_TESTS=OFF > /dev/null
cmake --build "$build" -j2 > /dev/null
# TOOL=/path/to/binary measures that executable instead (scripts/build-release.sh's, say); the
# bare parse is still build-bench's.
tool=${TOOL:-$build/gd-export-lint}

previous=${PREVIOUS:-}
if [ -z "$previous" ]; then
  rev=${PREVIOUS_REV:-527aeeb}
  prev_dir=build-bench-prev
  if [ ! -x "$prev_dir/gd-export-lint" ] || [ "$(cat "$prev_dir/.rev" 2>/dev/null)" != "$rev" ]; then
    worktree=$(mktemp -d)
    git worktree add -q --detach "$worktree" "$rev"
    # That release predates the -Wrestrict workaround that Release builds with GCC 12 need.
    cmake -S "$worktree" -B "$worktree/build" -DCMAKE_BUILD_TYPE=Release -DGDL_BUILD_TESTS=OFF \
      -DCMAKE_CXX_FLAGS=-Wno-restrict > /dev/null
    cmake --build "$worktree/build" -j2 --target gd-export-lint > /dev/null
    mkdir -p "$prev_dir"
    cp "$worktree/build/gd-export-lint" "$prev_dir/"
    echo "$rev" > "$prev_dir/.rev"
    git worktree remove --force "$worktree"
  fi
  previous="$prev_dir/gd-export-lint"
fi
[ "$previous" = none ] && previous=""

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Runs a command with its output discarded; prints "SECONDS PEAK_KB".
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > /dev/null 2>&1 || true
  cat "$work/time"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; }
# The bare parse's seconds for the files listed in $1 (the second of two runs: a warm cache).
bare_seconds() {
  "$build/bench/bare_parse" < "$1" > /dev/null
  "$build/bench/bare_parse" < "$1" | sed -n "s/.*invalid, \([0-9.]*\) s:.*/\1/p"
}
# A table's header: the columns ($1), with the previous release's ($2) when there is one.
header() {
  local columns=$1
  [ -n "$previous" ] && columns+=$2
  echo "$columns"
  echo "$columns" | sed 's/[^|]//g; s/|/---|/g; s/^---//'
}

formats=(text json sarif github junit gitlab)
echo "machine: $(nproc) cores, $(uname -m), $(g++ --version | head -1)"
echo "measured: $tool"
echo "previous release: ${previous:-none}"
echo
header '| files | MB | bare parse | check -j1 | x bare | check -j2 | j1/j2 |' ' previous -j1 | x bare |'
memory_rows=()
for spec in "${sizes[@]}"; do
  count=${spec%/*}
  per_dir=0
  label=$count
  if [ "$spec" != "$count" ]; then
    per_dir=${spec#*/}
    label="$count in dirs of $per_dir"
  fi
  corpus="$work/corpus-$count-$per_dir"
  python3 bench/make_corpus.py "$corpus" "$count" "$per_dir" > /dev/null
  find "$corpus" -name '*.json' | sort > "$work/list"
  size=$(du -sm "$corpus" | cut -f1)
  cat "$work/list" | xargs cat > /dev/null  # warm the page cache
  bare=$(bare_seconds "$work/list")
  run() { measure "$1" check -q --jobs "$2" --fail-on never --format "$3" "$corpus"; }
  read -r j1 _ < <(run "$tool" 1 json)
  read -r j2 _ < <(run "$tool" 2 json)
  printf '| %s | %s | %s s | %s s | %s | %s s | %s |' "$label" "$size" "$bare" "$j1" \
    "$(ratio "$j1" "$bare")" "$j2" "$(ratio "$j1" "$j2")"
  if [ -n "$previous" ]; then
    read -r p1 _ < <(run "$previous" 1 json)
    printf ' %s s | %s |' "$p1" "$(ratio "$p1" "$bare")"
  fi
  echo
  row="| $label |"
  for format in "${formats[@]}"; do
    read -r _ kb < <(run "$tool" 2 "$format")
    row+=" $(mb "$kb") |"
  done
  if [ -n "$previous" ]; then
    for format in text json; do
      read -r _ kb < <(run "$previous" 2 "$format")
      row+=" $(mb "$kb") |"
    done
  fi
  memory_rows+=("$row")
  rm -rf "$corpus"
done
echo
header '| files | peak RSS text | json | sarif | github | junit | gitlab |' ' previous text | previous json |'
printf '%s\n' "${memory_rows[@]}"
echo

# Large containers: a 1 MB CloudFormation template (against its bare parse) and a 1 MB Terraform
# module (HCL has no RapidJSON floor: its time per MB beside the template's).
python3 bench/make_containers.py "$work/containers" > /dev/null
echo "$work/containers/template.json" > "$work/list"
template_bare=$(bare_seconds "$work/list")
read -r template_s template_kb < <(measure "$tool" check -q --fail-on never "$work/containers/template.json")
read -r module_s module_kb < <(measure "$tool" check -q --fail-on never "$work/containers/module")
echo "| 1 MB container | bare parse | check | x bare | peak RSS |"
echo "|---|---|---|---|---|"
echo "| CloudFormation template (JSON) | $template_bare s | $template_s s | $(ratio "$template_s" "$template_bare") | $(mb "$template_kb") |"
echo "| Terraform module | - | $module_s s | - | $(mb "$module_kb") |"
echo

# One small file, process start to exit: the median of 200 runs, against /bin/true.
small=examples/correct/key-policy.json
median_of_runs() {
  for _ in $(seq 200); do
    start=$(date +%s%N)
    "$@" > /dev/null 2>&1 || true
    end=$(date +%s%N)
    echo $(( (end - start) / 1000 ))
  done | sort -n | sed -n 100p
}
echo "| one small file, start to exit (median of 200) | us |"
echo "|---|---|"
echo "| /bin/true (process start floor) | $(median_of_runs /bin/true) |"
echo "| gd-export-lint check $small | $(median_of_runs "$tool" check -q "$small") |"
[ -n "$previous" ] &&
  echo "| previous release, same file | $(median_of_runs "$previous" check -q "$small") |"
exit 0
