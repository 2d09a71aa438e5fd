#!/usr/bin/env python3
"""Writes the export-setup fixtures (testdata/<RULE>/<case>/*.json). Expectations are produced
by running the tests with GDL_UPDATE_EXPECT=1 and then reviewed by hand; this script only
writes the inputs, so a case can be read and changed as Python."""
import copy
import json
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "testdata")
A = "382910475620"
B_ACCOUNT = "719283746501"
DET = "5ab8e9c0d1f2a3b4c5d6e7f8a9b0c1d2"
REGION = "us-east-2"
KEY = f"arn:aws:kms:{REGION}:{A}:key/1f2e3d4c-5b6a-4798-81a2-b3c4d5e6f708"
OTHER_KEY = f"arn:aws:kms:{REGION}:{A}:key/9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a"
BUCKET = "example-guardduty-findings"
B = f"arn:aws:s3:::{BUCKET}"
PREFIX = "findings"
GD = {"Service": "guardduty.amazonaws.com"}


def src_cond(account=A, region=REGION, detector=DET):
    return {"StringEquals": {"aws:SourceAccount": account,
                             "aws:SourceArn": f"arn:aws:guardduty:{region}:{account}:detector/{detector}"}}


def key_policy(extra=None, gd=None, root=True):
    stmts = []
    if root:
        stmts.append({"Sid": "EnableIAMUserPermissions", "Effect": "Allow",
                      "Principal": {"AWS": f"arn:aws:iam::{A}:root"}, "Action": "kms:*", "Resource": "*"})
    if gd is not False:
        stmts.append(gd or {"Sid": "AllowGuardDutyKey", "Effect": "Allow", "Principal": GD,
                            "Action": "kms:GenerateDataKey", "Resource": "*", "Condition": src_cond()})
    stmts += extra or []
    return {"Version": "2012-10-17", "Statement": stmts}


