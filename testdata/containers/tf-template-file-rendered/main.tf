# The template provider's data "template_file" (older modules, before templatefile()): the
# policy is its template, read with file(), rendered with its vars. It lacks
# s3:GetBucketLocation (GD301), found in the template where it is written.
data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "findings" {
  bucket = "gd-findings-${data.aws_caller_identity.current.account_id}"
}

data "template_file" "bucket_policy" {
  template = file("${path.module}/bucket-policy.json.tpl")
  vars = {
    bucket     = aws_s3_bucket.findings.id
    account_id = data.aws_caller_identity.current.account_id
  }
}

resource "aws_s3_bucket_policy" "findings" {
  bucket = aws_s3_bucket.findings.id
  policy = data.template_file.bucket_policy.rendered
}
