# Written for gd-export-lint's tests: two default configurations of the aws provider (one per
# Region, the second meant to be an alias) and two with the same alias. Terraform refuses the
# module at init ("Duplicate provider configuration": "A default (non-aliased) provider
# configuration for "aws" was already given", "A provider configuration for "aws" with alias
# "west" was already given"; checked with terraform 1.11): GD007 errors at each second one.
# Distinct aliases, and another provider's default configuration, are fine.

provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

provider "aws" {
  alias  = "west"
  region = "us-west-1"
}

provider "aws" {
  alias  = "audit"
  region = "us-east-1"
}

provider "random" {}
