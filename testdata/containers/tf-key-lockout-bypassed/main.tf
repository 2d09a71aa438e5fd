# The guide's GuardDuty statement as the key's whole policy, the provider's lockout safety check
# bypassed (bypass_policy_lockout_safety_check = true): KMS creates the key, which nobody can then
# manage: GD204 stays a warning. Twin of tf-key-lockout-check-on.
resource "aws_kms_key" "findings" {
  description = "GuardDuty findings export"
  policy      = data.aws_iam_policy_document.key.json

  bypass_policy_lockout_safety_check = true
}

data "aws_iam_policy_document" "key" {
  statement {
    sid       = "AllowGuardDutyKey"
    actions   = ["kms:GenerateDataKey"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["141421356237"]
    }
  }
}
