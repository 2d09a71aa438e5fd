{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowGuardDutyPut",
      "Effect": "Allow",
      "Principal": {"Service": "guardduty.${region}.amazonaws.com"},
      "Action": "s3:PutObject",
      "Resource": "arn:aws:s3:::my-gd-findings/*",
      "Condition": {"StringEquals": {"aws:SourceAccount": "${account}",
        "aws:SourceArn": ["arn:aws:guardduty:${region}:${account}:detector/5ab8e9c0d1f2a3b4c5d6e7f8a9b0c1d2", "arn:aws:guardduty:eu-north-1:${account}:detector/5ab8e9c0d1f2a3b4c5d6e7f8a9b0c1d2"]}}
    },
    {
      "Sid": "AllowGuardDutyLoc",
      "Effect": "Allow",
      "Principal": {"Service": "guardduty.${region}.amazonaws.com"},
      "Action": "s3:GetBucketLocation",
      "Resource": "arn:aws:s3:::my-gd-findings"
    }
  ]
}
