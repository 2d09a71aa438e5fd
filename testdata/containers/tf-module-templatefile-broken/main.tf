# A bucket policy rendered from a template file: its statements are checked where they are
# written (bucket-policy.json.tpl), with the values the call fills in.
resource "aws_guardduty_detector" "main" {
  enable = true
}

resource "aws_guardduty_publishing_destination" "s3" {
  detector_id     = aws_guardduty_detector.main.id
  destination_arn = "arn:aws:s3:::${local.bucket}/guardduty"
  kms_key_arn     = var.key_arn
}

variable "key_arn" {
  default = "arn:aws:kms:us-east-1:382910475620:key/1f2e3d4c-5b6a-4798-81a2-b3c4d5e6f708"
}

locals {
  bucket = "acme-guardduty-findings"
}

resource "aws_s3_bucket_policy" "findings" {
  bucket = local.bucket
  policy = templatefile("${path.module}/bucket-policy.json.tpl", {
    bucket  = local.bucket
    prefix  = "guardduty-old"
    account = "382910475620"
  })
}
