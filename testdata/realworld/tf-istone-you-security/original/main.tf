variable "vpc_id" {}

data "aws_caller_identity" "current" {}