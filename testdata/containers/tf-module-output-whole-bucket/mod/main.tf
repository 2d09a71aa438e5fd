resource "aws_s3_bucket" "this" {
  bucket = "gd-findings-in-module"
}
output "bucket" {
  value = aws_s3_bucket.this
}
