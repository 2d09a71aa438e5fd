# Two buckets from one block (count = 2): the policy attached to x[0] grants GuardDuty only on
# x[1]. Each instance is read as itself (its count.index), so the two are not one stand-in and
# the export to x[0] fails (GD301, GD302). Found by a metamorphic rewrite.
resource "aws_s3_bucket" "x" {
  count  = 2
  bucket = "gd-findings-${count.index}"
}

data "aws_caller_identity" "current" {}

resource "aws_guardduty_detector" "this" {
  enable = true
}

resource "aws_kms_key" "gd" {
  description = "GuardDuty findings"
  policy      = data.aws_iam_policy_document.key.json
}

data "aws_iam_policy_document" "key" {
  statement {
    sid       = "Root"
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
    sid       = "AllowPutObject"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.x[1].arn}/*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
  statement {
    sid       = "AllowGetBucketLocation"
    actions   = ["s3:GetBucketLocation"]
    resources = [aws_s3_bucket.x[1].arn]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
}

resource "aws_s3_bucket_policy" "findings" {
  bucket = aws_s3_bucket.x[0].id
  policy = data.aws_iam_policy_document.bucket.json
}

resource "aws_guardduty_publishing_destination" "this" {
  detector_id     = aws_guardduty_detector.this.id
  destination_arn = "${aws_s3_bucket.x[0].arn}/gd"
  kms_key_arn     = aws_kms_key.gd.arn
}
