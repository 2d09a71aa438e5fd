{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowPutObject",
      "Effect": "Allow",
      "Principal": {"Service": "guardduty.amazonaws.com"},
      "Action": "s3:PutObject",
      "Resource": "arn:aws:s3:::${bucket}/*",
      "Condition": {"StringEquals": {"aws:SourceAccount": "${account_id}"}}
    }
  ]
}
