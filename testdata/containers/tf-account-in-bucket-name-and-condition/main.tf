provider "aws" {
  region = "us-east-1"
}
data "aws_caller_identity" "current" {}
resource "aws_guardduty_detector" "d" {
  enable = true
}
resource "aws_kms_key" "k" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Admin", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "GD", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }, Action = "kms:GenerateDataKey", Resource = "*",
        Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } } }
    ]
  })
}
resource "aws_s3_bucket" "b" {
  bucket = "gd-findings-${data.aws_caller_identity.current.account_id}"
}
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "A", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }, Action = "s3:PutObject", Resource = "arn:aws:s3:::gd-findings-314159265358/*",
        Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } } },
      { Sid = "B", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }, Action = "s3:GetBucketLocation", Resource = "arn:aws:s3:::gd-findings-314159265358",
        Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } } }
    ]
  })
}
resource "aws_guardduty_publishing_destination" "pd" {
  detector_id     = aws_guardduty_detector.d.id
  destination_arn = aws_s3_bucket.b.arn
  kms_key_arn     = aws_kms_key.k.arn
}
