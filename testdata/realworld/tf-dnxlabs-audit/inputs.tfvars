# The module kept in part (no variables.tf): the input its rendering assumed.
org_name = "acme"
s3_days_until_glacier = 90
