data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "gd" {
  bucket = "acme-gd-findings"
}

resource "aws_kms_key" "gd" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Root", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "GD", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }, Action = "kms:GenerateDataKey", Resource = "*",
        Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id }
                      ArnLike = { "aws:SourceArn" = "arn:aws:guardduty:us-east-1:${data.aws_caller_identity.current.account_id}:detector/*" } } }
    ]
  })
}

resource "aws_s3_bucket_policy" "gd" {
  bucket = aws_s3_bucket.gd.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "GDLoc", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }, Action = "s3:GetBucketLocation", Resource = aws_s3_bucket.gd.arn,
        Condition = { StringEquals = { "aws:SourceAccount" = "382910475620" } } },
      { Sid = "GDPut", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }, Action = "s3:PutObject", Resource = "${aws_s3_bucket.gd.arn}/*",
        Condition = { StringEquals = { "aws:SourceAccount" = "382910475620" } } }
    ]
  })
}

resource "aws_guardduty_detector" "d" {}
resource "aws_guardduty_publishing_destination" "p" {
  detector_id     = aws_guardduty_detector.d.id
  destination_arn = aws_s3_bucket.gd.arn
  kms_key_arn     = aws_kms_key.gd.arn
}
