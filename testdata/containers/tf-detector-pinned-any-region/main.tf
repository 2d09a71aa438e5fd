# The detector was enabled in the console, then imported (terraform import aws_guardduty_detector.d <id>);
# the policies pin aws:SourceArn to that detector, as the export guide recommends.
provider "aws" {
  region = "us-east-1"
}

resource "aws_guardduty_detector" "d" {
  enable = true
}

resource "aws_kms_key" "k" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Admin", Effect = "Allow", Principal = { AWS = "arn:aws:iam::314159265358:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "GD", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }, Action = "kms:GenerateDataKey", Resource = "*",
        Condition = { StringEquals = { "aws:SourceAccount" = "314159265358" }, ArnLike = { "aws:SourceArn" = "arn:aws:guardduty:*:314159265358:detector/6ec5f6d1e7a2b3c4d5e6f7a8b9c0d1e2" } } }
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
        Condition = { StringEquals = { "aws:SourceAccount" = "314159265358" }, ArnLike = { "aws:SourceArn" = "arn:aws:guardduty:*:314159265358:detector/6ec5f6d1e7a2b3c4d5e6f7a8b9c0d1e2" } } },
      { Sid = "Put", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }, Action = "s3:PutObject", Resource = "${aws_s3_bucket.b.arn}/*",
        Condition = { StringEquals = { "aws:SourceAccount" = "314159265358" }, ArnLike = { "aws:SourceArn" = "arn:aws:guardduty:*:314159265358:detector/6ec5f6d1e7a2b3c4d5e6f7a8b9c0d1e2" } } }
    ]
  })
}

resource "aws_guardduty_publishing_destination" "pd" {
  detector_id     = aws_guardduty_detector.d.id
  destination_arn = aws_s3_bucket.b.arn
  kms_key_arn     = aws_kms_key.k.arn
}
