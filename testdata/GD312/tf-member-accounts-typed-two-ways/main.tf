# Reduced from a public Terraform organisation setup (search-index file id 19346708031): the key
# policy's GuardDuty grant lists the member accounts twice, once as aws:SourceAccount and once in
# detector ARNs. Two of the fourteen were typed differently in the two lists.
resource "aws_kms_key" "gd_key" {
  description             = "GuardDuty findings"
  deletion_window_in_days = 7
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowRootAccount"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::516172020428:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid    = "AllowGuardDutyGenerateDataKeyFromListedAccounts"
        Effect = "Allow"
        Principal = {
          Service = "guardduty.amazonaws.com"
        }
        Action = [
          "kms:GenerateDataKey"
        ]
        Resource = "*"
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = [
              "516172020428",
              "178146987985",
              "260990552251",
              "818899930947",
              "001634221322"
            ]
          },
          ArnLike = {
            "aws:SourceArn" = [
              "arn:aws:guardduty:*:516172020428:detector/*",
              "arn:aws:guardduty:*:178146987985:detector/*",
              "arn:aws:guardduty:*:026090552251:detector/*",
              "arn:aws:guardduty:*:818809930947:detector/*",
              "arn:aws:guardduty:*:001634221322:detector/*"
            ]
          }
        }
      }
    ]
  })
}
