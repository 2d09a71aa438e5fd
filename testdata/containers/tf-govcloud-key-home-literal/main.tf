# A GovCloud module checked without --region: its key policy says the key is in us-gov-west-1
# (arn:aws-us-gov:kms:us-gov-west-1:...:key/*), so the module is read in that Region and its key's
# ARN is arn:aws-us-gov:kms:... (it was arn:aws:kms:us-gov-west-1:..., which that Resource does
# not match: a false GD201 "exports will fail"). Reduced from a real module (the hunt of
# 2026-12-05: an org GuardDuty admin module with var.partition and var.aws_region).

resource "aws_kms_key" "gd" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Admin"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws-us-gov:iam::555566667777:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "GuardDuty"
        Effect    = "Allow"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "kms:GenerateDataKey"
        Resource  = "arn:aws-us-gov:kms:us-gov-west-1:555566667777:key/*"
        Condition = { StringEquals = { "aws:SourceAccount" = "555566667777" } }
      }
    ]
  })
}

resource "aws_guardduty_publishing_destination" "gd" {
  detector_id     = "abcdef0123456789abcdef0123456789"
  destination_arn = "arn:aws-us-gov:s3:::findings-bucket"
  kms_key_arn     = aws_kms_key.gd.arn
}
