data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

resource "aws_kms_key" "gd" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Admin", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "AllowGuardDutyKey", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }, Action = "kms:GenerateDataKey", Resource = "*",
        Condition = { StringEquals = {
          "aws:SourceAccount" = data.aws_caller_identity.current.account_id
          "aws:SourceArn" = ["arn:aws:guardduty:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:detector/5ab8e9c0d1f2a3b4c5d6e7f8a9b0c1d2", "arn:aws:guardduty:eu-north-1:${data.aws_caller_identity.current.account_id}:detector/5ab8e9c0d1f2a3b4c5d6e7f8a9b0c1d2"]
        } } }
    ]
  })
}
