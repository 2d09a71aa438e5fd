# Written for gd-export-lint's tests: the twin of tf-module-providers-default-own-account whose
# module creates the publishing destination with an aliased provider that assumes a role in
# another account: the root's data.aws_caller_identity is not the exporting account, so the
# source-condition fixes leave <ACCOUNT_ID> to the user (and no edit is written).
provider "aws" {
  alias  = "security"
  region = "us-east-2"
  assume_role {
    role_arn = "arn:aws:iam::444455556666:role/OrganizationAccountAccessRole"
  }
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

resource "aws_s3_bucket" "findings" {
  bucket = "example-guardduty-findings"
}

resource "aws_kms_key" "findings" {
  description = "GuardDuty findings"
  policy      = data.aws_iam_policy_document.key.json
}

data "aws_iam_policy_document" "key" {
  statement {
    sid       = "Admin"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
  statement {
    sid       = "AllowGuardDutyKey"
    actions   = ["kms:GenerateDataKey"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "AllowGetBucketLocation"
    actions   = ["s3:GetBucketLocation"]
    resources = [aws_s3_bucket.findings.arn]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
  statement {
    sid       = "AllowPutObject"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.findings.arn}/*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
}

resource "aws_s3_bucket_policy" "findings" {
  bucket = aws_s3_bucket.findings.id
  policy = data.aws_iam_policy_document.bucket.json
}

resource "aws_guardduty_detector" "this" {
  enable = true
}

module "export" {
  source = "./export"
  providers = {
    aws = aws.security
  }
  detector_id = aws_guardduty_detector.this.id
  bucket_arn  = aws_s3_bucket.findings.arn
  key_arn     = aws_kms_key.findings.arn
}
