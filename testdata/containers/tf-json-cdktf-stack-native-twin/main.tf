provider "aws" {
  region = "us-east-2"
}

data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "bucketPolicy" {
  statement {
    sid       = "AllowGetBucketLocation"
    effect    = "Allow"
    actions   = ["s3:GetBucketLocation"]
    resources = ["${aws_s3_bucket.findings.arn}"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["${data.aws_caller_identity.current.account_id}"]
    }
  }
  statement {
    sid       = "AllowPutObject"
    effect    = "Allow"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.findings.arn}/findings/*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["${data.aws_caller_identity.current.account_id}"]
    }
  }
  statement {
    sid       = "DenyUnencryptedObjectUploads"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.findings.arn}/findings/*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "s3:x-amz-server-side-encryption"
      values   = ["aws:kms"]
    }
  }
  statement {
    sid       = "DenyIncorrectEncryptionHeader"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.findings.arn}/findings/*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
      values   = ["${aws_kms_key.findings.arn}"]
    }
  }
  statement {
    sid       = "DenyNonHTTPSAccess"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["${aws_s3_bucket.findings.arn}", "${aws_s3_bucket.findings.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
  statement {
    sid       = "DenyOutsideOrg"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["${aws_s3_bucket.findings.arn}", "${aws_s3_bucket.findings.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-a1b2c3d4e5"]
    }
  }
}

resource "aws_guardduty_detector" "main" {
  enable = true
}

resource "aws_guardduty_publishing_destination" "destination" {
  depends_on      = [aws_s3_bucket_policy.findingsPolicy]
  destination_arn = "${aws_s3_bucket.findings.arn}/findings"
  detector_id     = aws_guardduty_detector.main.id
  kms_key_arn     = aws_kms_key.findings.arn
}

resource "aws_kms_key" "findings" {
  deletion_window_in_days = 7
  enable_key_rotation     = true
  policy = jsonencode({"Version" = "2012-10-17", "Statement" = [{"Sid" = "EnableIAMUserPermissions", "Effect" = "Allow", "Principal" = {"AWS" = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"}, "Action" = "kms:*", "Resource" = "*"}, {"Sid" = "AllowGuardDutyKey", "Effect" = "Allow", "Principal" = {"Service" = "guardduty.amazonaws.com"}, "Action" = "kms:GenerateDataKey", "Resource" = "*", "Condition" = {"StringEquals" = {"aws:SourceAccount" = data.aws_caller_identity.current.account_id}}}]})
}

resource "aws_s3_bucket" "findings" {
  bucket = "example-guardduty-findings"
}

resource "aws_s3_bucket_policy" "findingsPolicy" {
  bucket = aws_s3_bucket.findings.id
  policy = data.aws_iam_policy_document.bucketPolicy.json
}
