resource "aws_s3_bucket_policy" "b" {
  policy = local.bucket_policy
}
