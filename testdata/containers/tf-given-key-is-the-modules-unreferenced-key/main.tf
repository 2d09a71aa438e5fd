data "aws_caller_identity" "current" {}

resource "aws_kms_key" "findings" {
  description = "GuardDuty findings"
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
        Sid       = "AllowGuardDutyKey"
        Effect    = "Allow"
        Principal = { Service = ["guardduty.amazonaws.com", "guardduty.me-south-1.amazonaws.com"] }
        Action    = "kms:GenerateDataKey"
        Resource  = "*"
        Condition = {
          StringLike = {
            "aws:SourceAccount" = "382910475620"
            "aws:SourceArn"     = "arn:aws:guardduty:*:382910475620:detector/5ab8e9c0d1f2a3b4c5d6e7f8a9b0c1d2"
          }
        }
      }
    ]
  })
}
