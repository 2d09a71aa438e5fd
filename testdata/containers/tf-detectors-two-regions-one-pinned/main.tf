provider "aws" {
  region = "us-east-1"
}
provider "aws" {
  alias  = "euw1"
  region = "eu-west-1"
}
resource "aws_guardduty_detector" "use1" {
  enable = true
}
resource "aws_guardduty_detector" "euw1" {
  provider = aws.euw1
  enable   = true
}
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
resource "aws_s3_bucket" "b" {
  bucket = "gd-findings-314159265358"
}
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Loc", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }, Action = "s3:GetBucketLocation", Resource = aws_s3_bucket.b.arn,
        Condition = { StringEquals = { "aws:SourceAccount" = "314159265358", "aws:SourceArn" = "arn:aws:guardduty:us-east-1:314159265358:detector/6ec5f6d1e7a2b3c4d5e6f7a8b9c0d1e2" } } },
      { Sid = "Put", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }, Action = "s3:PutObject", Resource = "${aws_s3_bucket.b.arn}/*",
        Condition = { StringEquals = { "aws:SourceAccount" = "314159265358", "aws:SourceArn" = "arn:aws:guardduty:us-east-1:314159265358:detector/6ec5f6d1e7a2b3c4d5e6f7a8b9c0d1e2" } } }
    ]
  })
}
resource "aws_guardduty_publishing_destination" "use1" {
  detector_id     = aws_guardduty_detector.use1.id
  destination_arn = aws_s3_bucket.b.arn
  kms_key_arn     = aws_kms_key.k.arn
}
resource "aws_guardduty_publishing_destination" "euw1" {
  provider        = aws.euw1
  detector_id     = aws_guardduty_detector.euw1.id
  destination_arn = aws_s3_bucket.b.arn
  kms_key_arn     = aws_kms_key.k.arn
}
