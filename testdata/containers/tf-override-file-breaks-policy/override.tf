# Terraform merges this into aws_s3_bucket_policy.b of main.tf: the policy deployed is this one.
resource "aws_s3_bucket_policy" "b" {
  policy = jsonencode({ Version = "2012-10-17", Statement = [] })
}
