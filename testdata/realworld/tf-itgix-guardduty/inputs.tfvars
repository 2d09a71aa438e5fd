# The inputs the rendered policies assume (README, "How it was rendered"): both halves of the
# module deployed in one account, 141421356237: the audit half (bucket, key, both policies) and
# the security half (the publishing destination on its detector, with the bucket and key ARNs
# passed in as variables; in an organization they are the audit account's bucket and key).
# organization_management_account_id is used by kms.tf but not declared in the stored
# variables.tf (original/ holds the module in part); the reader takes values given for
# undeclared variables of a module read in part.
guardduty_organization_audit_account             = true
guardduty_organization_security_account          = true
aws_region                                       = "eu-central-1"
organization_audit_account_id                    = "141421356237"
organization_management_account_id               = "173205080756"
guardduty_s3_bucket_name                         = "itgix-guardduty-findings-141421356237"
guardduty_detector_id                            = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
guardduty_findings_central_s3_bucket_arn         = "arn:aws:s3:::itgix-guardduty-findings-141421356237"
guardduty_findings_central_s3_bucket_kms_key_arn = "arn:aws:kms:eu-central-1:141421356237:key/1f2e3d4c-5b6a-4798-81a2-b3c4d5e6f708"
