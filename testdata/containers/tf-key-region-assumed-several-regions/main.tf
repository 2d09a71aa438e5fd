# From a real-world sweep (ministryofjustice/aws-root-account, organisation-security: one
# eu-west-2 bucket and key, a detector per Region publishing to them through a module called
# with each Region's provider), minimised. The default provider writes no Region: which of the
# Regions given the key is created in is not known, so GD401 compares none (it reported "the KMS
# key is in us-east-1", the first Region given, and nothing with the Regions in the other order).
provider "aws" {
  alias  = "use1"
  region = "us-east-1"
}

data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "findings" {
  bucket = "example-gd-findings"
}

resource "aws_kms_key" "gd" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Admin"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "GuardDuty"
        Effect    = "Allow"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "kms:GenerateDataKey"
        Resource  = "*"
        Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
      }
    ]
  })
}

resource "aws_s3_bucket_policy" "findings" {
  bucket = aws_s3_bucket.findings.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "GetLoc"
        Effect    = "Allow"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "s3:GetBucketLocation"
        Resource  = aws_s3_bucket.findings.arn
        Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
      },
      {
        Sid       = "Put"
        Effect    = "Allow"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.findings.arn}/*"
        Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
      }
    ]
  })
}

# findings of us-east-1 and eu-west-2 go to the one eu-west-2 bucket, encrypted with the eu-west-2 key
module "gd_use1" {
  source          = "./modules/gd"
  providers       = { aws = aws.use1 }
  destination_arn = aws_s3_bucket.findings.arn
  kms_key_arn     = aws_kms_key.gd.arn
}

module "gd_euw2" {
  source          = "./modules/gd"
  destination_arn = aws_s3_bucket.findings.arn
  kms_key_arn     = aws_kms_key.gd.arn
}
