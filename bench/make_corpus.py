#!/usr/bin/env python3
"""Generates a synthetic repository of policy files for the scan benchmark.

Usage: make_corpus.py DIR [COUNT [PER_DIR]]   (default 20,000 files)

About 70% are key or bucket policies (correct, or with a common mistake: a Resource without the
prefix, a placeholder, StringEquals with a wildcard, a missing comma), sized from about 1 KB to
20 KB by adding reader statements; the rest are unrelated JSON files (package manifests, data)
that a scan must skip. Deterministic for a given COUNT. Files go into 1,261 team/service
directories, so a directory holds COUNT/1,261 of them (80 at 100,000: most of them then share a
setup with other key and bucket policies and are checked for grammar only); with PER_DIR, each
such directory is split into part-NNN directories of at most PER_DIR files (the same files, one
setup per small directory, as repositories kept per account or service are)."""
import json
import os
import random
import sys

A = "382910475620"
DET = "5ab8e9c0d1f2a3b4c5d6e7f8a9b0c1d2"
KEY = f"arn:aws:kms:us-east-2:{A}:key/1f2e3d4c-5b6a-4798-81a2-b3c4d5e6f708"
GD = {"Service": "guardduty.amazonaws.com"}
COND = {"StringEquals": {"aws:SourceAccount": A, "aws:SourceArn": f"arn:aws:guardduty:us-east-2:{A}:detector/{DET}"}}


def bucket(rng, name, broken):
    b = f"arn:aws:s3:::{name}"
    put_resource = f"{b}/*" if broken == "prefix" else f"{b}/findings/*"
    cond = dict(COND)
    if broken == "wildcard":
        cond = {"StringEquals": {"aws:SourceArn": f"arn:aws:guardduty:*:{A}:detector/*"}}
    stmts = [
        {"Sid": "AllowGetBucketLocation", "Effect": "Allow", "Principal": GD, "Action": "s3:GetBucketLocation",
         "Resource": b, "Condition": COND},
        {"Sid": "AllowPutObject", "Effect": "Allow", "Principal": GD, "Action": "s3:PutObject",
         "Resource": put_resource, "Condition": cond},
        {"Sid": "DenyUnencryptedObjectUploads", "Effect": "Deny", "Principal": GD, "Action": "s3:PutObject",
         "Resource": f"{b}/findings/*",
         "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}},
        {"Sid": "DenyIncorrectEncryptionHeader", "Effect": "Deny", "Principal": GD, "Action": "s3:PutObject",
         "Resource": f"{b}/findings/*",
         "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": KEY}}},
        {"Sid": "DenyNonHTTPSAccess", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": [b, f"{b}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
    ]
    for i in range(rng.choice([0, 0, 2, 5, 10, 20, 40, 70])):
        stmts.append({"Sid": f"Reader{i}", "Effect": "Allow",
                      "Principal": {"AWS": f"arn:aws:iam::{A}:role/reader-{i}"},
                      "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": [b, f"{b}/reports/{i}/*"]})
    return {"Version": "2012-10-17", "Statement": stmts}


def key(rng, broken):
    gd = {"Sid": "AllowGuardDutyKey", "Effect": "Allow", "Principal": GD, "Action": "kms:GenerateDataKey",
          "Resource": "KMS key ARN" if broken == "placeholder" else "*", "Condition": COND}
    stmts = [{"Sid": "EnableIAMUserPermissions", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:root"},
              "Action": "kms:*", "Resource": "*"}, gd]
    for i in range(rng.choice([0, 1, 3, 8, 30])):
        stmts.append({"Sid": f"Use{i}", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:role/app-{i}"},
                      "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"})
    return {"Version": "2012-10-17", "Statement": stmts}


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    per_dir = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    rng = random.Random(20261124)
    for i in range(count):
        d = os.path.join(out, f"team-{i % 97:02d}", f"service-{i % 13}")
        if per_dir > 0:
            d = os.path.join(d, f"part-{i // 1261 // per_dir:04d}")
        os.makedirs(d, exist_ok=True)
        r = rng.random()
        broken = rng.choice([None, None, None, "prefix", "wildcard", "placeholder", "comma"])
        if r < 0.35:
            doc, name = bucket(rng, f"findings-{i}", broken), f"bucket-policy-{i}.json"
        elif r < 0.7:
            doc, name = key(rng, broken), f"key-policy-{i}.json"
        else:
            doc = {"name": f"pkg-{i}", "version": "1.0.0", "dependencies": {f"dep{j}": "^1.0" for j in range(rng.randint(1, 30))}}
            name, broken = f"package-{i}.json", None
        text = json.dumps(doc, indent=2)
        if broken == "comma":
            text = text.replace("},\n    {", "}\n    {", 1)
        with open(os.path.join(d, name), "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
