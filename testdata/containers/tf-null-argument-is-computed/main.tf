# `region = var.region` with a null default: Terraform treats a null argument as not set, and
# the data source gives the provider's Region (AWS provider v6 modules write this). The
# statement using it is judged: it lets GuardDuty decrypt too (GD203). The null was taken as
# the value, "known only when Terraform runs", the statement was not judged, and nothing was
# said.
variable "region" {
  type    = string
  default = null
}

data "aws_caller_identity" "current" {}

data "aws_region" "current" {
  region = var.region
}

locals {
  region = data.aws_region.current.region
}

resource "aws_kms_key" "findings" {
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
        Sid       = "GuardDutyKey"
        Effect    = "Allow"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = ["kms:GenerateDataKey", "kms:Decrypt"]
        Resource  = "*"
        Condition = {
          StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id }
          ArnLike      = { "aws:SourceArn" = "arn:aws:guardduty:${local.region}:${data.aws_caller_identity.current.account_id}:detector/*" }
        }
      }
    ]
  })
}
