# The module of tf-module-providers-default-own-account: the publishing destination alone.
variable "detector_id" {}
variable "bucket_arn" {}
variable "key_arn" {}

resource "aws_guardduty_publishing_destination" "this" {
  detector_id     = var.detector_id
  destination_arn = var.bucket_arn
  kms_key_arn     = var.key_arn
}
