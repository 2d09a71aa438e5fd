account_id            = "141421356237"
region                = "us-east-1"
s3_encryption_key_arn = "arn:aws:kms:us-east-1:141421356237:key/7c2e9a41-3b5d-4f60-8a17-d4c9e2b0f583"
