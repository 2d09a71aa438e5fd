#!/usr/bin/env bash
# Pathological and hostile inputs (issue "Robustness"): each must get a clear finding or error,
# within a second and under 100 MB, without a crash. Prints time, peak memory and exit code per
# case; fails if any case crashes (exit code above 2), exceeds the limits, or prints nothing.
# Usage: bash bench/hostile.sh [path/to/gd-export-lint]
set -uo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/gd-export-lint}
dir=$(mktemp -d)
trap 'chmod -R u+rwx "$dir"; rm -rf "$dir"' EXIT
py() { python3 -c "$1"; }
py "import sys; sys.stdout.write('{\"Statement\": ' + '['*100000 + ']'*100000 + '}')" > "$dir/deep-100000.json"
py "import sys; sys.stdout.write('{\"Statement\": [], \"Sid\": \"' + 'a'*10_000_000 + '\"}')" > "$dir/string-10MB.json"
py "import sys; sys.stdout.write('{\"Statement\": [], ' + ','.join('\"k%d\": 1' % i for i in range(1_000_000)) + '}')" > "$dir/keys-1M.json"
py "
import json,sys
s=[{'Sid':'S%d'%i,'Effect':'Allow','Principal':{'Service':'guardduty.amazonaws.com'},'Action':'s3:PutObject','Resource':'arn:aws:s3:::b/p%d/*'%i} for i in range(100000)]
sys.stdout.write(json.dumps({'Version':'2012-10-17','Statement':s}))" > "$dir/statements-100k.json"
py "
import json,sys
s=[{'Sid':'S%d'%i,'Effect':'Allow','Principal':'*','Action':['s3:GetObject'],'Resource':'arn:aws:s3:::bucket/data/%d/*'%i,'Condition':{'StringLike':{'aws:UserAgent':'x'*400}}} for i in range(80000)]
sys.stdout.write(json.dumps({'Version':'2012-10-17','Statement':s}, indent=1))" > "$dir/file-50MB.json"
py "import sys; sys.stdout.write('{\"Statement\": [' + ','.join(['{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}']*50000) + ']}')" > "$dir/line-5MB.json"
printf '{"Statement": [], "n": [1e999999, %s, -0.0e-999999]}' "$(py "print('9'*400)")" > "$dir/numbers.json"
printf '{"Statement": [], "Sid": "a\\u0000b", "Id": "\\ud800", "x": "\\udc00"}' > "$dir/nul-and-surrogates.json"
printf '{"Statement": [], "Sid": "\xc0\xaf \xe2\x82 \xed\xa0\x80 \xf4\x90\x80\x80"}' > "$dir/bad-utf8.json"
printf '{\r\n\t"Version": "2012-10-17",\r\t"Statement": [\r\n\t\t{"Effect": "Allow" "Principal": "*"}\r\n\t]\r\n}' > "$dir/crlf-cr-tabs.json"
py "
import json,sys
pattern='arn:aws:s3:::' + '*a'*40 + '*b'
sys.stdout.write(json.dumps({'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':{'Service':'guardduty.amazonaws.com'},'Action':'s3:PutObject','Resource':[pattern, 'arn:aws:s3:::' + '*'*500 + 'z'],'Condition':{'StringLike':{'aws:SourceArn':'*a'*300+'*b'}}}]}))" > "$dir/adversarial-wildcards.json"
# Containers: alias expansion ("billion laughs"), deep YAML, unclosed heredocs, a big policy in
# CLI output, a template with 300,000 resources.
py "
import sys
lines=['Resources:','  K:','    Type: AWS::KMS::Key','    Properties:','      Tags:','        a0: &a0 [x,x,x,x,x,x,x,x,x,x]']
lines+=['        a%d: &a%d [' % (i,i) + ','.join(['*a%d' % (i-1)]*10) + ']' for i in range(1,10)]
sys.stdout.write('\\n'.join(lines)+'\\n')" > "$dir/yaml-aliases.yaml"
py "import sys; sys.stdout.write('# AWS::KMS::Key\\nResources: ' + '['*100000 + ']'*100000)" > "$dir/yaml-deep.yaml"
py "import sys; sys.stdout.write('resource \"aws_s3_bucket_policy\" \"x\" {\\n' + ''.join('x = <<M%d\\n' % i for i in range(200000)) + '}\\n')" > "$dir/heredocs.tf"
py "
import json,sys
p=json.dumps({'Version':'2012-10-17','Statement':[{'Sid':'S%d'%i,'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'} for i in range(20000)]})
sys.stdout.write(json.dumps({'Policy':p}))" > "$dir/cli-policy-2MB.json"
py "import sys; sys.stdout.write('Resources:\\n' + ''.join('  R%d: {Type: AWS::SNS::Topic}\\n' % i for i in range(300000)) + '  Key: {Type: AWS::KMS::Key, Properties: {KeyPolicy: {Statement: []}}}\\n')" > "$dir/template-300k.yaml"
# Policy documents that each merge the one before twice (2^36 statements if followed).
py "
import sys
out=['data \"aws_iam_policy_document\" \"d0\" {\n statement {\n  actions = [\"s3:*\"]\n  resources = [\"*\"]\n }\n}']
out+=['data \"aws_iam_policy_document\" \"d%d\" {\n source_policy_documents = [data.aws_iam_policy_document.d%d.json, data.aws_iam_policy_document.d%d.json]\n}' % (i,i-1,i-1) for i in range(1,37)]
out.append('resource \"aws_s3_bucket_policy\" \"x\" {\n bucket = \"b\"\n policy = data.aws_iam_policy_document.d36.json\n}')
sys.stdout.write('\n'.join(out)+'\n')" > "$dir/merged-documents.tf"
mkdir "$dir/a-directory"
mkfifo "$dir/a-fifo.json"
echo '{"Statement": []}' > "$dir/unreadable.json" && chmod 000 "$dir/unreadable.json"  # (root can still read it)
ln -s "$dir/does-not-exist.json" "$dir/dangling.json"
mkdir -p "$dir/tree/sub" && ln -s "$dir/tree" "$dir/tree/sub/loop" && cp examples/correct/bucket-policy.json "$dir/tree/"

