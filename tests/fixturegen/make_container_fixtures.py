#!/usr/bin/env python3
"""Writes the container fixtures in testdata/containers/: whole export setups held in
CloudFormation templates (YAML and JSON), Terraform plans and sources, and AWS CLI output.
Expectations (case.expect) are written by the fixture test with GDL_UPDATE_EXPECT=1 and then
reviewed by hand; this script only writes the inputs."""
import json
import os
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "testdata", "containers")
STACK = open(os.path.join(ROOT, "examples", "cloudformation", "guardduty-export.yaml")).read()


def write(case, name, text):
    os.makedirs(os.path.join(OUT, case), exist_ok=True)
    with open(os.path.join(OUT, case, name), "w") as f:
        f.write(text)
    expect = os.path.join(OUT, case, "case.expect")
    if not os.path.exists(expect):
        open(expect, "w").close()


# YAML short forms -> JSON long forms, for the JSON templates.
class Loader(yaml.SafeLoader):
    pass


def short_form(loader, suffix, node):
    name = "Ref" if suffix == "Ref" else "Fn::" + suffix
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


Loader.add_multi_constructor("!", short_form)


def to_json(text):
    return json.dumps(yaml.load(text, Loader=Loader), indent=2) + "\n"


BROKEN = STACK
# The key grant lost its source conditions (confused deputy).
BROKEN = BROKEN.replace(
    """            Action: kms:GenerateDataKey
            Resource: "*"
            Condition:
              StringEquals:
                aws:SourceAccount: !Ref AWS::AccountId
                aws:SourceArn: !Sub "arn:${AWS::Partition}:guardduty:${AWS::Region}:${AWS::AccountId}:detector/${Detector}"
""",
    """            Action: kms:GenerateDataKey
            Resource: "*"
""")
# The HTTPS deny was inverted: it now denies TLS requests, GuardDuty's among them.
BROKEN = BROKEN.replace("aws:SecureTransport: false", "aws:SecureTransport: true")
# A wildcard under StringEquals.
BROKEN = BROKEN.replace(
    """              StringEquals:
                aws:SourceAccount: !Ref AWS::AccountId
                aws:SourceArn: !Sub "arn:${AWS::Partition}:guardduty:${AWS::Region}:${AWS::AccountId}:detector/${Detector}"
          - Sid: AllowPutObject""",
    """              StringEquals:
                aws:SourceAccount: !Ref AWS::AccountId
                aws:SourceArn: !Sub "arn:${AWS::Partition}:guardduty:*:${AWS::AccountId}:detector/*"
          - Sid: AllowPutObject""")
assert BROKEN.count("SecureTransport: true") == 1 and "guardduty:*:" in BROKEN

write("cfn-yaml-stack-correct", "stack.yaml", STACK)
write("cfn-yaml-stack-broken", "stack.yaml", BROKEN)
write("cfn-json-stack-correct", "stack.json", to_json(STACK))
write("cfn-json-stack-broken", "stack.json", to_json(BROKEN))

# Unknown values: a key ARN parameter without default, an imported bucket name, Fn::If. None may
# produce a finding; an unknown function does (CloudFormation rejects it).
UNKNOWN = STACK.replace(
    """  FindingsPrefix:
    Type: String
    Default: findings
""",
    """  FindingsPrefix:
    Type: String
    Default: findings
  ExternalKeyArn:
    Type: String
""").replace(
    "s3:x-amz-server-side-encryption-aws-kms-key-id: !GetAtt FindingsKey.Arn",
    "s3:x-amz-server-side-encryption-aws-kms-key-id: !Ref ExternalKeyArn").replace(
    """            Resource: "*"
            Condition:""",
    """            Resource: !If [UseExternal, !ImportValue shared-key-arn, "*"]
            Condition:""").replace(
    "      EnableKeyRotation: true",
    "      EnableKeyRotation: true\n      Tags: [{Key: owner, Value: {\"Fn::Subb\": \"${AWS::StackName}\"}}]")
write("cfn-yaml-unknown-values", "stack.yaml", UNKNOWN)

# A second, unrelated key and bucket policy (no GuardDuty grant): only the export's own are
# simulated, so the correct stack stays silent.
OTHER = STACK.replace("""  PublishingDestination:""", """  TopicKey:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Sid: EnableIAMUserPermissions
            Effect: Allow
            Principal:
              AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"
            Action: "kms:*"
            Resource: "*"

  LogsBucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: access-logs-bucket
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: AllowLogDelivery
            Effect: Allow
            Principal:
              Service: logging.s3.amazonaws.com
            Action: s3:PutObject
            Resource: arn:aws:s3:::access-logs-bucket/*

  PublishingDestination:""")
write("cfn-yaml-other-resources", "stack.yaml", OTHER)

