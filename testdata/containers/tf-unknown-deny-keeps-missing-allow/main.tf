# Written for gd-export-lint's tests, after a public module seen in the wild: the Deny on the
# encryption key holds aws_kms_key.findings.arn, known only when Terraform runs, and the Allow's
# SourceArn names a detector id that cannot be real. The Deny's unknown value must not hide
# that no statement allows GuardDuty's s3:PutObject (a Deny never grants).
data "aws_caller_identity" "current" {}

provider "aws" {
  alias = "security"
}

resource "aws_kms_key" "findings" {
  provider    = aws.security
  description = "GuardDuty findings"
}

resource "aws_s3_bucket" "findings" {
  bucket = "example-guardduty-findings"
}

resource "aws_s3_bucket_policy" "findings" {
  bucket = aws_s3_bucket.findings.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowGetBucketLocation"
        Effect    = "Allow"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "s3:GetBucketLocation"
        Resource  = aws_s3_bucket.findings.arn
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = data.aws_caller_identity.current.account_id
          }
        }
      },
      {
        Sid       = "AllowPutObject"
        Effect    = "Allow"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.findings.arn}/*"
        Condition = {
          StringEquals = {
            "aws:SourceArn" = "arn:aws:guardduty:us-east-2:${data.aws_caller_identity.current.account_id}:detector/xxxxxxxxx"
          }
        }
      },
      {
        Sid       = "DenyIncorrectEncryptionHeader"
        Effect    = "Deny"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.findings.arn}/*"
        Condition = {
          StringNotEquals = {
            "s3:x-amz-server-side-encryption-aws-kms-key-id" = aws_kms_key.findings.arn
          }
        }
      },
    ]
  })
}
