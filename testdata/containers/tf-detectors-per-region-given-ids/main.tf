# Written for gd-export-lint's tests after a real-world sweep (2026-12-05): a detector per Region
# (for_each with the AWS provider's per-resource region argument), one bucket and key, each
# Region's aws:SourceArn naming its own detector, and the user's --config giving each Region's
# detector id. Each detector the module creates is the one given for its Region (one detector
# per account and Region): no finding. The detectors shared one stand-in id, so every Region's
# requests failed (GD201, GD301, GD302 errors), and -v showed each Region's detector as the
# first instance's.
data "aws_caller_identity" "current" {}

variable "regions" {
  type    = list(string)
  default = ["us-east-1", "us-west-2", "eu-west-1"]
}

locals {
  account_id  = data.aws_caller_identity.current.account_id
  bucket_name = "gd-findings-${local.account_id}"
  source_arns = [for r in var.regions : "arn:aws:guardduty:${r}:${local.account_id}:detector/${aws_guardduty_detector.main[r].id}"]
}

resource "aws_guardduty_detector" "main" {
  for_each = toset(var.regions)
  region   = each.key
  enable   = true
}

resource "aws_kms_key" "gd" {
  region = "us-east-1"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Root"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "GD"
        Effect    = "Allow"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "kms:GenerateDataKey"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = local.account_id
            "aws:SourceArn"     = local.source_arns
          }
        }
      }
    ]
  })
}

resource "aws_s3_bucket" "b" {
  region = "us-east-1"
  bucket = local.bucket_name
}

resource "aws_s3_bucket_policy" "b" {
  region = "us-east-1"
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Loc"
        Effect    = "Allow"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "s3:GetBucketLocation"
        Resource  = aws_s3_bucket.b.arn
        Condition = { StringEquals = { "aws:SourceAccount" = local.account_id, "aws:SourceArn" = local.source_arns } }
      },
      {
        Sid       = "Put"
        Effect    = "Allow"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.b.arn}/*"
        Condition = { StringEquals = { "aws:SourceAccount" = local.account_id, "aws:SourceArn" = local.source_arns } }
      },
      {
        Sid       = "DenyUnenc"
        Effect    = "Deny"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.b.arn}/*"
        Condition = { StringNotEquals = { "s3:x-amz-server-side-encryption" = "aws:kms" } }
      },
      {
        Sid       = "DenyKey"
        Effect    = "Deny"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.b.arn}/*"
        Condition = { StringNotEquals = { "s3:x-amz-server-side-encryption-aws-kms-key-id" = aws_kms_key.gd.arn } }
      },
      {
        Sid       = "TLS"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.b.arn, "${aws_s3_bucket.b.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      }
    ]
  })
}

resource "aws_guardduty_publishing_destination" "p" {
  for_each        = toset(var.regions)
  region          = each.key
  detector_id     = aws_guardduty_detector.main[each.key].id
  destination_arn = aws_s3_bucket.b.arn
  kms_key_arn     = aws_kms_key.gd.arn
  depends_on      = [aws_s3_bucket_policy.b]
}
