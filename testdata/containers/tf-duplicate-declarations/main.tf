# Written for gd-export-lint's tests: a module that declares a resource, a variable and a local
# twice (a copy-paste, as GSA/odp-tf-aws-ref-arch-guardduty's variables.tf did at 127fe3d).
# Terraform refuses it ("Duplicate resource ... configuration", "Duplicate variable
# declaration", "Duplicate local value definition"): GD007 errors at each second declaration.

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

variable "tags" {
  type    = map(string)
  default = {}
}

variable "tags" {
  type    = map(string)
  default = {}
}

locals {
  owner = "security"
}

locals {
  owner = "platform"
}

resource "aws_guardduty_publishing_destination" "gd" {
  detector_id     = "5ab8e9c0d1f2a3b4c5d6e7f8a9b0c1d2"
  destination_arn = "arn:aws-us-gov:s3:::other-findings"
  kms_key_arn     = aws_kms_key.gd.arn
}
