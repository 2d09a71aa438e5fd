# Minimised from a public module found in a real-world sweep (2026-12-05; code index file id
# 3921376817): the key policy lets one account root (written literally) manage the key, and the
# bucket policy's key-id Deny names the key as aws_kms_key.gd.arn, so the export's key ARN is
# inferred with the module's account, which no value names. GD204 warned that no statement lets
# the key's owner (a stand-in account, shown as <ACCOUNT_ID>) manage the key; without the Deny
# (tf-key-administrator-without-key-id-deny) it did not. The one account root allowed kms:* is
# the key's own (the default key policy; KMS's lockout check refuses a policy locking its creator
# out): the module is checked as deployed there.
data "aws_iam_policy_document" "key" {
  statement {
    sid       = "Enable IAM User Permissions"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::144302015276:root"]
    }
  }
  statement {
    sid       = "Allow GuardDuty to use the key"
    actions   = ["kms:GenerateDataKey"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
}

resource "aws_kms_key" "gd" {
  policy = data.aws_iam_policy_document.key.json
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "Allow PutObject"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::gd-findings-144302015276/*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
  statement {
    sid       = "Allow GetBucketLocation"
    actions   = ["s3:GetBucketLocation"]
    resources = ["arn:aws:s3:::gd-findings-144302015276"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
  statement {
    sid       = "Deny incorrect encryption header"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::gd-findings-144302015276/*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
      values   = [aws_kms_key.gd.arn]
    }
  }
}

resource "aws_s3_bucket_policy" "gd" {
  bucket = "gd-findings-144302015276"
  policy = data.aws_iam_policy_document.bucket.json
}
