data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

resource "aws_guardduty_detector" "this" {
  enable = true
}

resource "aws_kms_key" "gd" {
  description = "GuardDuty findings"
  policy      = data.aws_iam_policy_document.key.json
}

data "aws_iam_policy_document" "key" {
  statement {
    sid       = "Root"
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

resource "aws_s3_bucket" "findings" {
  bucket = "gd-findings-${data.aws_caller_identity.current.account_id}"
}

module "bucket_policy" {
  count        = 1
  source       = "./modules/gd-bucket-policy"
  bucket_arn   = aws_s3_bucket.findings.arn
  key_arn      = aws_kms_key.gd.arn
  account_id   = data.aws_caller_identity.current.account_id
  detector_arn = aws_guardduty_detector.this.arn
}

resource "aws_s3_bucket_policy" "findings" {
  bucket = aws_s3_bucket.findings.id
  policy = module.bucket_policy[0].json
}

resource "aws_guardduty_publishing_destination" "this" {
  detector_id     = aws_guardduty_detector.this.id
  destination_arn = "${aws_s3_bucket.findings.arn}/guardduty"
  kms_key_arn     = aws_kms_key.gd.arn
}
