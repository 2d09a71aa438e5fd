data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

resource "aws_kms_key" "gd" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid = "EnableIAMUserPermissions"
        Effect = "Allow"
        Principal = {
          AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"
        }
        Action = "kms:*"
        Resource = "*"
      },
      {
        Sid = "AllowGuardDutyKey"
        Effect = "Allow"
        Principal = {
          Service = "guardduty.amazonaws.com"
        }
        Action = "kms:GenerateDataKey"
        Resource = "*"
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = data.aws_caller_identity.current.account_id
            "aws:SourceArn" = "arn:aws:guardduty:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:detector/5ab8e9c0d1f2a3b4c5d6e7f8a9b0c1d2"
          }
        }
      }
    ]
  })
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
        Sid = "AllowGetBucketLocation"
        Effect = "Allow"
        Principal = {
          Service = "guardduty.amazonaws.com"
        }
        Action = "s3:GetBucketLocation"
        Resource = aws_s3_bucket.findings.arn
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = data.aws_caller_identity.current.account_id
            "aws:SourceArn" = "arn:aws:guardduty:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:detector/5ab8e9c0d1f2a3b4c5d6e7f8a9b0c1d2"
          }
        }
      },
      {
        Sid = "AllowPutObject"
        Effect = "Allow"
        Principal = {
          Service = "guardduty.amazonaws.com"
        }
        Action = "s3:PutObject"
        Resource = "${aws_s3_bucket.findings.arn}/findings/*"
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = data.aws_caller_identity.current.account_id
            "aws:SourceArn" = "arn:aws:guardduty:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:detector/5ab8e9c0d1f2a3b4c5d6e7f8a9b0c1d2"
          }
        }
      },
      {
        Sid = "DenyUnencryptedObjectUploads"
        Effect = "Deny"
        Principal = {
          Service = "guardduty.amazonaws.com"
        }
        Action = "s3:PutObject"
        Resource = "${aws_s3_bucket.findings.arn}/findings/*"
        Condition = {
          StringNotEquals = {
            "s3:x-amz-server-side-encryption" = "aws:kms"
          }
        }
      },
      {
        Sid = "DenyIncorrectEncryptionHeader"
        Effect = "Deny"
        Principal = {
          Service = "guardduty.amazonaws.com"
        }
        Action = "s3:PutObject"
        Resource = "${aws_s3_bucket.findings.arn}/findings/*"
        Condition = {
          StringNotEquals = {
            "s3:x-amz-server-side-encryption-aws-kms-key-id" = aws_kms_key.gd.arn
          }
        }
      },
      {
        Sid = "DenyNonHTTPSAccess"
        Effect = "Deny"
        Principal = "*"
        Action = "s3:*"
        Resource = [
          aws_s3_bucket.findings.arn,
          "${aws_s3_bucket.findings.arn}/*"
        ]
        Condition = {
          Bool = {
            "aws:SecureTransport" = "false"
          }
        }
      }
    ]
  })
}
