# The last statement of the bucket policy's list is a local, written in the locals block: the
# statements GD304/GD305/GD307 append go after it in the list, not inside the local's object
# (which the append broke: GD007 after --fix --unsafe-fixes).

resource "aws_guardduty_detector" "this" {
  enable = true
}

resource "aws_s3_bucket" "findings" {
  bucket = "acme-gd-findings"
}

resource "aws_s3_bucket_policy" "findings" {
  bucket = aws_s3_bucket.findings.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Loc"
        Effect    = "Allow"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "s3:GetBucketLocation"
        Resource  = "arn:aws:s3:::acme-gd-findings"
        Condition = { StringEquals = { "aws:SourceAccount" = "382910475620" } }
      },
      {
        Sid       = "DenyNonHTTPSAccess"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = ["arn:aws:s3:::acme-gd-findings", "arn:aws:s3:::acme-gd-findings/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
      local.gd_put
    ]
  })
}
