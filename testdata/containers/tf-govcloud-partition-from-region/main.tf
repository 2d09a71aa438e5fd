# From 18F/identity-terraform (login.gov), module guardduty/main.tf at commit
# fc2154fc076260cc3fb3593420dea9900a9ba1c0 (variables.tf at 514cdff3fbdf21c7dd560fb574f29a6fdd2d7fe8,
# trimmed to what main.tf uses; detector features, ACL, logging, lifecycle and CloudWatch resources
# dropped). Checked in us-gov-west-1 (export-settings.json): local.partition is aws-us-gov there,
# and so are the ARNs GuardDuty sends (arn:aws-us-gov:kms:...). Before, the key ARN was simulated
# as arn:aws:kms:us-gov-west-1:..., which the key policy's arn:aws-us-gov:kms:...:key/* does not
# match: a false GD201 "exports from us-gov-west-1 will fail".
data "aws_caller_identity" "current" {}

data "aws_region" "current" {}


locals {
  partition = contains(["us-gov-east-1", "us-gov-west-1"], data.aws_region.current.region) ? "aws-us-gov" : "aws"
}
# GuardDuty

resource "aws_guardduty_detector" "main" {
  enable = true

  finding_publishing_frequency = var.finding_freq
}

resource "aws_guardduty_publishing_destination" "s3" {
  detector_id      = aws_guardduty_detector.main.id
  destination_arn  = aws_s3_bucket.guardduty.arn
  kms_key_arn      = aws_kms_key.guardduty.arn
  destination_type = "S3"

  depends_on = [
    aws_s3_bucket_policy.guardduty
  ]
}

# KMS

data "aws_iam_policy_document" "guardduty_kms" {
  statement {
    sid    = "AllowKMSEncryption"
    effect = "Allow"
    actions = [
      "kms:Encrypt",
      "kms:GenerateDataKey"
    ]

    resources = [
      "arn:${local.partition}:kms:${var.region}:${data.aws_caller_identity.current.account_id}:key/*"
    ]

    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }

    dynamic "condition" {
      for_each = local.gd_perm_conditions
      content {
        test     = "StringEquals"
        variable = condition.value["variable"]
        values   = condition.value["values"]
      }
    }
  }

  statement {
    sid    = "KMSRootIAMAllow"
    effect = "Allow"
    principals {
      type = "AWS"
      identifiers = [
        "arn:${local.partition}:iam::${data.aws_caller_identity.current.account_id}:root"
      ]
    }
    actions = [
      "kms:*"
    ]
    resources = [
      "*"
    ]
  }
}

resource "aws_kms_key" "guardduty" {
  description             = "KMS Key for GuardDuty publishing"
  deletion_window_in_days = 7
  enable_key_rotation     = true
  policy                  = data.aws_iam_policy_document.guardduty_kms.json
}

resource "aws_kms_alias" "guardduty" {
  name          = "alias/guardduty-kms"
  target_key_id = aws_kms_key.guardduty.key_id
}

# S3

data "aws_iam_policy_document" "guardduty_s3" {
  statement {
    sid    = "AllowGDGetBucketLocation"
    effect = "Allow"
    actions = [
      "s3:GetBucketLocation"
    ]

    resources = [
      aws_s3_bucket.guardduty.arn
    ]

    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }

    dynamic "condition" {
      for_each = local.gd_perm_conditions
      content {
        test     = "StringEquals"
        variable = condition.value["variable"]
        values   = condition.value["values"]
      }
    }
  }

  statement {
    sid    = "AllowGDPutObject"
    effect = "Allow"
    actions = [
      "s3:PutObject"
    ]

    resources = [
      "${aws_s3_bucket.guardduty.arn}/*"
    ]

    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }

    dynamic "condition" {
      for_each = local.gd_perm_conditions
      content {
        test     = "StringEquals"
        variable = condition.value["variable"]
        values   = condition.value["values"]
      }
    }
  }

  statement {
    sid    = "DenyUnencryptedUploads"
    effect = "Deny"
    actions = [
      "s3:PutObject"
    ]

    resources = [
      "${aws_s3_bucket.guardduty.arn}/*"
    ]

    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }

    condition {
      test     = "StringNotEquals"
      variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
      values   = [aws_kms_key.guardduty.arn]
    }
  }

  statement {
    sid    = "DenyNonHTTPS"
    effect = "Deny"
    actions = [
      "s3:*"
    ]

    resources = [
      "${aws_s3_bucket.guardduty.arn}/*"
    ]

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

resource "aws_s3_bucket" "guardduty" {
  bucket = var.bucket_name_override == "" ? join(".", [
    "${var.bucket_name_prefix}.${var.bucket_name}",
    "${data.aws_caller_identity.current.account_id}-${var.region}"
  ]) : var.bucket_name_override
  force_destroy = true
}

resource "aws_s3_bucket_ownership_controls" "guardduty" {
  bucket = aws_s3_bucket.guardduty.id

  rule {
    object_ownership = "BucketOwnerPreferred"
  }
}

resource "aws_s3_bucket_policy" "guardduty" {
  bucket = aws_s3_bucket.guardduty.id
  policy = data.aws_iam_policy_document.guardduty_s3.json
}

resource "aws_s3_bucket_versioning" "guardduty" {
  bucket = aws_s3_bucket.guardduty.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "guardduty" {
  bucket = aws_s3_bucket.guardduty.bucket

  rule {
    apply_server_side_encryption_by_default {
      kms_master_key_id = aws_kms_key.guardduty.arn
      sse_algorithm     = "aws:kms"
    }
  }
}
