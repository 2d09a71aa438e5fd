variable "bucket" {
  type = string
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "AllowGuardDuty"
    actions   = ["s3:GetBucketLocation", "s3:PutObject"]
    resources = ["arn:aws:s3:::${var.bucket}", "arn:aws:s3:::${var.bucket}/*"]
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
    sid       = "DenyUnencryptedObjectUploads"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::${var.bucket}/*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "s3:x-amz-server-side-encryption"
      values   = ["aws:kms"]
    }
  }
}

resource "aws_s3_bucket_policy" "findings" {
  bucket = var.bucket
  policy = data.aws_iam_policy_document.bucket.json
}
