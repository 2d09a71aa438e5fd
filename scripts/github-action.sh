#!/usr/bin/env bash
# The steps of action.yml, runnable in any shell (tests/action_test.sh runs them):
#   build   install the Debian packages and build into $GITHUB_ACTION_PATH/build (unless
#           GDL_BINARY names a built binary)
#   check   `check --format github` over $GDL_PATHS with $GDL_ARGS: annotations, job summary,
#           the exit code of the check
#   sarif   `check --format sarif --output $GDL_SARIF --fail-on never` (always succeeds when the
#           inputs can be read)
set -euo pipefail
action_path=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
binary=${GDL_BINARY:-$action_path/build/gd-export-lint}
read -r -a paths <<< "${GDL_PATHS:-.}"
read -r -a args <<< "${GDL_ARGS:-}"
case "${1:-}" in
  build)
    if [ -x "$binary" ]; then
      echo "using $binary"
      exit 0
    fi
    bash "$action_path/scripts/install-deps.sh"
    cmake -S "$action_path" -B "$action_path/build" -DCMAKE_BUILD_TYPE=Release > /dev/null
    cmake --build "$action_path/build" -j "$(nproc)" --target gd-export-lint
    ;;
  check)
    "$binary" check --format github "${args[@]}" "${paths[@]}"
    ;;
  sarif)
    "$binary" check --format sarif --output "${GDL_SARIF:-gd-export-lint.sarif}" --fail-on never \
      "${args[@]}" "${paths[@]}"
    ;;
  *)
    echo "usage: github-action.sh build|check|sarif" >&2
    exit 2
    ;;
esac
