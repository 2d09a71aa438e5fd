#!/usr/bin/env bash
# Runs action.yml's steps as the runner would (scripts/github-action.sh with the step's
# environment), on the broken and the correct example: annotations and a failing check, then a
# SARIF file written whatever the findings; the correct example passes.
# Usage: tests/action_test.sh BINARY SOURCE_DIR
set -euo pipefail
binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GITHUB_ACTION_PATH="$src" GDL_BINARY="$binary" GITHUB_STEP_SUMMARY="$work/summary.md"
# Every step the action runs is one of the script's: the action file names no other command.
grep -q 'github-action.sh" build' "$src/action.yml"
grep -q 'github-action.sh" check' "$src/action.yml"
grep -q 'github-action.sh" sarif' "$src/action.yml"
cd "$src"
step() { bash "$src/scripts/github-action.sh" "$@"; }

GDL_PATHS="examples/broken" GDL_ARGS="" step build > /dev/null
set +e
GDL_PATHS="examples/broken" GDL_ARGS="" step check > "$work/annotations.txt"
code=$?
set -e
[ "$code" -eq 1 ] || { echo "FAIL: check step exited $code on the broken example"; exit 1; }
grep -q '^::error file=examples/broken/' "$work/annotations.txt" || { echo "FAIL: no annotation"; exit 1; }
grep -q '## gd-export-lint' "$work/summary.md" || { echo "FAIL: no job summary"; exit 1; }
GDL_PATHS="examples/broken" GDL_ARGS="" GDL_SARIF="$work/out.sarif" step sarif
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d['runs'][0]['results'] else 1)" "$work/out.sarif"
# Arguments with spaces stay arguments, and a correct setup passes.
GDL_PATHS="examples/correct" GDL_ARGS="--fail-on warning" step check > /dev/null
echo "action steps: annotations and a failing check on the broken example, SARIF written, the correct one passes"
