# The key and destination the providers of providers.tf deploy.

resource "aws_kms_key" "gd" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Admin"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::555566667777:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "GuardDuty"
        Effect    = "Allow"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "kms:GenerateDataKey"
        Resource  = "arn:aws:kms:us-east-1:555566667777:key/*"
        Condition = { StringEquals = { "aws:SourceAccount" = "555566667777" } }
      }
    ]
  })
}

resource "aws_guardduty_publishing_destination" "gd" {
  detector_id     = "abcdef0123456789abcdef0123456789"
  destination_arn = "arn:aws:s3:::findings-bucket"
  kms_key_arn     = aws_kms_key.gd.arn
}
