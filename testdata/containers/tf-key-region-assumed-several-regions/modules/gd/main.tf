variable "destination_arn" { type = string }
variable "kms_key_arn" { type = string }

resource "aws_guardduty_detector" "this" {
  enable = true
}

resource "aws_guardduty_publishing_destination" "this" {
  detector_id     = aws_guardduty_detector.this.id
  destination_arn = var.destination_arn
  kms_key_arn     = var.kms_key_arn
}
