# Resources with for_each read whole: values(x)[0], a for expression over the instances, a local
# holding a whole instance, one(x[*]...) of a counted detector. The setup is correct.
variable "create" {
  type    = bool
  default = true
}

data "aws_caller_identity" "current" {}

resource "aws_guardduty_detector" "this" {
  count  = var.create ? 1 : 0
  enable = true
}

resource "aws_kms_key" "gd" {
  count       = var.create ? 1 : 0
  description = "GuardDuty findings"
  policy      = data.aws_iam_policy_document.key.json
}

resource "aws_s3_bucket" "findings" {
  for_each = toset(["main"])
  bucket = "gd-findings-${data.aws_caller_identity.current.account_id}"
}

locals {
  bucket       = aws_s3_bucket.findings["main"]
  detector_arn = one(aws_guardduty_detector.this[*].arn)
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
      values   = [local.detector_arn]
    }
  }
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "AllowPutObject"
    actions   = ["s3:PutObject"]
    resources = ["${values(aws_s3_bucket.findings)[0].arn}/guardduty/*"]
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
      values   = [local.detector_arn]
    }
  }
  statement {
    sid       = "AllowGetBucketLocation"
    actions   = ["s3:GetBucketLocation"]
    resources = [for name, b in aws_s3_bucket.findings : b.arn]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
}

resource "aws_s3_bucket_policy" "findings" {
  count  = var.create ? 1 : 0
  bucket = local.bucket.id
  policy = data.aws_iam_policy_document.bucket.json
}

resource "aws_guardduty_publishing_destination" "this" {
  count           = var.create ? 1 : 0
  detector_id     = aws_guardduty_detector.this[0].id
  destination_arn = "${local.bucket.arn}/guardduty"
  kms_key_arn     = one(aws_kms_key.gd[*].arn)
}
