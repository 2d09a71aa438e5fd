resource "aws_kms_key" "k" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Root", Effect = "Allow", Principal = { AWS = "arn:aws:iam::382917465021:root" }, Action = "kms:*", Resource = "*" },
      {
        Sid = "GD", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }
        Action = "kms:GenerateDataKey", Resource = "*"
        Condition = { StringEquals = { "aws:SourceAccount" = "382917465021" } }
      }
    ]
  })
}

resource "aws_s3_bucket_policy" "b" {
  bucket = "gd-findings-382917465021"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid = "Loc", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }
        Action = "s3:GetBucketLocation", Resource = "arn:aws:s3:::gd-findings-382917465021"
        Condition = { StringEquals = { "aws:SourceAccount" = "382917465021" } }
      },
      {
        Sid = "Put", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }
        Action = "s3:PutObject", Resource = "arn:aws:s3:::gd-findings-382917465021/*"
        Condition = { StringEquals = { "aws:SourceAccount" = "382917465021" } }
      },
      {
        Sid = "DenyOtherKey", Effect = "Deny", Principal = { Service = "guardduty.amazonaws.com" }
        Action = "s3:PutObject", Resource = "arn:aws:s3:::gd-findings-382917465021/*"
        Condition = { StringNotEquals = { "s3:x-amz-server-side-encryption-aws-kms-key-id" = "arn:aws:kms:eu-central-1:382917465021:key/5f1c2a7e-0b3d-4c6e-9a8f-2d4b6c8e0a1f" } }
      }
    ]
  })
}

resource "aws_guardduty_publishing_destination" "d" {
  detector_id     = "12abc34d567e8fa901bc2d34e56789f0"
  destination_arn = "arn:aws:s3:::gd-findings-382917465021"
  kms_key_arn     = aws_kms_key.k.arn
}
