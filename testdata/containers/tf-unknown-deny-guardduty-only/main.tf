# A Deny holding a value known only when Terraform runs (the key ARN) cannot hide what it cannot
# apply to: it names GuardDuty alone, so anyone's s3:GetObject is allowed whatever the key is
# (GD313). Trimmed from marshall7m/terraform-aws-landing-zone modules/guardduty (0a474ddf04).
variable "key_arn" {
  type = string
}

resource "aws_s3_bucket_policy" "findings" {
  bucket = "acme-gd-findings"
  policy = data.aws_iam_policy_document.findings.json
}

data "aws_iam_policy_document" "findings" {
  statement {
    sid       = "GuardDutyGetBucketLocation"
    actions   = ["s3:GetBucketLocation"]
    resources = ["arn:aws:s3:::acme-gd-findings"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["141421356237"]
    }
  }

  statement {
    sid       = "GuardDutyPutObject"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::acme-gd-findings/*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["141421356237"]
    }
  }

  statement {
    sid       = "PublicRead"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::acme-gd-findings/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }

  statement {
    sid       = "DenyOtherKeys"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::acme-gd-findings/*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
      values   = [var.key_arn]
    }
  }
}
