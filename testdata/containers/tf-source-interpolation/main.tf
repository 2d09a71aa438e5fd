resource "aws_s3_bucket_policy" "findings" {
  bucket = aws_s3_bucket.findings.id
  policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "AllowPutObject",
          "Effect": "Allow",
          "Principal": {"Service": "guardduty.amazonaws.com"},
          "Action": "s3:PutObject",
          "Resource": "${aws_s3_bucket.findings.arn}/findings/*"
          "Condition": {"StringEquals": {"aws:SourceAccount": "${data.aws_caller_identity.current.account_id}"}}
        },
        {
          "Sid": "AllowGetBucketLocation",
          "Effect": "Allow",
          "Principal": {"Service": "guardduty.amazonaws.com"},
          "Action": "s3:GetBucketLocaton",
          "Resource": "${aws_s3_bucket.findings.arn}",
          "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:guardduty:*:$${aws:SourceAccount}:detector/*"}}
        }
      ]
    }
  POLICY
}
