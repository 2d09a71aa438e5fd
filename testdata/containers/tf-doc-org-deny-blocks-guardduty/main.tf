# examples/correct written with aws_iam_policy_document, with an organization Deny
# (aws:PrincipalOrgID) that GuardDuty's service principal never satisfies: one GD309 for both
# requests, its fix in words.
data "aws_iam_policy_document" "bucket" {
  statement {
    sid = "AllowGetBucketLocation"
    effect = "Allow"
    actions = ["s3:GetBucketLocation"]
    resources = ["arn:aws:s3:::example-guardduty-findings"]
    principals {
      type = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
    condition {
      test = "StringEquals"
      variable = "aws:SourceAccount"
      values = ["382910475620"]
    }
    condition {
      test = "StringEquals"
      variable = "aws:SourceArn"
      values = ["arn:aws:guardduty:us-east-2:382910475620:detector/5ab8e9c0d1f2a3b4c5d6e7f8a9b0c1d2"]
    }
  }
  statement {
    sid = "AllowPutObject"
    effect = "Allow"
    actions = ["s3:PutObject"]
    resources = ["arn:aws:s3:::example-guardduty-findings/findings/*"]
    principals {
      type = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
    condition {
      test = "StringEquals"
      variable = "aws:SourceAccount"
      values = ["382910475620"]
    }
    condition {
      test = "StringEquals"
      variable = "aws:SourceArn"
      values = ["arn:aws:guardduty:us-east-2:382910475620:detector/5ab8e9c0d1f2a3b4c5d6e7f8a9b0c1d2"]
    }
  }
  statement {
    sid = "DenyUnencryptedObjectUploads"
    effect = "Deny"
    actions = ["s3:PutObject"]
    resources = ["arn:aws:s3:::example-guardduty-findings/findings/*"]
    principals {
      type = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
    condition {
      test = "StringNotEquals"
      variable = "s3:x-amz-server-side-encryption"
      values = ["aws:kms"]
    }
  }
  statement {
    sid = "DenyIncorrectEncryptionHeader"
    effect = "Deny"
    actions = ["s3:PutObject"]
    resources = ["arn:aws:s3:::example-guardduty-findings/findings/*"]
    principals {
      type = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
    condition {
      test = "StringNotEquals"
      variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
      values = ["arn:aws:kms:us-east-2:382910475620:key/1f2e3d4c-5b6a-4798-81a2-b3c4d5e6f708"]
    }
  }
  statement {
    sid = "DenyNonHTTPSAccess"
    effect = "Deny"
    actions = ["s3:*"]
    resources = ["arn:aws:s3:::example-guardduty-findings", "arn:aws:s3:::example-guardduty-findings/*"]
    principals {
      type = "*"
      identifiers = ["*"]
    }
    condition {
      test = "Bool"
      variable = "aws:SecureTransport"
      values = ["false"]
    }
  }
  statement {
    sid = "DenyOutsideOrg"
    effect = "Deny"
    actions = ["s3:*"]
    resources = ["arn:aws:s3:::example-guardduty-findings", "arn:aws:s3:::example-guardduty-findings/*"]
    principals {
      type = "*"
      identifiers = ["*"]
    }
    condition {
      test = "StringNotEquals"
      variable = "aws:PrincipalOrgID"
      values = ["o-a1b2c3d4e5"]
    }
  }
}

resource "aws_s3_bucket_policy" "findings" {
  bucket = "example-guardduty-findings"
  policy = data.aws_iam_policy_document.bucket.json
}

data "aws_iam_policy_document" "key" {
  statement {
    sid = "EnableIAMUserPermissions"
    effect = "Allow"
    actions = ["kms:*"]
    resources = ["*"]
    principals {
      type = "AWS"
      identifiers = ["arn:aws:iam::382910475620:root"]
    }
  }
  statement {
    sid = "AllowGuardDutyKey"
    effect = "Allow"
    actions = ["kms:GenerateDataKey"]
    resources = ["*"]
    principals {
      type = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
    condition {
      test = "StringEquals"
      variable = "aws:SourceAccount"
      values = ["382910475620"]
    }
    condition {
      test = "StringEquals"
      variable = "aws:SourceArn"
      values = ["arn:aws:guardduty:us-east-2:382910475620:detector/5ab8e9c0d1f2a3b4c5d6e7f8a9b0c1d2"]
    }
  }
}

resource "aws_kms_key" "findings" {
  policy = data.aws_iam_policy_document.key.json
}
