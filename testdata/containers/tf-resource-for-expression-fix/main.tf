resource "aws_s3_bucket" "x" {
  count  = 2
  bucket = "gd-findings-${count.index}"
}
resource "aws_guardduty_detector" "this" { enable = true }
resource "aws_kms_key" "gd" { description = "GuardDuty findings" }

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "AllowPutObject"
    actions   = ["s3:PutObject"]
    resources = [for b in [aws_s3_bucket.x[1]] : "${b.arn}/*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
  statement {
    sid       = "AllowGetBucketLocation"
    actions   = ["s3:GetBucketLocation"]
    resources = [aws_s3_bucket.x[0].arn]
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
