data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

resource "aws_guardduty_detector" "this" {
  enable = true
}

resource "aws_s3_bucket" "findings" {
  bucket = "gd-findings-example-logs"
}

resource "aws_s3_bucket_policy" "findings" {
  bucket = aws_s3_bucket.findings.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowGuardDuty"
        Effect    = "Allow"
        Action    = ["s3:GetBucketLocation", "s3:PutObject"]
        Resource  = [aws_s3_bucket.findings.arn, "${aws_s3_bucket.findings.arn}/*"]
        Principal = { Service = "guardduty.amazonaws.com" }
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = data.aws_caller_identity.current.account_id
            "aws:SourceArn"     = aws_guardduty_detector.this.arn
          }
        }
      },
      {
        Sid       = "DenyNonHTTPSAccess"
        Effect    = "Deny"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.findings.arn, "${aws_s3_bucket.findings.arn}/*"]
        Principal = "*"
        Condition = {
          Bool = { "aws:SecureTransport" = var.secure }
        }
      }
    ]
  })
}

variable "secure" {
  type = string
}
