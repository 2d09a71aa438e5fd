# Written for gd-export-lint's tests (from a real-world sweep of 2026-12-05): the module creates
# the detector and names it in the key policy's aws:SourceArn; its publishing destination is
# elsewhere. The user gives the detector id (export-settings.json): GuardDuty allows one detector
# per account and Region, so the one the module creates is that detector, and the policy lets
# GuardDuty in. GD201 reported "exports will fail", comparing the created detector's stand-in id
# with the given one.
resource "aws_guardduty_detector" "main" {
  enable = true
}

resource "aws_kms_key" "gd" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Root"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::731425098176:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "GD"
        Effect    = "Allow"
        Principal = { Service = "guardduty.amazonaws.com" }
        Action    = "kms:GenerateDataKey"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = "731425098176"
            "aws:SourceArn" = [
              "arn:aws:guardduty:us-east-1:731425098176:detector/${aws_guardduty_detector.main.id}",
            ]
          }
        }
      }
    ]
  })
}
