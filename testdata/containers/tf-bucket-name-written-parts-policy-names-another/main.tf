resource "aws_kms_key" "k" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Admin", Effect = "Allow", Principal = { AWS = "arn:aws:iam::314159265358:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "GD", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }, Action = "kms:GenerateDataKey", Resource = "*",
        Condition = { StringEquals = { "aws:SourceAccount" = "314159265358" } } }
    ]
  })
}
resource "aws_guardduty_detector" "d" {
  enable = true
}
provider "aws" {
  region = "us-east-1"
}
resource "random_id" "s" { byte_length = 4 }
resource "aws_s3_bucket" "b" {
  bucket = "${var.env}-gd-findings"
}
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Loc", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }, Action = "s3:GetBucketLocation", Resource = "arn:aws:s3:::prod-logs",
        Condition = { StringEquals = { "aws:SourceAccount" = "314159265358" } } },
      { Sid = "Put", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }, Action = "s3:PutObject", Resource = "arn:aws:s3:::prod-logs/*",
        Condition = { StringEquals = { "aws:SourceAccount" = "314159265358" } } }
    ]
  })
}
resource "aws_guardduty_publishing_destination" "pd" {
  detector_id     = aws_guardduty_detector.d.id
  destination_arn = aws_s3_bucket.b.arn
  kms_key_arn     = aws_kms_key.k.arn
}
variable "env" { type = string }
