variable "bucket_arn" {}
variable "key_arn" {}

resource "aws_guardduty_detector" "this" {
  enable = true
}

resource "aws_guardduty_publishing_destination" "this" {
  detector_id     = aws_guardduty_detector.this.id
  destination_arn = var.bucket_arn
  kms_key_arn     = var.key_arn
}
