# As tf-registry-bucket-module-default-options without attach_policy = true: the module
# (terraform-aws-modules/s3-bucket: var.attach_policy ? var.policy : "", attach_policy false by
# default) attaches no bucket policy, so the policy passed to it lets GuardDuty in nowhere.
# GD007 warns at the argument (review of 2026-12-02: it was checked as the bucket's policy).
data "aws_caller_identity" "current" {}

resource "aws_guardduty_detector" "main" {
  enable = true
}

resource "aws_kms_key" "findings" {
  description = "GuardDuty findings"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Root"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "GuardDutyKey"
        Effect    = "Allow"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "kms:GenerateDataKey"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = data.aws_caller_identity.current.account_id
            "aws:SourceArn"     = aws_guardduty_detector.main.arn
          }
        }
      }
    ]
  })
}

data "aws_iam_policy_document" "findings_bucket" {
  statement {
    sid       = "GuardDutyGetBucketLocation"
    actions   = ["s3:GetBucketLocation"]
    resources = ["arn:aws:s3:::guardduty-findings-${data.aws_caller_identity.current.account_id}"]
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
      values   = [aws_guardduty_detector.main.arn]
    }
  }
  statement {
    sid       = "GuardDutyPutObject"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::guardduty-findings-${data.aws_caller_identity.current.account_id}/*"]
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
      values   = [aws_guardduty_detector.main.arn]
    }
  }
}

module "findings_bucket" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 4.0"

  bucket                                = "guardduty-findings-${data.aws_caller_identity.current.account_id}"
  policy                                = data.aws_iam_policy_document.findings_bucket.json
  attach_deny_insecure_transport_policy = false
}
