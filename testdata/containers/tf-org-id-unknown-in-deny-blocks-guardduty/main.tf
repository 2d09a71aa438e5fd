data "aws_organizations_organization" "org" {}
resource "aws_s3_bucket" "b" { bucket = "gd-findings-382910475620" }
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Loc", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }, Action = "s3:GetBucketLocation", Resource = "arn:aws:s3:::gd-findings-382910475620",
        Condition = { StringEquals = { "aws:SourceAccount" = "382910475620" } } },
      { Sid = "Put", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }, Action = "s3:PutObject", Resource = "arn:aws:s3:::gd-findings-382910475620/*",
        Condition = { StringEquals = { "aws:SourceAccount" = "382910475620" } } },
      { Sid = "DenyOutsideOrg", Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "arn:aws:s3:::gd-findings-382910475620/*",
        Condition = { StringNotEquals = { "aws:PrincipalOrgID" = data.aws_organizations_organization.org.id } } }
    ]
  })
}
