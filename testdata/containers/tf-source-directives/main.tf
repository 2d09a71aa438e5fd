resource "aws_s3_bucket_policy" "findings" {
  bucket = "findings"
  policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    %{ for acct in var.reader_accounts }
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${acct}:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::findings/*"},
    %{ endfor }
    {"Sid": "AllowGetBucketLocation", "Effect": "Allow", "Principal": {"Service": "guardduty.amazonaws.com"}, "Action": "s3:GetBucketLocation", "Resource": "arn:aws:s3:::findings"}
  ]
}
POLICY
}
