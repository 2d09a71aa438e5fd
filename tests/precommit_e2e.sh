#!/usr/bin/env bash
# End to end with Debian's pre-commit: this repository's .pre-commit-hooks.yaml, used from a
# real revision by a temporary repository, fails a broken policy change, passes a correct one
# and ignores an unrelated JSON file.
# Usage: tests/precommit_e2e.sh BINARY_DIR SOURCE_DIR
set -euo pipefail
bin_dir=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
if ! command -v pre-commit > /dev/null; then
  echo "pre-commit is not installed: skipping the end-to-end hook test"
  exit 0
fi
if ! git -C "$src" rev-parse HEAD > /dev/null 2>&1; then
  echo "$src is not a git checkout: skipping the end-to-end hook test"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache" PATH="$bin_dir:$PATH" GIT_CONFIG_NOSYSTEM=1 HOME="$work"
# The hook definition as committed: a clone of the checkout at HEAD (uncommitted changes to
# .pre-commit-hooks.yaml would not be seen, as in real use).
rev=$(git -C "$src" rev-parse HEAD)
repo="$work/repo"
mkdir -p "$repo/policies"
cd "$repo"
git init -q .
git config user.email ci@example.com
git config user.name ci
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $src
    rev: $rev
    hooks:
      - id: gd-export-lint
YAML
git add .pre-commit-config.yaml
git commit -qm config

expect() {
  local want=$1
  shift
  set +e
  pre-commit run --files "$@" > "$work/out.txt" 2>&1
  local got=$?
  set -e
  if [ "$got" -ne "$want" ]; then
    cat "$work/out.txt"
    echo "FAIL: pre-commit run --files $* exited $got, expected $want"
    exit 1
  fi
}

# An unrelated JSON file: looked at, skipped, passes.
echo '{"name": "web", "version": "1.0.0"}' > package.json
git add package.json
expect 0 package.json

# A broken setup: the hook fails.
cp "$src/examples/broken/key-policy.json" "$src/examples/broken/bucket-policy.json" policies/
git add policies
expect 1 policies/bucket-policy.json
grep -q "GD201\|GD309" "$work/out.txt" || { cat "$work/out.txt"; echo "FAIL: no finding shown"; exit 1; }

# Corrected: the hook passes, with the changed file checked within its whole setup.
cp "$src/examples/correct/key-policy.json" "$src/examples/correct/bucket-policy.json" policies/
git add policies
expect 0 policies/bucket-policy.json
# A Terraform module whose caller gives its bucket's name: its file changed alone passes (read
# through the caller, as a scan of the repository reads it; on its own, its default "" made
# "arn:aws:s3:::"), and the caller's terraform.tfvars changed to an empty name fails.
mkdir -p modules/lists live
cat > modules/lists/main.tf <<'HCL'
variable "bucket_name" {
  type    = string
  default = ""
}

data "aws_iam_policy_document" "lists" {
  statement {
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::${var.bucket_name}", "arn:aws:s3:::${var.bucket_name}/*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
}

resource "aws_s3_bucket_policy" "lists" {
  bucket = var.bucket_name
  policy = data.aws_iam_policy_document.lists.json
}
HCL
cat > live/main.tf <<'HCL'
variable "bucket" {
  type = string
}

module "lists" {
  source      = "../modules/lists"
  bucket_name = var.bucket
}
HCL
echo 'bucket = "acme-threat-lists"' > live/terraform.tfvars
git add modules live
expect 0 modules/lists/main.tf
echo 'bucket = ""' > live/terraform.tfvars
git add live
expect 1 live/terraform.tfvars
grep -q "GD106" "$work/out.txt" || { cat "$work/out.txt"; echo "FAIL: no GD106 shown"; exit 1; }
echo "pre-commit end to end: unrelated file ignored, broken change fails, correct one passes, a"
echo "module's file read through its caller, a changed terraform.tfvars checked with its module"
