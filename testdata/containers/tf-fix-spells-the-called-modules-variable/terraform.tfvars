bucket_name = "acme-prod-gd-findings"
