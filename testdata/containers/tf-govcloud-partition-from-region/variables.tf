# Locals

locals {
  gd_perm_conditions = [
    {
      "variable" = "aws:SourceAccount",
      "values"   = [data.aws_caller_identity.current.account_id]
    },
    {
      "variable" = "aws:SourceArn",
      "values"   = [aws_guardduty_detector.main.arn]
    }
  ]
  bucket_name_suffix = "${data.aws_caller_identity.current.account_id}-${var.region}"
}

# Variables

variable "region" {
  type        = string
  description = "AWS Region for the module."
  default     = "us-west-2"
}

variable "bucket_name" {
  type        = string
  default     = "guardduty"
}

variable "bucket_name_prefix" {
  type        = string
}

variable "bucket_name_override" {
  type        = string
  description = "Set this to override the normal bucket naming schema."
  default     = ""
}

variable "finding_freq" {
  type        = string
  description = "Frequency of notifications for GuardDuty findings."
  default     = "SIX_HOURS"
}
