# A bucket named only when deployed (bucket_prefix): verify shows it as ${aws_s3_bucket.logs.id}, never as the stand-in it checks with.
resource "aws_s3_bucket" "logs" {
  bucket_prefix = "bc-guardduty-logs-"
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Loc", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" },
        Action = "s3:GetBucketLocation", Resource = aws_s3_bucket.logs.arn },
      { Sid = "Put", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" },
        Action = "s3:PutObject", Resource = "${aws_s3_bucket.logs.arn}/*" }
    ]
  })
}
