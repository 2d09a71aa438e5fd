# Written for gd-export-lint's tests (from a real-world sweep: a reusable module whose fixes were
# given one deployment's values). The bucket's name comes from terraform.tfvars and the key's ARN
# account from a variable's default: the fixes write ${var.bucket_name} and ${var.account_id}, as
# the policy does, never their values. var.service is "guardduty" and the policy refers to it too:
# the fixes' guardduty.amazonaws.com and arn:aws:guardduty:... stay as they are (a value is
# only replaced where it is a whole string or whole fields of an ARN after its service).
variable "bucket_name" {
  type = string
}

variable "account_id" {
  type    = string
  default = "141421356237"
}

variable "service" {
  type    = string
  default = "guardduty"
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "AllowGetBucketLocation"
    actions   = ["s3:GetBucketLocation"]
    resources = ["arn:aws:s3:::${var.bucket_name}"]
    principals {
      type        = "Service"
      identifiers = ["${var.service}.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }
  statement {
    sid       = "AllowPutObject"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::${var.bucket_name}/*"]
    principals {
      type        = "Service"
      identifiers = ["${var.service}.amazonaws.com"]
    }
  }
  statement {
    sid       = "DenyUnencryptedObjectUploads"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::${var.bucket_name}/*"]
    principals {
      type        = "Service"
      identifiers = ["${var.service}.amazonaws.com"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "s3:x-amz-server-side-encryption"
      values   = ["aws:kms"]
    }
  }
}

resource "aws_s3_bucket_policy" "findings" {
  bucket = var.bucket_name
  policy = data.aws_iam_policy_document.bucket.json
}
