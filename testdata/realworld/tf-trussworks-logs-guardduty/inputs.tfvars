test_name             = "terratest-aws-logs-q7k2m9"
region                = "us-east-2"
force_destroy         = true
guardduty_logs_prefix = "terratest-aws-logs-q7k2m9"
