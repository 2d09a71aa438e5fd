#!/usr/bin/env bash
# Rewrites testdata/**/<case>.expect from the current binary's output. Review `git diff` after!
# Usage: bash scripts/update-expect.sh [build-dir] [fixture.json...]
set -euo pipefail
build=${1:-build}
shift || true
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  mapfile -t files < <(find testdata -name '*.json' -not -path '*/schemas/*' | sort)
fi
for f in "${files[@]}"; do
  "$build/gd-export-lint" check --format json --fail-on never "$f" |
    python3 -c 'import json,sys; [print("%d:%d %s" % (d["line"], d["column"], d["ruleId"])) for d in json.load(sys.stdin)["diagnostics"]]' \
      > "${f%.json}.expect"
done
