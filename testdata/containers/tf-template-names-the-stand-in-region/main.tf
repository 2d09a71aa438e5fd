data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

resource "aws_s3_bucket" "b" {
  bucket = "my-gd-findings"
}

resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = templatefile("${path.module}/policy.json.tpl", {
    region  = data.aws_region.current.name
    account = data.aws_caller_identity.current.account_id
  })
}