# The export key has no KeyPolicy: KMS's default policy does not let GuardDuty use it.
start = STACK.index("      KeyPolicy:")
end = STACK.index("  FindingsBucket:")
write("cfn-yaml-default-key-policy", "stack.yaml", STACK[:start] + "\n" + STACK[end:])

# Invalid YAML: a line indented with a tab (YAML forbids tabs in indentation) and an unknown tag.
INVALID = BROKEN.replace("      EnableKeyRotation: true", "      EnableKeyRotation: true\n\t  Bad: line")
INVALID = INVALID.replace("Resource: !GetAtt FindingsBucket.Arn", "Resource: !GetAttr FindingsBucket.Arn", 1)
write("cfn-yaml-invalid", "stack.yaml", INVALID)

# AWS CLI output of the broken example policies, and the destination as the CLI describes it.
for name in ("key-policy", "bucket-policy"):
    policy = open(os.path.join(ROOT, "examples", "broken", name + ".json")).read()
    compact = name == "bucket-policy"  # S3 returns the policy minified; KMS as written
    text = json.dumps(json.loads(policy), separators=(",", ":")) if compact else policy
    write("cli-output-broken", name + ".json", json.dumps({"Policy": text}, indent=4) + "\n")
    if name == "key-policy":
        write("cli-output-broken", "key-policy-policyname.json",
              json.dumps({"Policy": text, "PolicyName": "default"}, indent=4) + "\n")
os.remove(os.path.join(OUT, "cli-output-broken", "key-policy-policyname.json"))
write("cli-output-broken", "destination.json", json.dumps({
    "DestinationId": "a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9",
    "DestinationType": "S3",
    "Status": "PUBLISHING",
    "PublishingFailureStartTimestamp": 0,
    "DestinationProperties": {
        "DestinationArn": "arn:aws:s3:::example-guardduty-findings/findings",
        "KmsKeyArn": "arn:aws:kms:us-east-2:382910475620:key/1f2e3d4c-5b6a-4798-81a2-b3c4d5e6f708",
    },
    "Tags": {},
}, indent=4) + "\n")


def plan(key_policy, bucket_policy, destination):
    resources = [
        {"address": "aws_kms_key.findings", "mode": "managed", "type": "aws_kms_key",
         "name": "findings", "values": {"description": "GuardDuty findings",
                                         "enable_key_rotation": True, "policy": key_policy}},
        {"address": "aws_s3_bucket_policy.findings", "mode": "managed",
         "type": "aws_s3_bucket_policy", "name": "findings",
         "values": {"bucket": "example-guardduty-findings", "policy": bucket_policy}},
    ]
    child = {"address": "module.guardduty", "resources": [
        {"address": "module.guardduty.aws_guardduty_publishing_destination.s3", "mode": "managed",
         "type": "aws_guardduty_publishing_destination", "name": "s3", "values": destination}]}
    return json.dumps({"format_version": "1.2", "terraform_version": "1.9.5",
                       "planned_values": {"root_module": {"resources": resources,
                                                          "child_modules": [child]}}},
                      indent=2) + "\n"


def minified(path):
    return json.dumps(json.loads(open(os.path.join(ROOT, path)).read()), separators=(",", ":"))


DEST = {"detector_id": "5ab8e9c0d1f2a3b4c5d6e7f8a9b0c1d2", "destination_type": "S3",
        "destination_arn": "arn:aws:s3:::example-guardduty-findings/findings",
        "kms_key_arn": "arn:aws:kms:us-east-2:382910475620:key/1f2e3d4c-5b6a-4798-81a2-b3c4d5e6f708"}
write("tf-plan-stack-correct", "plan.json",
      plan(minified("examples/correct/key-policy.json"),
           minified("examples/correct/bucket-policy.json"), DEST))
write("tf-plan-stack-broken", "plan.json",
      plan(minified("examples/broken/key-policy.json"),
           minified("examples/broken/bucket-policy.json"), DEST))


def heredoc(path):
    return "".join("    " + line for line in open(os.path.join(ROOT, path)).read().splitlines(True))


TF = f'''resource "aws_kms_key" "findings" {{
  description         = "GuardDuty findings"
  enable_key_rotation = true
  policy              = <<-EOT
{heredoc("examples/broken/key-policy.json")}  EOT
}}

resource "aws_s3_bucket_policy" "findings" {{
  bucket = aws_s3_bucket.findings.id
  # Built with jsonencode: not plain JSON, so only noted (check the plan for it).
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = []
  }})
}}

resource "aws_guardduty_publishing_destination" "s3" {{
  detector_id     = aws_guardduty_detector.main.id
  destination_arn = "arn:aws:s3:::example-guardduty-findings/findings"
  kms_key_arn     = "arn:aws:kms:us-east-2:382910475620:key/1f2e3d4c-5b6a-4798-81a2-b3c4d5e6f708"
}}
'''
write("tf-source-broken", "main.tf", TF)
print("written to", OUT)
