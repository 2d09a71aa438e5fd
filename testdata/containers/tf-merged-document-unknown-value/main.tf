# A key policy merged from two documents (source_policy_documents), modelled on a reusable
# GuardDuty module (sweep of 2026-12-02). The merged statement's Region is known only when
# Terraform runs: that statement is not judged. It was judged on its `${...}` text, a false
# GD201 error (exit 1), while the same statement written inline was left unjudged.
data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "kms" {
  source_policy_documents = [data.aws_iam_policy_document.guardduty.json]
  statement {
    sid       = "Root"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

data "aws_iam_policy_document" "guardduty" {
  statement {
    sid       = "GuardDutyEncrypt"
    actions   = ["kms:GenerateDataKey"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:aws:guardduty:${aws_vpc.main.region}:${data.aws_caller_identity.current.account_id}:detector/*"]
    }
  }
}

resource "aws_kms_key" "findings" {
  policy = data.aws_iam_policy_document.kms.json
}
