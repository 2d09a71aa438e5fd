# A condition holding a value unknown offline (an undeclared data source) does not make a
# grant to guardduty.us-east-1.amazonaws.com cover GuardDuty's requests in us-east-1, where
# it calls as guardduty.amazonaws.com (found by the real-world hunt: without the unknown value
# the same module failed GD301/GD302; with it, it passed).
resource "aws_s3_bucket_policy" "p" {
  bucket = "gd-findings"
  policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Loc", "Effect": "Allow", "Principal": {"Service": "guardduty.us-east-1.amazonaws.com"},
     "Action": "s3:GetBucketLocation", "Resource": "arn:aws:s3:::gd-findings",
     "Condition": {"StringEquals": {"aws:SourceAccount": "${data.aws_caller_identity.current.account_id}"}}},
    {"Sid": "Put", "Effect": "Allow", "Principal": {"Service": "guardduty.us-east-1.amazonaws.com"},
     "Action": "s3:PutObject", "Resource": "arn:aws:s3:::gd-findings/*",
     "Condition": {"StringEquals": {"aws:SourceAccount": "${data.aws_caller_identity.current.account_id}"}}}
  ]
}
POLICY
}
