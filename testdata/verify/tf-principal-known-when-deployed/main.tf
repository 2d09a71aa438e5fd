# A key policy whose reader is a role these files create: its ARN (aws_iam_role.reader.arn) is
# known only once deployed. `verify` must not call "nobody" proved: the statement is not tried.
resource "aws_kms_key" "k" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Root", Effect = "Allow", Principal = { AWS = "arn:aws:iam::382917465021:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "GD", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }, Action = "kms:GenerateDataKey", Resource = "*",
        Condition = { StringEquals = { "aws:SourceAccount" = "382917465021" } } },
      { Sid = "ReaderDecrypt", Effect = "Allow", Principal = { AWS = aws_iam_role.reader.arn }, Action = "kms:Decrypt", Resource = "*" }
    ]
  })
}
