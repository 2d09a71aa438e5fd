# The same Deny for everyone and every action: with its value unknown, it may deny anyone's
# s3:GetObject, so nothing is concluded about who else can read the findings (no GD313).
# Twin of tf-unknown-deny-guardduty-only.
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
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::acme-gd-findings/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
      values   = [var.key_arn]
    }
  }
}
