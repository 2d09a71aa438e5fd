# As tf-resource-region-argument, with var.region given no value (chosen when the module is
# deployed, as the provider's Region is) and no s3:GetBucketLocation grant: the export fails
# in any Region (GD301). The unset Region made the detector's ARN unknown, and the error was
# hidden behind "known only when Terraform runs".
variable "region" {
  type    = string
}

data "aws_caller_identity" "current" {}

resource "aws_guardduty_detector" "this" {
  region = var.region
  enable = true
}

resource "aws_kms_key" "findings" {
  region = var.region
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
        Sid       = "GuardDutyEncrypt"
        Effect    = "Allow"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "kms:GenerateDataKey"
        Resource  = "*"
        Condition = {
          StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id }
          ArnLike = {
            "aws:SourceArn" = "arn:aws:guardduty:${var.region}:${data.aws_caller_identity.current.account_id}:detector/*"
          }
        }
      }
    ]
  })
}

resource "aws_s3_bucket" "findings" {
  region = var.region
  bucket = "guardduty-findings-${data.aws_caller_identity.current.account_id}"
}

resource "aws_s3_bucket_policy" "findings" {
  region = var.region
  bucket = aws_s3_bucket.findings.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "GuardDutyGetBucketLocation"
        Effect    = "Allow"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "s3:ListBucket"
        Resource  = aws_s3_bucket.findings.arn
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = data.aws_caller_identity.current.account_id
            "aws:SourceArn"     = aws_guardduty_detector.this.arn
          }
        }
      },
      {
        Sid       = "GuardDutyPutObject"
        Effect    = "Allow"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.findings.arn}/*"
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = data.aws_caller_identity.current.account_id
            "aws:SourceArn"     = aws_guardduty_detector.this.arn
          }
        }
      },
      {
        Sid       = "DenyUnencryptedUploads"
        Effect    = "Deny"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.findings.arn}/*"
        Condition = { StringNotEquals = { "s3:x-amz-server-side-encryption" = "aws:kms" } }
      },
      {
        Sid       = "DenyOtherKeys"
        Effect    = "Deny"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.findings.arn}/*"
        Condition = { StringNotEquals = { "s3:x-amz-server-side-encryption-aws-kms-key-id" = aws_kms_key.findings.arn } }
      },
      {
        Sid       = "DenyNonHTTPS"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.findings.arn, "${aws_s3_bucket.findings.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      }
    ]
  })
}

resource "aws_guardduty_publishing_destination" "this" {
  region          = var.region
  detector_id     = aws_guardduty_detector.this.id
  destination_arn = aws_s3_bucket.findings.arn
  kms_key_arn     = aws_kms_key.findings.arn
}
