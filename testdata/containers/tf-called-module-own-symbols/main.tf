module "b" {
  source = "./mod"
  name   = "gd-findings-382917465021"
}
