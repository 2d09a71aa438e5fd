variable "name" { type = string }
resource "aws_s3_bucket" "this" {
  bucket = var.name
}
resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Loc", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }, Action = "s3:GetBucketLocation", Resource = aws_s3_bucket.this.arn,
        Condition = { StringEquals = { "aws:SourceAccount" = "382917465021" } } },
      { Sid = "Put", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }, Action = "s3:PutObject", Resource = "${aws_s3_bucket.this.arn}/*",
        Condition = { StringEquals = { "aws:SourceAccount" = "382917465021" } } },
      { Sid = "TLS", Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "${aws_s3_bucket.this.arn}/*",
        Condition = { Bool = { "aws:SecureTransport" = "false" } } }
    ]
  })
}
