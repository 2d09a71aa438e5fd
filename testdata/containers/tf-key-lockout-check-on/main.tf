# The guide's GuardDuty statement as the key's whole policy, the provider's lockout safety check
# left on (bypass_policy_lockout_safety_check defaults to false): KMS refuses to create the key
# (MalformedPolicyDocumentException), so GD204 is an error. Shape of a public module found by the
# tool's real-setup hunt (a key policy granting only guardduty.amazonaws.com).
resource "aws_kms_key" "findings" {
  description = "GuardDuty findings export"
  policy      = data.aws_iam_policy_document.key.json
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
