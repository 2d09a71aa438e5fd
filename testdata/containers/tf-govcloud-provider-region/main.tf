# Written for gd-export-lint's tests (found by review): a module whose default provider is in
# us-gov-west-1, with no --region. Every ARN it builds (the bucket's, data.aws_partition, the
# detector's in aws:SourceArn) is in aws-us-gov, as the provider's Region says: the bucket ARN and
# data.aws_partition once took the partition from the stand-in Region instead, while the detector
# ARN took its provider's, so the key grant "failed" (a false GD201).
provider "aws" {
  region = "us-gov-west-1"
}
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

resource "aws_s3_bucket" "findings" {
  bucket = "example-gd-findings-gov"
}

resource "aws_kms_key" "findings" {
  description = "GuardDuty findings"
  policy      = data.aws_iam_policy_document.key.json
}

data "aws_iam_policy_document" "key" {
  statement {
    sid       = "Admin"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
  statement {
    sid       = "AllowGuardDutyKey"
    actions   = ["kms:GenerateDataKey"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [aws_guardduty_detector.this.arn]
    }
  }
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "AllowGuardDuty"
    actions   = ["s3:GetBucketLocation", "s3:PutObject"]
    resources = [aws_s3_bucket.findings.arn, "${aws_s3_bucket.findings.arn}/*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = ["arn:${data.aws_partition.current.partition}:guardduty:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:detector/${aws_guardduty_detector.this.id}"]
    }
  }
  statement {
    sid     = "DenyUnencrypted"
    effect  = "Deny"
    actions = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.findings.arn}/*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
      values   = [aws_kms_key.findings.arn]
    }
  }
}

resource "aws_s3_bucket_policy" "findings" {
  bucket = aws_s3_bucket.findings.id
  policy = data.aws_iam_policy_document.bucket.json
}

resource "aws_guardduty_detector" "this" {
  enable = true
}

resource "aws_guardduty_publishing_destination" "this" {
  detector_id     = aws_guardduty_detector.this.id
  destination_arn = aws_s3_bucket.findings.arn
  kms_key_arn     = aws_kms_key.findings.arn
}
