#!/usr/bin/env python3
"""Generates large containers for the scan benchmark: a CloudFormation template (JSON) and a
Terraform module, each of about SIZE bytes, holding many GuardDuty export buckets and keys with
their policies (the guide's statements), so a container's reader, not only its parser, is timed.

Usage: make_containers.py DIR [SIZE]   (default 1,000,000 bytes). Writes DIR/template.json and
DIR/module/main.tf. Deterministic."""
import json
import os
import sys

ACCOUNT = "382910475620"


def cfn_pair(i):
    bucket = f"FindingsBucket{i}"
    key = f"FindingsKey{i}"
    gd = {"Service": "guardduty.amazonaws.com"}
    source = {"StringEquals": {"aws:SourceAccount": ACCOUNT}}
    return {
        bucket: {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": f"gd-findings-{i}-{ACCOUNT}"}},
        f"{bucket}Policy": {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {
                "Bucket": {"Ref": bucket},
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Sid": "AllowGetBucketLocation", "Effect": "Allow", "Principal": gd,
                         "Action": "s3:GetBucketLocation", "Resource": {"Fn::GetAtt": [bucket, "Arn"]},
                         "Condition": source},
                        {"Sid": "AllowPutObject", "Effect": "Allow", "Principal": gd, "Action": "s3:PutObject",
                         "Resource": {"Fn::Sub": f"${{{bucket}.Arn}}/findings/*"}, "Condition": source},
                        {"Sid": "DenyNonHTTPSAccess", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                         "Resource": {"Fn::Sub": f"${{{bucket}.Arn}}/*"},
                         "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
                    ],
                },
            },
        },
        key: {
            "Type": "AWS::KMS::Key",
            "Properties": {
                "KeyPolicy": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Sid": "EnableIAMUserPermissions", "Effect": "Allow",
                         "Principal": {"AWS": {"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:root"}},
                         "Action": "kms:*", "Resource": "*"},
                        {"Sid": "AllowGuardDutyKey", "Effect": "Allow", "Principal": gd,
                         "Action": "kms:GenerateDataKey", "Resource": "*", "Condition": source},
                    ],
                }
            },
        },
    }


def tf_pair(i):
    return f'''
resource "aws_s3_bucket" "findings_{i}" {{
  bucket = "gd-findings-{i}-{ACCOUNT}"
}}

data "aws_iam_policy_document" "bucket_{i}" {{
  statement {{
    sid       = "AllowGetBucketLocation"
    actions   = ["s3:GetBucketLocation"]
    resources = [aws_s3_bucket.findings_{i}.arn]
    principals {{
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }}
    condition {{
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }}
  }}
  statement {{
    sid       = "AllowPutObject"
    actions   = ["s3:PutObject"]
    resources = ["${{aws_s3_bucket.findings_{i}.arn}}/findings/*"]
    principals {{
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }}
  }}
}}

resource "aws_s3_bucket_policy" "findings_{i}" {{
  bucket = aws_s3_bucket.findings_{i}.id
  policy = data.aws_iam_policy_document.bucket_{i}.json
}}

resource "aws_kms_key" "findings_{i}" {{
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Sid       = "EnableIAMUserPermissions"
        Effect    = "Allow"
        Principal = {{ AWS = "arn:aws:iam::${{data.aws_caller_identity.current.account_id}}:root" }}
        Action    = "kms:*"
        Resource  = "*"
      }},
      {{
        Sid       = "AllowGuardDutyKey"
        Effect    = "Allow"
        Principal = {{ Service = "guardduty.amazonaws.com" }}
        Action    = "kms:GenerateDataKey"
        Resource  = "*"
      }},
    ]
  }})
}}
'''


def main():
    out = sys.argv[1]
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    os.makedirs(os.path.join(out, "module"), exist_ok=True)
    resources = {}
    i = 0
    while len(json.dumps(resources, indent=2)) < size:
        resources.update(cfn_pair(i))
        i += 1
    with open(os.path.join(out, "template.json"), "w") as f:
        json.dump({"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}, f, indent=2)
    parts = ['data "aws_caller_identity" "current" {}\n']
    total = len(parts[0])
    i = 0
    while total < size:
        parts.append(tf_pair(i))
        total += len(parts[-1])
        i += 1
    with open(os.path.join(out, "module", "main.tf"), "w") as f:
        f.write("".join(parts))


if __name__ == "__main__":
    main()