# Each case in a directory of its own: a named file is checked within its directory's setup, and
# the cases must not be each other's siblings.
for f in "$dir"/*.json "$dir"/*.yaml "$dir"/*.tf; do
  [ -e "$f" ] || [ -L "$f" ] || continue
  name=$(basename "$f")
  mkdir "$dir/case-$name" && mv "$f" "$dir/case-$name/$name"
done

status=0
run() {  # name, then the command's arguments
  local name=$1
  shift
  local out
  out=$(/usr/bin/time -f "%e %M" -o "$dir/time" "$bin" "$@" 2>&1 < /dev/null)
  local code=$?
  read -r seconds kb < <(tail -1 "$dir/time")
  local verdict=ok
  if [ "$code" -gt 2 ] || [ -z "$out" ]; then verdict=FAIL; status=1; fi
  if awk "BEGIN{exit !($seconds > 1.0)}"; then verdict="SLOW"; status=1; fi
  if [ "$kb" -gt 102400 ]; then verdict="BIG"; status=1; fi
  printf '%-28s exit %d  %5.2f s  %6d KB  %-4s %s\n' "$name" "$code" "$seconds" "$kb" "$verdict" \
    "$(echo "$out" | grep -v '^ ' | head -1 | cut -c1-90)"
}
for f in deep-100000 string-10MB keys-1M statements-100k file-50MB line-5MB numbers nul-and-surrogates \
         bad-utf8 crlf-cr-tabs adversarial-wildcards a-fifo unreadable dangling; do
  run "$f" check -q --fail-on never "$dir/case-$f.json/$f.json"
done
for f in yaml-aliases.yaml yaml-deep.yaml heredocs.tf merged-documents.tf cli-policy-2MB.json \
         template-300k.yaml; do
  run "$f" check --fail-on never "$dir/case-$f/$f"
done
# A named file beside a 48 MB sibling: siblings that large are not read (no policy is).
mkdir "$dir/mixed" && cp examples/correct/bucket-policy.json "$dir/mixed/" &&
  cp "$dir/case-file-50MB.json/file-50MB.json" "$dir/mixed/"
run "named beside a 48 MB sibling" check "$dir/mixed/bucket-policy.json"
run "a-directory (empty scan)" check "$dir/a-directory"
run "symlink loop in a scan" check "$dir/tree"
run "size limit (--max-size 1)" check -q --max-size 1 "$dir/case-line-5MB.json/line-5MB.json"
out=$(printf '' | "$bin" check -q - 2>&1); echo "empty stdin: exit $? $(echo "$out" | head -1 | cut -c1-90)"
out=$("$bin" check examples/broken/bucket-policy.json | head -1; echo "pipeline exit ${PIPESTATUS[0]}")
echo "closed pipe (| head -1): $(echo "$out" | tail -1) (141 would be SIGPIPE; 1 means findings)"
exit $status
