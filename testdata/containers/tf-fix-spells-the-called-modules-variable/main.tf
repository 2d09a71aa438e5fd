# Written for gd-export-lint's tests: the bucket policy is written in a module the root calls,
# with the bucket's name passed from the root's variable (given in terraform.tfvars). A fix of
# the module's file writes the module's own ${var.bucket}, not the root's value nor the root's
# ${var.bucket_name}, which the module does not declare.
variable "bucket_name" {
  type = string
}

module "bucket" {
  source = "./modules/bucket"
  bucket = var.bucket_name
}
