# The twin of tf-detectors-per-region-given-ids whose aws:SourceArn names only the us-east-1
# detector: GuardDuty's requests from us-west-2 and eu-west-1 are denied (errors), those from
# us-east-1 allowed. Binding each created detector to its Region's given id does not hide that.
data "aws_caller_identity" "current" {}

variable "regions" {
  type    = list(string)
  default = ["us-east-1", "us-west-2", "eu-west-1"]
}

locals {
  account_id  = data.aws_caller_identity.current.account_id
  bucket_name = "gd-findings-${local.account_id}"
  source_arns = ["arn:aws:guardduty:us-east-1:${local.account_id}:detector/${aws_guardduty_detector.main["us-east-1"].id}"]
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
