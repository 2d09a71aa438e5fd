locals {
  name      = "findings"
  guardduty = var.regional ? "guardduty.${data.aws_region.current.name}.amazonaws.com" : "guardduty.amazonaws.com"
}
variable "regional" {
  type    = bool
  default = false
}
