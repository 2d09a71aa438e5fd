#!/usr/bin/env bash
# Times `gd-export-lint verify` on every export setup the project keeps (the real setups of
# testdata/realworld/ and the verify fixtures) and on a hostile policy of overlapping wildcards,
# end to end (process start to exit, the best of RUNS runs), beside `check` of the same setup.
# The target is a whole bucket + key setup in under 100 ms; a hostile policy must end with
# "not proved", bounded by the budgets, never hang.
#
#   bash bench/verify_bench.sh [BINARY]     (default build/gd-export-lint; RUNS=5)
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-build/gd-export-lint}
runs=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

best_ms() {  # the fastest of $runs runs of "$@", in milliseconds
  local best=""
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" > /dev/null 2>&1 || true
    end=$(date +%s%N)
    local ms=$(((end - start) / 1000000))
    if [[ -z $best || $ms -lt $best ]]; then best=$ms; fi
  done
  echo "$best"
}

# A hostile bucket policy: 40 statements with overlapping wildcards in resources and conditions.
python3 - "$work/hostile" <<'PY'
import json, os, random, sys
random.seed(7)
os.makedirs(sys.argv[1], exist_ok=True)
keys = ["aws:SourceAccount", "aws:SourceArn", "aws:PrincipalArn", "aws:PrincipalOrgID",
        "s3:x-amz-acl", "aws:UserAgent", "aws:Referer", "aws:CalledVia"]
statements = []
for i in range(40):
    cond = {}
    for k in random.sample(keys, 3):
        op = random.choice(["StringLike", "StringNotLike", "ForAnyValue:StringLike"])
        cond.setdefault(op, {})[k] = ["".join(random.choice("ab*?:") for _ in range(6)) for _ in range(2)]
    statements.append({"Effect": random.choice(["Allow", "Deny"]), "Principal": "*",
                       "Action": random.choice(["s3:*", "s3:Put*", "s3:Get*", "*"]),
                       "Resource": "arn:aws:s3:::b/" + "".join(random.choice("ab*?/") for _ in range(8)),
                       "Condition": cond})
statements.append({"Sid": "GuardDuty", "Effect": "Allow",
                   "Principal": {"Service": "guardduty.amazonaws.com"},
                   "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"})
json.dump({"Version": "2012-10-17", "Statement": statements},
          open(os.path.join(sys.argv[1], "bucket-policy.json"), "w"))
PY

printf '%-44s %9s %9s %s\n' "setup" "verify" "check" "answers"
over=0
for dir in testdata/realworld/*/ testdata/verify/*/ "$work/hostile/"; do
  name=$(basename "$dir")
  extra=()
  if [[ $name == hostile ]]; then extra=(--kind bucket); fi
  v=$(best_ms "$binary" verify "${extra[@]}" "$dir")
  c=$(best_ms "$binary" check "${extra[@]}" "$dir")
  answers=$( ("$binary" verify "${extra[@]}" --format json "$dir" 2> /dev/null || true) | python3 -c '
import json, sys
try:
    d = json.load(sys.stdin)
except ValueError:
    print("no export setup"); sys.exit()
found = sum(1 for doc in d["documents"] for a in doc["access"] for c in a["classes"] if c["answer"] == "reachable")
proved = sum(1 for doc in d["documents"] for a in doc["access"] for c in a["classes"] if c["answer"] == "nobody")
open_ = sum(1 for doc in d["documents"] for a in doc["access"] for c in a["classes"] if c["answer"] == "not-proved")
print(f"{found} reachable, {proved} proved nobody, {open_} not proved")' || true)
  printf '%-44s %6s ms %6s ms %s\n' "$name" "$v" "$c" "$answers"
  if [[ $name != hostile && $v -ge 100 ]]; then over=$((over + 1)); fi
done
echo "setups over the 100 ms target: $over"