def bucket_statements(prefix=PREFIX, key=KEY, principal=GD):
    objects = f"{B}/{prefix}/*" if prefix else f"{B}/*"
    return {
        "loc": {"Sid": "AllowGetBucketLocation", "Effect": "Allow", "Principal": principal,
                "Action": "s3:GetBucketLocation", "Resource": B, "Condition": src_cond()},
        "put": {"Sid": "AllowPutObject", "Effect": "Allow", "Principal": principal, "Action": "s3:PutObject",
                "Resource": objects, "Condition": src_cond()},
        "sse": {"Sid": "DenyUnencryptedObjectUploads", "Effect": "Deny", "Principal": principal,
                "Action": "s3:PutObject", "Resource": objects,
                "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}},
        "key": {"Sid": "DenyIncorrectEncryptionHeader", "Effect": "Deny", "Principal": principal,
                "Action": "s3:PutObject", "Resource": objects,
                "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": key}}},
        "tls": {"Sid": "DenyNonHTTPSAccess", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                "Resource": [B, f"{B}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
    }


def bucket_policy(change=None, drop=(), extra=None, **kw):
    s = bucket_statements(**kw)
    for k, v in (change or {}).items():
        s[k] = v
    stmts = [v for k, v in s.items() if k not in drop]
    return {"Version": "2012-10-17", "Statement": stmts + (extra or [])}


def write_case(rule, case, docs, settings=None):
    d = os.path.join(ROOT, rule, case)
    os.makedirs(d, exist_ok=True)
    for name, doc in docs.items():
        with open(os.path.join(d, name), "w") as f:
            f.write(doc if isinstance(doc, str) else json.dumps(doc, indent=2) + "\n")
    if settings is not None:
        with open(os.path.join(d, "export-settings.json"), "w") as f:
            f.write(settings if isinstance(settings, str) else json.dumps(settings, indent=2) + "\n")
    expect = os.path.join(d, "case.expect")
    if not os.path.exists(expect):
        open(expect, "w").close()


def pair(key=None, bucket=None):
    return {"key-policy.json": key or key_policy(), "bucket-policy.json": bucket or bucket_policy()}


def stmt(**kw):
    return dict(kw)


def main():
    settings = {"account": A, "regions": [REGION], "detectorId": DET, "bucket": BUCKET, "prefix": PREFIX,
                "kmsKeyArn": KEY}
    # Correct setups: silent at every severity.
    write_case("setups", "correct-inferred", pair())
    write_case("setups", "correct-with-settings", pair(), settings)
    two = copy.deepcopy(settings)
    two["regions"] = ["us-east-2", "eu-west-1"]
    multi = {"StringEquals": {"aws:SourceAccount": A},
             "ArnLike": {"aws:SourceArn": f"arn:aws:guardduty:*:{A}:detector/*"}}
    k = key_policy(gd={"Sid": "AllowGuardDutyKey", "Effect": "Allow", "Principal": GD,
                       "Action": "kms:GenerateDataKey", "Resource": "*", "Condition": multi})
    b = bucket_policy()
    for st in b["Statement"][:2]:
        st["Condition"] = multi
    write_case("setups", "correct-multi-region-arnlike", pair(k, b), two)
    lst = copy.deepcopy(settings)
    lst["regions"] = ["us-east-2", "eu-west-1"]
    lst_cond = {"StringEquals": {"aws:SourceAccount": A, "aws:SourceArn": [
        f"arn:aws:guardduty:us-east-2:{A}:detector/{DET}", f"arn:aws:guardduty:eu-west-1:{A}:detector/{DET}"]}}
    k = key_policy(gd={"Sid": "AllowGuardDutyKey", "Effect": "Allow", "Principal": GD,
                       "Action": "kms:GenerateDataKey", "Resource": "*", "Condition": lst_cond})
    b = bucket_policy()
    for st in b["Statement"][:2]:
        st["Condition"] = lst_cond
    write_case("setups", "correct-multi-region-arn-list", pair(k, b), lst)
    optin = {"Service": ["guardduty.amazonaws.com", "guardduty.me-south-1.amazonaws.com"]}
    oi = copy.deepcopy(settings)
    oi["regions"] = ["me-south-1"]
    oi_cond = src_cond(region="me-south-1")
    k = key_policy(gd={"Sid": "AllowGuardDutyKey", "Effect": "Allow", "Principal": optin,
                       "Action": "kms:GenerateDataKey", "Resource": "*", "Condition": oi_cond})
    b = bucket_policy(principal=optin)
    for st in b["Statement"][:2]:
        st["Condition"] = oi_cond
    write_case("setups", "correct-opt-in-region", pair(k, b), oi)
    cross = copy.deepcopy(settings)
    cross["bucketAccount"] = B_ACCOUNT
    write_case("setups", "correct-cross-account-bucket", pair(), cross)
    write_case("setups", "correct-no-prefix", pair(bucket=bucket_policy(prefix="")))
    write_case("setups", "correct-describe-publishing-destination", pair(),
               {"DestinationId": "a4b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5", "DestinationType": "S3", "Status": "PUBLISHING",
                "DestinationProperties": {"DestinationArn": f"{B}/{PREFIX}", "KmsKeyArn": KEY}})

    # GD004: a bad config file.
    write_case("GD004", "bad-settings", pair(),
               {"account": "3829-1047-5620", "regions": ["us-east-2", "Ohio"], "detectorId": "abc",
                "kmsKeyArn": f"arn:aws:kms:{REGION}:{A}:alias/guardduty", "buckets": BUCKET})
    # GD005 in a setup: the guide's own example policies, placeholders left in.
    guide_bucket = {"Version": "2012-10-17", "Statement": [
        {"Sid": "Allow GetBucketLocation", "Effect": "Allow", "Principal": GD, "Action": "s3:GetBucketLocation",
         "Resource": "arn:aws:s3:::amzn-s3-demo-bucket",
         "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012",
                                        "aws:SourceArn": "arn:aws:guardduty:us-east-2:123456789012:detector/SourceDetectorID"}}},
        {"Sid": "Allow PutObject", "Effect": "Allow", "Principal": GD, "Action": "s3:PutObject",
         "Resource": "arn:aws:s3:::amzn-s3-demo-bucket[optional prefix]/*",
         "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012",
                                        "aws:SourceArn": "arn:aws:guardduty:us-east-2:123456789012:detector/SourceDetectorID"}}},
        {"Sid": "Deny unencrypted object uploads", "Effect": "Deny", "Principal": GD, "Action": "s3:PutObject",
         "Resource": "arn:aws:s3:::amzn-s3-demo-bucket[optional prefix]/*",
         "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}},
        {"Sid": "Deny incorrect encryption header", "Effect": "Deny", "Principal": GD, "Action": "s3:PutObject",
         "Resource": "arn:aws:s3:::amzn-s3-demo-bucket[optional prefix]/*",
         "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id":
                                           "arn:aws:kms:us-east-2:111122223333:key/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"}}},
        {"Sid": "Deny non-HTTPS access", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": "arn:aws:s3:::amzn-s3-demo-bucket[optional prefix]/*",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
    guide_key = {"Version": "2012-10-17", "Statement": [
        {"Sid": "AllowGuardDutyKey", "Effect": "Allow", "Principal": GD, "Action": "kms:GenerateDataKey",
         "Resource": "KMS key ARN",
         "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012",
                                        "aws:SourceArn": "arn:aws:guardduty:Region2:123456789012:detector/SourceDetectorID"}}}]}
    write_case("GD005", "guide-examples-unedited", pair(guide_key, guide_bucket))
    # GD006: a bucket policy over 20 KB.
    big = bucket_policy(extra=[{"Sid": f"ReadOnly{i:03d}", "Effect": "Allow",
                                "Principal": {"AWS": f"arn:aws:iam::{A}:role/reader-{i:03d}"},
                                "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": [B, f"{B}/reports/{i:03d}/*"]}
                               for i in range(90)])
    write_case("GD006", "bucket-policy-too-large", pair(bucket=big))
    # GD201.
    write_case("GD201", "no-guardduty-statement", pair(key=key_policy(gd=False)))
    write_case("GD201", "org-deny-blocks", pair(key=key_policy(extra=[
        {"Sid": "DenyOutsideOrg", "Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*",
         "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}])))
    write_case("GD201", "good-org-deny-exempts-services", pair(key=key_policy(extra=[
        {"Sid": "DenyOutsideOrg", "Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*",
         "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"},
                       "Bool": {"aws:PrincipalIsAWSService": "false"}}}])))
    # GD202: the older guide's key statement without conditions.
    write_case("GD202", "no-source-conditions", pair(key=key_policy(gd={
        "Sid": "AllowGuardDutyKey", "Effect": "Allow", "Principal": GD, "Action": "kms:GenerateDataKey",
        "Resource": "*"})))
    # GD203.
    write_case("GD203", "guardduty-gets-kms-star", pair(key=key_policy(gd={
        "Sid": "AllowGuardDutyKey", "Effect": "Allow", "Principal": GD, "Action": "kms:*", "Resource": "*",
        "Condition": src_cond()})))
    write_case("GD203", "anyone-can-decrypt", pair(key=key_policy(extra=[
        {"Sid": "ShareKey", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["kms:Decrypt", "kms:DescribeKey"],
         "Resource": "*"}])))
    # GD204.
    write_case("GD204", "no-key-administrator", pair(key=key_policy(root=False)), settings)
    write_case("GD204", "good-admin-role", pair(key=key_policy(root=False, extra=[
        {"Sid": "KeyAdmins", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:role/KeyAdmin"},
         "Action": ["kms:PutKeyPolicy", "kms:DescribeKey"], "Resource": "*"}])), settings)
    # GD205.
    write_case("GD205", "resource-is-another-key", pair(key=key_policy(gd={
        "Sid": "AllowGuardDutyKey", "Effect": "Allow", "Principal": GD, "Action": "kms:GenerateDataKey",
        "Resource": OTHER_KEY, "Condition": src_cond()})), settings)
    write_case("GD205", "resource-is-alias", pair(key=key_policy(gd={
        "Sid": "AllowGuardDutyKey", "Effect": "Allow", "Principal": GD, "Action": "kms:GenerateDataKey",
        "Resource": f"arn:aws:kms:{REGION}:{A}:alias/guardduty-export", "Condition": src_cond()})))
    # GD301.
    b = bucket_policy()
    b["Statement"][0]["Resource"] = f"{B}/*"
    write_case("GD301", "location-on-objects", pair(bucket=b))
    # GD302.
    wrong = copy.deepcopy(settings)
    wrong["prefix"] = "exports"
    write_case("GD302", "prefix-differs-from-settings", pair(), wrong)
    b = bucket_policy()
    b["Statement"][1]["Resource"] = f"{B}/findings"
    write_case("GD302", "resource-without-slash-star", pair(bucket=b), settings)
    b = bucket_policy()
    b["Statement"][1]["Resource"] = f"{B}//findings/*"
    write_case("GD302", "leading-slash-in-prefix", pair(bucket=b), settings)
    b = bucket_policy()
    b["Statement"][1]["Condition"] = {"StringEquals": {"aws:SourceAccount": A, "s3:x-amz-acl": "bucket-owner-full-control"}}
    write_case("GD302", "allow-needs-acl-header-assumed", pair(bucket=b))
    # GD303.
    b = bucket_policy()
    del b["Statement"][1]["Condition"]
    write_case("GD303", "put-object-without-conditions", pair(bucket=b))
    # GD304 / GD305.
    write_case("GD304", "no-encryption-denies", pair(bucket=bucket_policy(drop=("sse", "key"))), settings)
    # The key-id Deny alone also refuses uploads without the header (its key is then absent, and
    # StringNotEquals is true on an absent key), so this is silent.
    write_case("GD304", "good-key-deny-covers-unencrypted", pair(bucket=bucket_policy(drop=("sse",))))
    write_case("GD305", "no-wrong-key-deny", pair(bucket=bucket_policy(drop=("key",))), settings)
    # GD306.
    write_case("GD306", "key-id-instead-of-arn", pair(bucket=bucket_policy(key="1f2e3d4c-5b6a-4798-81a2-b3c4d5e6f708")))
    write_case("GD306", "other-key-than-configured", pair(bucket=bucket_policy(key=OTHER_KEY)), settings)
    # GD307 / GD308.
    write_case("GD307", "no-https-deny", pair(bucket=bucket_policy(drop=("tls",))))
    b = bucket_policy()
    b["Statement"][4]["Resource"] = f"{B}/{PREFIX}/*"
    write_case("GD308", "https-deny-only-on-prefix", pair(bucket=b))
    # GD309.
    org = {"Sid": "DenyOutsideOrg", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [B, f"{B}/*"],
           "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}
    write_case("GD309", "org-guardrail-blocks-guardduty", pair(bucket=bucket_policy(extra=[org])))
    org_ok = copy.deepcopy(org)
    org_ok["Condition"]["Bool"] = {"aws:PrincipalIsAWSService": "false"}
    write_case("GD309", "good-org-guardrail-exempts-services", pair(bucket=bucket_policy(extra=[org_ok])))
    notp = {"Sid": "DenyEveryoneElse", "Effect": "Deny", "NotPrincipal": {"AWS": f"arn:aws:iam::{A}:root"},
            "Action": "s3:PutObject", "Resource": f"{B}/*"}
    write_case("GD309", "notprincipal-deny-forgets-guardduty", pair(bucket=bucket_policy(extra=[notp])))
    b = bucket_policy(extra=[{"Sid": "RequireBucketOwnerFullControl", "Effect": "Deny", "Principal": GD,
                              "Action": "s3:PutObject", "Resource": f"{B}/*",
                              "Condition": {"StringNotEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}}])
    write_case("GD309", "acl-deny-depends-on-assumption", pair(bucket=b))
    # GD310.
    write_case("GD310", "anyone-can-put", pair(bucket=bucket_policy(extra=[
        {"Sid": "Uploads", "Effect": "Allow", "Principal": "*", "Action": "s3:PutObject", "Resource": f"{B}/*"}])))
    # GD205 (a note): entries that never match the key, while the statement still works.
    write_case("GD205", "alias-beside-star", pair(key=key_policy(gd={
        "Sid": "AllowGuardDutyKey", "Effect": "Allow", "Principal": GD, "Action": "kms:GenerateDataKey",
        "Resource": [f"arn:aws:kms:{REGION}:{A}:alias/guardduty", "*"], "Condition": src_cond()})))
    # Passing: a pattern of the account's keys, and the provider documentation's list of keys of
    # several Regions that includes the export key: both match it.
    write_case("GD205", "good-key-pattern", pair(key=key_policy(gd={
        "Sid": "AllowGuardDutyKey", "Effect": "Allow", "Principal": GD, "Action": "kms:GenerateDataKey",
        "Resource": f"arn:aws:kms:{REGION}:{A}:key/*", "Condition": src_cond()})))
    write_case("GD205", "good-key-list-across-regions", pair(key=key_policy(gd={
        "Sid": "AllowGuardDutyKey", "Effect": "Allow", "Principal": GD, "Action": "kms:GenerateDataKey",
        "Resource": [f"arn:aws:kms:eu-west-1:{A}:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", KEY],
        "Condition": src_cond()})), settings)
    # GD311.
    oi_global = copy.deepcopy(settings)
    oi_global["regions"] = ["me-south-1"]
    k = key_policy(gd={"Sid": "AllowGuardDutyKey", "Effect": "Allow", "Principal": GD,
                       "Action": "kms:GenerateDataKey", "Resource": "*", "Condition": src_cond(region="me-south-1")})
    b = bucket_policy()
    for st in b["Statement"][:2]:
        st["Condition"] = src_cond(region="me-south-1")
    write_case("GD311", "opt-in-region-global-principal", pair(k, b), oi_global)
    k = key_policy(gd={"Sid": "AllowGuardDutyKey", "Effect": "Allow",
                       "Principal": {"Service": ["guardduty.amazonaws.com", "guardduty.af-south-1.amazonaws.com",
                                                 "guardduty.us-east-2.amazonaws.com"]},
                       "Action": "kms:GenerateDataKey", "Resource": "*", "Condition": src_cond()})
    write_case("GD311", "regional-principal-for-other-region", pair(key=k), settings)
    # Passing: org-wide templates name the regional principal of every opt-in Region; a list is
    # OR'ed, so the unused entries grant nothing (no finding).
    every_optin = {"Service": ["guardduty.amazonaws.com"] + [f"guardduty.{r}.amazonaws.com" for r in (
        "af-south-1", "ap-east-1", "ap-south-2", "ap-southeast-3", "eu-south-1", "me-south-1", "me-central-1")]}
    write_case("GD311", "good-every-opt-in-principal", pair(key=key_policy(gd={
        "Sid": "AllowGuardDutyKey", "Effect": "Allow", "Principal": every_optin,
        "Action": "kms:GenerateDataKey", "Resource": "*", "Condition": src_cond()}),
        bucket=bucket_policy(principal=every_optin)), settings)
    # Passing: the GuardDuty Allow split into one statement per principal (global, regional).
    split_oi = copy.deepcopy(settings)
    split_oi["regions"] = ["us-east-2", "me-south-1"]
    split_cond = {"StringEquals": {"aws:SourceAccount": A, "aws:SourceArn": [
        f"arn:aws:guardduty:us-east-2:{A}:detector/{DET}", f"arn:aws:guardduty:me-south-1:{A}:detector/{DET}"]}}
    kstmts = [{"Sid": f"AllowGuardDutyKey{i}", "Effect": "Allow", "Principal": {"Service": p},
               "Action": "kms:GenerateDataKey", "Resource": "*", "Condition": split_cond}
              for i, p in enumerate(["guardduty.amazonaws.com", "guardduty.me-south-1.amazonaws.com"])]
    k = key_policy(gd=False, extra=kstmts)
    b = bucket_policy(principal={"Service": ["guardduty.amazonaws.com", "guardduty.me-south-1.amazonaws.com"]})
    for st in b["Statement"][:2]:
        st["Condition"] = split_cond
    split_allows = []
    for p in ["guardduty.amazonaws.com", "guardduty.me-south-1.amazonaws.com"]:
        for st in b["Statement"][:2]:
            c = copy.deepcopy(st)
            c["Principal"] = {"Service": p}
            c["Sid"] = st["Sid"] + ("Regional" if "me-south" in p else "")
            split_allows.append(c)
    b["Statement"] = split_allows + b["Statement"][2:]
    write_case("GD311", "good-split-per-principal", pair(k, b), split_oi)
    # A Deny that names only the global principal while the exported Region is opt-in cannot make
    # the export fail: the uploads it should refuse are a hardening gap (GD304/GD305 warnings).
    k = key_policy(gd={"Sid": "AllowGuardDutyKey", "Effect": "Allow", "Principal": optin,
                       "Action": "kms:GenerateDataKey", "Resource": "*", "Condition": oi_cond})
    b = bucket_policy(principal=optin)
    for st in b["Statement"][:2]:
        st["Condition"] = oi_cond
    for st in b["Statement"][2:4]:
        st["Principal"] = GD
    write_case("GD311", "deny-names-only-global-principal", pair(k, b), oi)
    # GD312.
    b = bucket_policy()
    b["Statement"][0]["Condition"] = {"StringEquals": {"aws:SourceAccount": "38291047562",
                                                       "aws:SourceArn": f"arn:aws:guardduty:{REGION}:{A}:detector/abc123"}}
    write_case("GD312", "malformed-source-values", pair(bucket=b))
    other = copy.deepcopy(settings)
    other["account"] = B_ACCOUNT
    write_case("GD312", "account-differs-from-settings", pair(), other)
    # GD401.
    reg = copy.deepcopy(settings)
    reg["bucketRegion"] = "us-west-2"
    write_case("GD401", "key-and-bucket-in-different-regions", pair(), reg)
    # Passing: Null's values are not source values; a central bucket's lists of accounts and
    # detectors that include the exporter, without settings.
    null_cond = src_cond()
    null_cond["Null"] = {"aws:SourceArn": "false"}
    b = bucket_policy()
    for st in b["Statement"][:2]:
        st["Condition"] = copy.deepcopy(null_cond)
    write_case("GD312", "good-null-condition", pair(bucket=b), settings)
    many = {"StringEquals": {"aws:SourceAccount": [A, B_ACCOUNT, "204918273645"],
                             "aws:SourceArn": [f"arn:aws:guardduty:{REGION}:{acct}:detector/{DET}"
                                               for acct in (B_ACCOUNT, A, "204918273645")]}}
    k = key_policy(gd={"Sid": "AllowGuardDutyKey", "Effect": "Allow", "Principal": GD,
                       "Action": "kms:GenerateDataKey", "Resource": "*", "Condition": many})
    b = bucket_policy()
    for st in b["Statement"][:2]:
        st["Condition"] = copy.deepcopy(many)
    write_case("GD312", "good-central-bucket-lists", pair(k, b))
    # With the exporting account given, the other accounts are one hardening warning per statement.
    write_case("GD312", "central-bucket-lists-other-accounts", pair(k, b), settings)
    # Partly malformed: a note (the statement still works).
    part = src_cond()
    part["StringEquals"]["aws:SourceAccount"] = [A, "38291047562"]
    b = bucket_policy()
    b["Statement"][1]["Condition"] = part
    write_case("GD312", "one-malformed-value-among-good", pair(bucket=b), settings)
    # GD402.
    k = key_policy(gd={"Sid": "AllowGuardDutyKey", "Effect": "Allow", "Principal": GD, "Action": "kms:GenerateDataKey",
                       "Resource": KEY, "Condition": src_cond()})
    write_case("GD402", "bucket-requires-another-key", pair(k, bucket_policy(key=OTHER_KEY)))
    # Passing: during a key rotation the key-id Deny accepts both keys.
    b = bucket_policy()
    b["Statement"][3]["Condition"]["StringNotEquals"][
        "s3:x-amz-server-side-encryption-aws-kms-key-id"] = [OTHER_KEY, KEY]
    write_case("GD402", "good-rotation-two-keys", pair(k, b))
    # GD403.
    k = key_policy(gd={"Sid": "AllowGuardDutyKey", "Effect": "Allow", "Principal": GD, "Action": "kms:GenerateDataKey",
                       "Resource": "*", "Condition": src_cond(account=B_ACCOUNT)})
    write_case("GD403", "key-and-bucket-for-different-accounts", pair(key=k))
    # GD501.
    identity = {"Version": "2012-10-17", "Statement": [
        {"Sid": "WriteFindings", "Effect": "Allow", "Action": ["s3:PutObject", "s3:GetBucketLocation"],
         "Resource": [B, f"{B}/*"]}]}
    write_case("GD501", "configurer-lacks-permissions", {**pair(), "configurer-policy.json": identity}, settings)
    full = {"Version": "2012-10-17", "Statement": [
        {"Sid": "Bucket", "Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject", "s3:GetBucketLocation",
                                                        "s3:ListBucket"], "Resource": [B, f"{B}/*"]},
        {"Sid": "Key", "Effect": "Allow", "Action": "kms:ListAliases", "Resource": "*"},
        {"Sid": "Destination", "Effect": "Allow", "Action": ["guardduty:*PublishingDestination"],
         "Resource": f"arn:aws:guardduty:{REGION}:{A}:detector/{DET}"}]}
    write_case("GD501", "good-configurer", {**pair(), "configurer-policy.json": full}, settings)


if __name__ == "__main__":
    main()
