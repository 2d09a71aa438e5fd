locals {
  p = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"AllowGuardDuty\", \"Effect\": \"Allow\", \"Action\": [\"s3:GetBucketLocation\", \"s3:PutObject\"], \"Resource\": [\"arn:aws:s3:::gd-findings-example-logs\", \"arn:aws:s3:::gd-findings-example-logs/*\"], \"Principal\": {\"Service\": \"guardduty.amazonaws.com\"}, \"Condition\": {\"StringEquals\": {\"aws:SourceAccount\": \"382910475620\"}}}, {\"Sid\": \"DenyNonHTTPSAccess\", \"Effect\": \"Deny\", \"Action\": \"s3:*\", \"Resource\": [\"arn:aws:s3:::gd-findings-example-logs\", \"arn:aws:s3:::gd-findings-example-logs/*\"], \"Principal\": \"*\", \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"true\"}}}]}"
}
resource "aws_s3_bucket_policy" "findings" {
  bucket = "gd-findings-example-logs"
  policy = "${replace(local.p, "XX", "YY")}"
}
