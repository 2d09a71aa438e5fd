{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowGetBucketLocation",
      "Effect": "Allow",
      "Principal": {"Service": "guardduty.amazonaws.com"},
      "Action": "s3:GetBucketLocation",
      "Resource": "arn:aws:s3:::${bucket}",
      "Condition": {"StringEquals": {"aws:SourceAccount": "${account}"}}
    },
    {
      "Sid": "AllowPutObject",
      "Effect": "Allow",
      "Principal": {"Service": "guardduty.amazonaws.com"},
      "Action": "s3:PutObject",
      "Resource": "arn:aws:s3:::${bucket}/${prefix}/*",
      "Condition": {"StringEquals": {"aws:SourceAccount": "${account}"}}
    }
  ]
}
