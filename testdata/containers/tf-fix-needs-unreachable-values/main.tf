# Written for gd-export-lint's tests, after wrobelsec/terraform-modules (guard_duty/, commit
# 8ee6169c): the root writes the bucket and key policies, a called module creates the detector
# and its publishing destination, and the root declares data "aws_caller_identity" but not
# data "aws_region". A source-condition fix would need the detector id, a value inside the
# module, and the Region's data source: no edit is written, a note says why.
data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "findings" {
  bucket = "example-guardduty-findings"
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
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
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
  }
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "AllowGetBucketLocation"
    actions   = ["s3:GetBucketLocation"]
    resources = [aws_s3_bucket.findings.arn]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
  statement {
    sid       = "AllowPutObject"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.findings.arn}/*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
}

resource "aws_s3_bucket_policy" "findings" {
  bucket = aws_s3_bucket.findings.id
  policy = data.aws_iam_policy_document.bucket.json
}

module "detector" {
  source     = "./detector"
  bucket_arn = aws_s3_bucket.findings.arn
  key_arn    = aws_kms_key.findings.arn
}
