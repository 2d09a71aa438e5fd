# Written for gd-export-lint's tests (from a real-world sweep): the module creates the key, the
# bucket and the publishing destination under a provider that writes no Region, and no Region
# is given. The key is checked in a stand-in Region: GD401 compares nothing with the bucket's
# Region given (it reported "the KMS key is in <REGION> but the bucket is in eu-west-2").
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

resource "aws_guardduty_detector" "this" {
  enable = true
}

resource "aws_guardduty_publishing_destination" "this" {
  detector_id     = aws_guardduty_detector.this.id
  destination_arn = aws_s3_bucket.findings.arn
  kms_key_arn     = aws_kms_key.gd.arn
}
