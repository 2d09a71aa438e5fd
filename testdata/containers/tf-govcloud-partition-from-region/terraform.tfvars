# The Region this deployment of the module is for, as login.gov passes it.
region             = "us-gov-west-1"
bucket_name_prefix = "login-gov"
