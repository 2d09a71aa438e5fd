# The inputs the rendered policies assume (README, "How it was rendered"): one account that
# publishes findings to a bucket and key the module creates. original/ holds main.tf and data.tf
# only (variables.tf is not kept), so these variables are undeclared there; the reader takes
# values given for undeclared variables of a module read in part.
publish_to_s3         = true
ipset_config          = null
threatintelset_config = null
member_only           = false
member_config         = null
guardduty_s3_bucket   = null
admin_account_id      = null
