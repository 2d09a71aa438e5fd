# After a public Terraform module (found by a real-world hunt; the search index names no
# repository) that points the publishing destination at a CloudWatch log group: GuardDuty
# exports only to S3, so Terraform's CreatePublishingDestination call fails (GD007).
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
resource "aws_guardduty_detector" "main" { enable = true }
resource "aws_cloudwatch_log_group" "guardduty_log" { name = "/aws/guardduty/logs" }
resource "aws_kms_key" "k" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Root", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "GD", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }, Action = "kms:GenerateDataKey", Resource = "*",
        Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } } }
    ]
  })
}
resource "aws_guardduty_publishing_destination" "main" {
  detector_id     = aws_guardduty_detector.main.id
  destination_arn = aws_cloudwatch_log_group.guardduty_log.arn
  kms_key_arn     = aws_kms_key.k.arn
}
