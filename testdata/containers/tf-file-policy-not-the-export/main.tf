# A key policy read with file() that does not name GuardDuty: not the export's key, so only its
# grammar is checked, as it would be written inline. Checked through the named main.tf alone, its
# errors were dropped (the file is neither named nor the export's document).
resource "aws_kms_key" "app" {
  description = "application data"
  policy      = file("${path.module}/kms-policy.json")
}
