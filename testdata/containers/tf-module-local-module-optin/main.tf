# The key comes from a local module, called with the detector's values; the export runs in an
# opt-in Region (export-settings.json), where GuardDuty calls as its regional principal, which
# the module's key policy does not name.
data "aws_caller_identity" "current" {}

resource "aws_guardduty_detector" "main" {
  enable = true
}

module "key" {
  source      = "./modules/key"
  account_id  = data.aws_caller_identity.current.account_id
  detector    = aws_guardduty_detector.main.arn
  principals  = ["guardduty.amazonaws.com"]
}
