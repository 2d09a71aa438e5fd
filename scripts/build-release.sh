#!/usr/bin/env bash
# The release executable: static (-DGDL_STATIC=ON), Release, and profile-guided (GCC).
#   1. builds an instrumented executable and runs it over the repository's own inputs
#      (testdata/ and examples/: real policies, containers, hostile files), in every output
#      format, whole and one file at a time;
#   2. rebuilds with that profile, in the same directory (GCC finds a profile by its object's
#      path).
# The profile is made from the fixtures, not from bench/'s generated corpus, so that the
# benchmark measures it on inputs it was not trained on.
# Usage: bash scripts/build-release.sh [BUILD_DIR]   (default build-release; the executable is
# BUILD_DIR/gd-export-lint)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-release}
profile="$(pwd)/$build/pgo"
rm -rf "$profile"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DGDL_STATIC=ON -DGDL_BUILD_TESTS=OFF \
  -DGDL_PGO=GENERATE -DGDL_PGO_DIR="$profile" > /dev/null
cmake --build "$build" -j2 --target gd-export-lint > /dev/null
tool="$build/gd-export-lint"
train() { "$tool" "$@" > /dev/null 2>&1 || true; }
for format in text json sarif github junit gitlab; do
  train check -q --fail-on never --jobs 2 --format "$format" testdata examples
done
find testdata examples -type f \( -name '*.json' -o -name '*.tf' -o -name '*.yaml' \
  -o -name '*.yml' -o -name '*.template' \) | sort | while read -r file; do
  train check -q --fail-on never "$file"
done
train --version
train --help
train list-rules
[ -n "$(find "$profile" -name '*.gcda' -print -quit)" ] || {
  echo "build-release: the instrumented run wrote no profile to $profile" >&2
  exit 1
}
cmake -S . -B "$build" -DGDL_PGO=USE > /dev/null
cmake --build "$build" -j2 --target gd-export-lint > /dev/null
echo "$tool"
