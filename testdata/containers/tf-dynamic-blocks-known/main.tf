# Written for gd-export-lint's tests, after marshall7m/terraform-aws-landing-zone
# (modules/guardduty, commit 0a474ddf), which turns the bucket's Deny statements on and off with
# `dynamic "statement" { for_each = var.x ? [1] : [] ... }`. A for_each known offline makes
# known statements: the toggles here are on (the upload Deny is there: no GD304) and off (no
# HTTPS Deny: GD307), and the source conditions come from a dynamic block over a map with its
# own iterator name.
variable "deny_unencrypted_uploads" {
  type    = bool
  default = true
}

variable "deny_insecure_transport" {
  type    = bool
  default = false
}

locals {
  account = "382910475620"
  source_conditions = {
    "aws:SourceAccount" = local.account
    "aws:SourceArn"     = "arn:aws:guardduty:us-east-2:${local.account}:detector/5ab8e9c0d1f2a3b4c5d6e7f8a9b0c1d2"
  }
}

resource "aws_s3_bucket" "findings" {
  bucket = "example-guardduty-findings"
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
    dynamic "condition" {
      for_each = local.source_conditions
      iterator = source
      content {
        test     = "StringEquals"
        variable = source.key
        values   = [source.value]
      }
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
    dynamic "condition" {
      for_each = local.source_conditions
      content {
        test     = "StringEquals"
        variable = condition.key
        values   = [condition.value]
      }
    }
  }

  dynamic "statement" {
    for_each = var.deny_unencrypted_uploads ? [1] : []
    content {
      sid       = "DenyUnencryptedObjectUploads"
      effect    = "Deny"
      actions   = ["s3:PutObject"]
      resources = ["${aws_s3_bucket.findings.arn}/*"]
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
  }

  dynamic "statement" {
    for_each = var.deny_insecure_transport ? [1] : []
    content {
      sid       = "DenyNonHTTPSAccess"
      effect    = "Deny"
      actions   = ["s3:*"]
      resources = ["${aws_s3_bucket.findings.arn}/*"]
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
  }
}

resource "aws_s3_bucket_policy" "findings" {
  bucket = aws_s3_bucket.findings.id
  policy = data.aws_iam_policy_document.bucket.json
}
