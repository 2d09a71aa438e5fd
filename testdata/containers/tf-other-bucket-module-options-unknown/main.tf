# cloudposse/terraform-aws-s3-bucket called from git, not installed: the module adds a Deny of
# non-TLS requests and of uploads without SSE (allow_ssl_requests_only,
# allow_encrypted_uploads_only). Its options are not terraform-aws-modules', so it may add
# Denies: no GD304/GD305/GD307 (review of 2026-12-02: the source matched the other module's).
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
  # cloudposse's module, not terraform-aws-modules': its Denies come from allow_ssl_requests_only
  # and allow_encrypted_uploads_only (both set here), not from attach_deny_* options.
  source = "git::https://github.com/cloudposse/terraform-aws-s3-bucket.git?ref=4.2.0"

  bucket_name                  = "guardduty-findings-${data.aws_caller_identity.current.account_id}"
  policy                       = data.aws_iam_policy_document.findings_bucket.json
  allow_ssl_requests_only      = true
  allow_encrypted_uploads_only = true
}
