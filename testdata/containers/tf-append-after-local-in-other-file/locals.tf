locals {
  gd_put = {
    Sid       = "GDPut"
    Effect    = "Allow"
    Principal = { Service = "guardduty.amazonaws.com" }
    Action    = "s3:PutObject"
    Resource  = "arn:aws:s3:::acme-gd-findings/*"
  }
}

