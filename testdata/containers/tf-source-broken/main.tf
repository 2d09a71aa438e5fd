resource "aws_kms_key" "findings" {
  description         = "GuardDuty findings"
  enable_key_rotation = true
  policy              = <<-EOT
    {
      "Version": "2012-10-17",
      "Id": "guardduty-findings-export-key",
      "Statement": [
        {
          "Sid": "EnableIAMUserPermissions",
          "Effect": "Allow",
          "Principal": {
            "AWS": "arn:aws:iam::382910475620:root"
          },
          "Action": "kms:*",
          "Resource": "*"
        },
        {
          "Sid": "AllowGuardDutyKey",
          "Effect": "Allow",
          "Principal": {
            "Service": "guardduty.amazonaws.com"
          },
          "Action": "kms:GenerateDataKey",
          "Resource": "KMS key ARN"
        }
      ]
    }
  EOT
}

resource "aws_s3_bucket_policy" "findings" {
  bucket = aws_s3_bucket.findings.id
  # Built with jsonencode: read as the value it encodes (an empty Statement list).
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = []
  })
}

resource "aws_guardduty_publishing_destination" "s3" {
  detector_id     = aws_guardduty_detector.main.id
  destination_arn = "arn:aws:s3:::example-guardduty-findings/findings"
  kms_key_arn     = "arn:aws:kms:us-east-2:382910475620:key/1f2e3d4c-5b6a-4798-81a2-b3c4d5e6f708"
}
