guardduty_bucket_name                    = "odp-aws-ref-arch-1-odp-guardduty"
guardduty_bucket_acl                     = "log-delivery-write"
guardduty_bucket_destroy                 = true
guardduty_bucket_enable_versioning       = true
guardduty_bucket_block_public_acls       = true
guardduty_bucket_ignore_public_acls      = true
guardduty_bucket_block_public_policy     = true
guardduty_bucket_restrict_public_buckets = true