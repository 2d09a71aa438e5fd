# The twin of tf-key-administrator-names-the-modules-account without the bucket policy's key-id
# Deny: the same findings about the key (no GD204) either way.
data "aws_iam_policy_document" "key" {
  statement {
    sid       = "Enable IAM User Permissions"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::144302015276:root"]
    }
  }
  statement {
    sid       = "Allow GuardDuty to use the key"
    actions   = ["kms:GenerateDataKey"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
}

resource "aws_kms_key" "gd" {
  policy = data.aws_iam_policy_document.key.json
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "Allow PutObject"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::gd-findings-144302015276/*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
  statement {
    sid       = "Allow GetBucketLocation"
    actions   = ["s3:GetBucketLocation"]
    resources = ["arn:aws:s3:::gd-findings-144302015276"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
}

resource "aws_s3_bucket_policy" "gd" {
  bucket = "gd-findings-144302015276"
  policy = data.aws_iam_policy_document.bucket.json
}
