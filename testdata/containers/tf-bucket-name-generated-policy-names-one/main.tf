variable "bucket_name" {
  type = string # set by terragrunt inputs / -var; no default
}

resource "aws_s3_bucket" "findings" {
  force_destroy = true
}

resource "aws_s3_bucket_policy" "findings" {
  bucket = aws_s3_bucket.findings.id
  policy = file("${path.module}/bucket-policy.json")
}

variable "kms_key_arn" {
  type = string # the findings key, created elsewhere
}

resource "aws_guardduty_detector" "this" {
  enable = true
}

resource "aws_guardduty_publishing_destination" "this" {
  detector_id     = aws_guardduty_detector.this.id
  destination_arn = aws_s3_bucket.findings.arn
  kms_key_arn     = var.kms_key_arn
  depends_on      = [aws_s3_bucket_policy.findings]
}
