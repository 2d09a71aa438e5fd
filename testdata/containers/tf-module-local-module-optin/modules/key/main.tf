variable "account_id" { type = string }
variable "detector" { type = string }
variable "principals" { type = list(string) }

resource "aws_kms_key" "findings" {
  description = "GuardDuty findings"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Admin"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${var.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "AllowGuardDutyKey"
        Effect    = "Allow"
        Principal = { Service = var.principals }
        Action    = "kms:GenerateDataKey"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = var.account_id
            "aws:SourceArn"     = var.detector
          }
        }
      }
    ]
  })
}
