data "aws_organizations_organization" "organization" {}
data "aws_organizations_organization" "current" {}
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

resource "aws_s3_bucket" "gd" {
  bucket = "acme-gd-findings"
}

resource "aws_kms_key" "gd" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Root", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "GD", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }, Action = "kms:GenerateDataKey", Resource = "*",
        Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } } },
      { Sid = "readobjectsfrombucket", Effect = "Allow", Principal = { AWS = "*" }, Action = "kms:Decrypt", Resource = "*",
        Condition = { StringEquals = { "kms:ViaService" = "s3.${data.aws_region.current.id}.amazonaws.com", "aws:PrincipalOrgID" = data.aws_organizations_organization.current.id } } }
    ]
  })
}

resource "aws_s3_bucket_policy" "gd" {
  bucket = aws_s3_bucket.gd.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "GDLoc", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }, Action = "s3:GetBucketLocation", Resource = aws_s3_bucket.gd.arn,
        Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } } },
      { Sid = "GDPut", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }, Action = "s3:PutObject", Resource = "${aws_s3_bucket.gd.arn}/*",
        Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } } },
      { Sid = "puts", Effect = "Allow", Principal = { AWS = "*" }, Action = ["s3:GetObject", "s3:ListBucket"], Resource = ["${aws_s3_bucket.gd.arn}/*", aws_s3_bucket.gd.arn],
        Condition = { StringEquals = { "aws:PrincipalOrgID" = data.aws_organizations_organization.organization.id } } }
    ]
  })
}

resource "aws_guardduty_detector" "d" {}
resource "aws_guardduty_publishing_destination" "p" {
  detector_id     = aws_guardduty_detector.d.id
  destination_arn = aws_s3_bucket.gd.arn
  kms_key_arn     = aws_kms_key.gd.arn
}
