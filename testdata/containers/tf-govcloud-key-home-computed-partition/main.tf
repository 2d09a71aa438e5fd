# The partition is chosen from the module's Region (as 18F's identity-terraform does) and the key
# policy names the key's Region: checked without --region, the module is read in that Region, so
# the key's ARN and every ARN built with local.partition are in aws-us-gov alike. Rewriting the
# stand-in Region afterwards left local.partition "aws" beside an aws-us-gov key ARN.

data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition = contains(["us-gov-east-1", "us-gov-west-1"], data.aws_region.current.name) ? "aws-us-gov" : "aws"
}

resource "aws_guardduty_detector" "main" {
  enable = true
}

resource "aws_kms_key" "gd" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Admin"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "GuardDuty"
        Effect    = "Allow"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "kms:GenerateDataKey"
        Resource  = "arn:${local.partition}:kms:us-gov-west-1:${data.aws_caller_identity.current.account_id}:key/*"
        Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
      }
    ]
  })
}

resource "aws_s3_bucket" "findings" {
  bucket = "acme-gov-gd-findings"
}

resource "aws_s3_bucket_policy" "findings" {
  bucket = aws_s3_bucket.findings.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Location"
        Effect    = "Allow"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "s3:GetBucketLocation"
        Resource  = "arn:${local.partition}:s3:::acme-gov-gd-findings"
        Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
      },
      {
        Sid       = "Put"
        Effect    = "Allow"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "arn:${local.partition}:s3:::acme-gov-gd-findings/*"
        Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
      }
    ]
  })
}

resource "aws_guardduty_publishing_destination" "s3" {
  detector_id     = aws_guardduty_detector.main.id
  destination_arn = aws_s3_bucket.findings.arn
  kms_key_arn     = aws_kms_key.gd.arn
}
