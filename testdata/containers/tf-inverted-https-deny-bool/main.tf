# Written for gd-export-lint tests (a review of the inverted-HTTPS repair): the HTTPS Deny's value
# written as an HCL boolean, values = [true]: GD309's fix writes false in its place.
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

resource "aws_guardduty_detector" "this" {
  enable = true
}

resource "aws_s3_bucket" "findings" {
  bucket = "gd-findings-example-logs"
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "AllowGuardDuty"
    actions   = ["s3:GetBucketLocation", "s3:PutObject"]
    resources = [aws_s3_bucket.findings.arn, "${aws_s3_bucket.findings.arn}/*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [aws_guardduty_detector.this.arn]
    }
  }
  statement {
    sid       = "DenyNonHTTPSAccess"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.findings.arn, "${aws_s3_bucket.findings.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = [true]
    }
  }
}

resource "aws_s3_bucket_policy" "findings" {
  bucket = aws_s3_bucket.findings.id
  policy = data.aws_iam_policy_document.bucket.json
}
