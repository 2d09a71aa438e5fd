# A module returns its bucket whole (output "bucket" { value = aws_s3_bucket.this }); the root,
# which has an aws_s3_bucket.this of its own, reads module.store.bucket.arn: the module's bucket,
# not the root's. Found by a review of whole instances (they were read in the wrong module).
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

resource "aws_guardduty_detector" "this" {
  enable = true
}

# The root's own access-log bucket, named "this" as the module's is.
resource "aws_s3_bucket" "this" {
  bucket = "access-logs-example"
}

module "store" {
  source = "./mod"
}

resource "aws_kms_key" "gd" {
  count       = 1
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
        Sid       = "AllowGuardDutyKey"
        Effect    = "Allow"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "kms:GenerateDataKey"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = data.aws_caller_identity.current.account_id
            "aws:SourceArn"     = "arn:aws:guardduty:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:detector/${aws_guardduty_detector.this.id}"
          }
        }
      }
    ]
  })
}

resource "aws_s3_bucket_policy" "findings" {
  bucket = module.store.bucket.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowGetBucketLocation"
        Effect    = "Allow"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "s3:GetBucketLocation"
        Resource  = "arn:aws:s3:::gd-findings-in-module"
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = data.aws_caller_identity.current.account_id
            "aws:SourceArn"     = "arn:aws:guardduty:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:detector/${aws_guardduty_detector.this.id}"
          }
        }
      },
      {
        Sid       = "AllowPutObject"
        Effect    = "Allow"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "arn:aws:s3:::gd-findings-in-module/*"
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = data.aws_caller_identity.current.account_id
            "aws:SourceArn"     = "arn:aws:guardduty:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:detector/${aws_guardduty_detector.this.id}"
          }
        }
      },
      {
        Sid       = "DenyUnencryptedObjectUploads"
        Effect    = "Deny"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "arn:aws:s3:::gd-findings-in-module/*"
        Condition = { StringNotEquals = { "s3:x-amz-server-side-encryption" = "aws:kms" } }
      },
      {
        Sid       = "DenyIncorrectEncryptionHeader"
        Effect    = "Deny"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "arn:aws:s3:::gd-findings-in-module/*"
        Condition = { StringNotEquals = { "s3:x-amz-server-side-encryption-aws-kms-key-id" = aws_kms_key.gd[0].arn } }
      },
      {
        Sid       = "DenyNonHTTPSAccess"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = ["arn:aws:s3:::gd-findings-in-module", "arn:aws:s3:::gd-findings-in-module/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      }
    ]
  })
}

resource "aws_guardduty_publishing_destination" "this" {
  detector_id     = aws_guardduty_detector.this.id
  destination_arn = module.store.bucket.arn
  kms_key_arn     = aws_kms_key.gd[0].arn
}
