// Terraform modules read as Terraform reads them (src/containers/terraform_module.h): every
// policy form, the module's values, modules called with a local source, and what is unknown.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "analysis/pipeline.h"
#include "analysis/setup_plan.h"
#include "cli/cli.h"
#include "containers/container.h"
#include "containers/hcl_suggestion.h"
#include "export/settings.h"
#include "test_support.h"

namespace fs = std::filesystem;

namespace {

// A module written to a scratch directory, read as the pipeline reads it.
struct Module {
  fs::path dir;
  std::vector<std::unique_ptr<gdl::SourceFile>> sources;

  explicit Module(const std::map<std::string, std::string>& files) {
    static int counter = 0;
    dir = fs::temp_directory_path() / fmt::format("gdl-tf-{}-{}", ::getpid(), ++counter);
    fs::remove_all(dir);
    for (const auto& [name, text] : files) {
      const fs::path path = dir / name;
      fs::create_directories(path.parent_path());
      std::ofstream(path, std::ios::binary) << text;
      if (path.extension() == ".tf" && path.parent_path() == dir)
        sources.push_back(std::make_unique<gdl::SourceFile>(path.string(), text));
    }
  }
  ~Module() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  std::vector<const gdl::SourceFile*> files() const {
    std::vector<const gdl::SourceFile*> out;
    for (const auto& s : sources) out.push_back(s.get());
    return out;
  }
  gdl::containers::Extraction extract(gdl::containers::Hints hints = {}) const {
    hints.read_files = true;
    return gdl::containers::extract_module(files(), hints);
  }
  gdl::LintResult lint(gdl::exportcfg::ExportSettings settings = {},
                       gdl::LintOptions options = {}) const {
    return gdl::lint_setup(files(), std::move(settings), options);
  }
};

// The rule ids of the errors, "GD201 GD302".
std::string errors(const gdl::LintResult& r) {
  std::string out;
  for (const auto& d : r.diagnostics) {
    if (d.severity == gdl::Severity::error) out += (out.empty() ? "" : " ") + d.rule_id;
  }
  return out;
}

std::string text_at(const gdl::containers::EmbeddedDocument& doc, gdl::Span span) {
  const gdl::SourceFile* file = doc.source;
  while (file->embedding() != nullptr) file = file->embedding()->container;
  return std::string(file->text().substr(span.begin, span.size()));
}

// A correct export written in HCL (examples/terraform): the guide's statements as
// aws_iam_policy_document, the module's own bucket, key and detector, and a local that picks
// the global or the regional GuardDuty principal (var.regional).
std::map<std::string, std::string> example_module() {
  const fs::path dir = gdl::test::source_dir() / "examples" / "terraform";
  return {{"main.tf", gdl::test::read_file(dir / "main.tf")},
          {"locals.tf", gdl::test::read_file(dir / "locals.tf")}};
}

}  // namespace

TEST_CASE("Terraform: a module's policies are read and simulated across its files") {
  const Module m(example_module());
  const gdl::LintResult result = m.lint();
  CHECK(result.export_setup);
  CHECK(result.documents.size() == 2);  // key and bucket policy, both simulated
  CHECK(errors(result).empty());
  // The module's values are symbols, never shown as the stand-ins checked for them.
  for (const auto& d : result.diagnostics) {
    CHECK(d.message.find("409732615928") == std::string::npos);
  }
}

TEST_CASE("Terraform: an opt-in Region the module's principal does not serve is an error") {
  // The same module exported from an opt-in Region: the global principal is not the one
  // GuardDuty calls as there.
  const Module m(example_module());
  gdl::exportcfg::ExportSettings settings;
  settings.regions = {"af-south-1"};
  const std::string broken = errors(m.lint(settings));
  CHECK(broken.find("GD201") != std::string::npos);
  CHECK(broken.find("GD301") != std::string::npos);
  // With the regional principal (var.regional, given as --var), it works.
  gdl::LintOptions options;
  options.terraform_inputs = {gdl::containers::TerraformInput::var("regional", "true")};
  CHECK(errors(m.lint(settings, options)).empty());
}

TEST_CASE("Terraform: a broken grant in each policy form is found at its place") {
  struct Case {
    const char* name;
    std::map<std::string, std::string> files;
    const char* expected_error;
    const char* at_file;  // the file the error is reported in
  };
  const std::string destination = R"(
resource "aws_guardduty_publishing_destination" "s3" {
  detector_id     = "0123456789abcdef0123456789abcdef"
  destination_arn = "arn:aws:s3:::findings-bucket"
  kms_key_arn     = "arn:aws:kms:us-east-1:111122223333:key/1f2e3d4c-5b6a-4798-81a2-b3c4d5e6f708"
}
)";
  // Allows GetBucketLocation only: PutObject is missing.
  const std::string statement_json =
      R"({"Sid": "Loc", "Effect": "Allow", "Principal": {"Service": "guardduty.amazonaws.com"},)"
      R"( "Action": "s3:GetBucketLocation", "Resource": "arn:aws:s3:::findings-bucket"})";
  const std::vector<Case> cases = {
      {"jsonencode",
       {{"main.tf", destination + R"(
resource "aws_s3_bucket_policy" "p" {
  bucket = "findings-bucket"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid = "Loc", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }
      Action = "s3:GetBucketLocation", Resource = "arn:aws:s3:::${local.bucket}"
    }]
  })
}
locals { bucket = "findings-bucket" }
)"}},
       "GD302",
       "main.tf"},
      {"templatefile",
       {{"main.tf", destination + R"(
resource "aws_s3_bucket_policy" "p" {
  bucket = "findings-bucket"
  policy = templatefile("${path.module}/policy.json.tpl", { bucket = "findings-bucket" })
}
)"},
        {"policy.json.tpl",
         R"({"Version": "2012-10-17", "Statement": [{"Sid": "Loc", "Effect": "Allow", )"
         R"("Principal": {"Service": "guardduty.amazonaws.com"}, "Action": "s3:GetBucketLocation", )"
         R"("Resource": "arn:aws:s3:::${bucket}"}]})"}},
       "GD302",
       "policy.json.tpl"},
      {"file",
       {{"main.tf", destination + R"(
resource "aws_s3_bucket_policy" "p" {
  bucket = "findings-bucket"
  policy = file("${path.module}/policy.json")
}
)"},
        {"policy.json", R"({"Version": "2012-10-17", "Statement": [)" + statement_json + "]}"}},
       "GD302",
       "policy.json"},
      {"heredoc",
       {{"main.tf", destination + R"(
resource "aws_s3_bucket_policy" "p" {
  bucket = "findings-bucket"
  policy = <<-EOT
    {"Version": "2012-10-17", "Statement": [)" +
                        statement_json + R"(]}
  EOT
}
)"}},
       "GD302",
       "main.tf"},
      {"policy document with a source document",
       {{"main.tf", destination + R"(
resource "aws_s3_bucket_policy" "p" {
  bucket = "findings-bucket"
  policy = data.aws_iam_policy_document.merged.json
}
data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Loc"
    actions   = ["s3:GetBucketLocation"]
    resources = ["arn:aws:s3:::findings-bucket"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
}
data "aws_iam_policy_document" "merged" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  statement {
    sid       = "Put"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::other-bucket/*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
}
)"}},
       "GD302",
       "main.tf"},
      {"a local module with the policy's bucket as an argument",
       {{"main.tf", destination + R"(
module "bucket" {
  source = "./modules/bucket"
  name   = "findings-bucket"
}
)"},
        {"modules/bucket/main.tf", R"(
variable "name" { type = string }
resource "aws_s3_bucket_policy" "p" {
  bucket = var.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid = "Loc", Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" }
      Action = "s3:GetBucketLocation", Resource = "arn:aws:s3:::${var.name}"
    }]
  })
}
)"}},
       "GD302",
       "modules/bucket/main.tf"},
      {"a registry module's policy argument",
       {{"main.tf", destination + R"(
module "bucket" {
  source        = "terraform-aws-modules/s3-bucket/aws"
  bucket        = "findings-bucket"
  attach_policy = true
  policy        = data.aws_iam_policy_document.bucket.json
}
data "aws_iam_policy_document" "bucket" {
  statement {
    actions   = ["s3:GetBucketLocation"]
    resources = ["arn:aws:s3:::findings-bucket"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
}
)"}},
       "GD302",
       "main.tf"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const Module m(c.files);
    const gdl::LintResult result = m.lint();
    bool found = false;
    for (const auto& d : result.diagnostics) {
      if (d.rule_id == c.expected_error && d.severity == gdl::Severity::error) {
        found = true;
        CHECK(d.location.file == (m.dir / c.at_file).string());
      }
    }
    CHECK_MESSAGE(found, errors(result));
  }
}

TEST_CASE("Terraform: values known only when Terraform runs decide nothing") {
  const std::string destination = R"(
resource "aws_guardduty_publishing_destination" "s3" {
  detector_id     = "0123456789abcdef0123456789abcdef"
  destination_arn = "arn:aws:s3:::findings-bucket"
  kms_key_arn     = "arn:aws:kms:us-east-1:111122223333:key/1f2e3d4c-5b6a-4798-81a2-b3c4d5e6f708"
}
)";
  const std::map<std::string, std::string> unknown_forms = {
      {"a variable without default", R"(
variable "actions" {}
resource "aws_s3_bucket_policy" "p" {
  bucket = "findings-bucket"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "guardduty.amazonaws.com" }, Action = var.actions,
    Resource = "arn:aws:s3:::findings-bucket" }] })
}
)"},
      {"a dynamic statement", R"(
resource "aws_s3_bucket_policy" "p" {
  bucket = "findings-bucket"
  policy = data.aws_iam_policy_document.p.json
}
data "aws_iam_policy_document" "p" {
  dynamic "statement" {
    for_each = var.statements
    content { actions = statement.value }
  }
  statement {
    actions   = ["s3:GetBucketLocation"]
    resources = ["arn:aws:s3:::findings-bucket"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
}
)"},
      {"a dynamic statement over a known list holding an unknown value", R"(
variable "more" {}
resource "aws_s3_bucket_policy" "p" {
  bucket = "findings-bucket"
  policy = data.aws_iam_policy_document.p.json
}
data "aws_iam_policy_document" "p" {
  dynamic "statement" {
    for_each = ["s3:GetBucketLocation", var.more]
    content {
      actions   = [statement.value]
      resources = ["arn:aws:s3:::findings-bucket", "arn:aws:s3:::findings-bucket/*"]
      principals {
        type        = "Service"
        identifiers = ["guardduty.amazonaws.com"]
      }
    }
  }
}
)"},
      {"a module output", R"(
resource "aws_s3_bucket_policy" "p" {
  bucket = "findings-bucket"
  policy = <<-EOT
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Principal": {"Service": "guardduty.amazonaws.com"}, "Action": ${module.x.actions},
      "Resource": "arn:aws:s3:::findings-bucket/*"}]}
  EOT
}
)"},
      {"a template directive", R"(
resource "aws_s3_bucket_policy" "p" {
  bucket = "findings-bucket"
  policy = <<-EOT
    {"Version": "2012-10-17", "Statement": [
      %{ for s in var.statements }${s},%{ endfor }
      {"Effect": "Allow", "Principal": {"Service": "guardduty.amazonaws.com"},
       "Action": "s3:GetBucketLocation", "Resource": "arn:aws:s3:::findings-bucket"}]}
  EOT
}
)"},
  };
  for (const auto& form : unknown_forms) {
    CAPTURE(form.first);
    const Module m({{"main.tf", destination + form.second}});
    // Whether PutObject is allowed rests on the unknown value: no error says it is not.
    CHECK(errors(m.lint()).empty());
    CHECK(!m.lint().notes.empty());  // --verbose says what was not known
  }
}

TEST_CASE("Terraform: a local holding a value known only when applied is judged where used") {
  // trussworks/terraform-aws-logs: a principal ARN built in a local from a data source only
  // Terraform can read (testdata/realworld/tf-trussworks-logs-guardduty). The account it holds
  // is a fact only when applied: its 12 digits are not checked offline.
  const auto module = [](std::string_view account) {
    return fmt::format(R"(
data "aws_redshift_service_account" "main" {{}}
locals {{
  logs_principal = "arn:aws:iam::{}:user/logs"
}}
resource "aws_guardduty_publishing_destination" "s3" {{
  detector_id     = "0123456789abcdef0123456789abcdef"
  destination_arn = "arn:aws:s3:::findings-bucket"
  kms_key_arn     = "arn:aws:kms:us-east-1:111122223333:key/1f2e3d4c-5b6a-4798-81a2-b3c4d5e6f708"
}}
resource "aws_s3_bucket_policy" "p" {{
  bucket = "findings-bucket"
  policy = data.aws_iam_policy_document.p.json
}}
data "aws_iam_policy_document" "p" {{
  statement {{
    actions   = ["s3:GetBucketLocation", "s3:PutObject"]
    resources = ["arn:aws:s3:::findings-bucket", "arn:aws:s3:::findings-bucket/*"]
    principals {{
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }}
  }}
  statement {{
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::findings-bucket/redshift/*"]
    principals {{
      type        = "AWS"
      identifiers = [local.logs_principal]
    }}
  }}
}}
)",
                       account);
  };
  const Module unknown({{"main.tf", module("${data.aws_redshift_service_account.main.id}")}});
  CHECK(errors(unknown.lint()) == "");
  // Written out, the same value is a fact: a short account id is reported where it is written.
  const Module known({{"main.tf", module("12345678901")}});
  const gdl::LintResult result = known.lint();
  REQUIRE(errors(result) == "GD110");
  for (const gdl::Diagnostic& d : result.diagnostics) {
    if (d.rule_id == "GD110") CHECK(d.location.start.line == 4);
  }
}

TEST_CASE("Terraform: the module's own bucket and key are those its destination names") {
  // itgix/tf-module-aws-guardduty (testdata/realworld/tf-itgix-guardduty): the module creates the
  // bucket and key, and its publishing destination names them through variables given values.
  // A generated bucket name or key id is not a fact: it is the named one, not a different one.
  const auto module = [](std::string_view bucket_argument) {
    return fmt::format(R"(
variable "dest_arn" {{}}
variable "key_arn" {{}}
data "aws_caller_identity" "current" {{}}
resource "aws_s3_bucket" "b" {{
  {}
}}
resource "aws_kms_key" "k" {{
  policy = data.aws_iam_policy_document.k.json
}}
data "aws_iam_policy_document" "k" {{
  statement {{
    actions   = ["kms:*"]
    resources = ["*"]
    principals {{
      type        = "AWS"
      identifiers = ["arn:aws:iam::${{data.aws_caller_identity.current.account_id}}:root"]
    }}
  }}
  statement {{
    actions   = ["kms:GenerateDataKey"]
    resources = ["*"]
    principals {{
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }}
  }}
}}
resource "aws_s3_bucket_policy" "p" {{
  bucket = aws_s3_bucket.b.id
  policy = data.aws_iam_policy_document.p.json
}}
data "aws_iam_policy_document" "p" {{
  statement {{
    actions   = ["s3:GetBucketLocation", "s3:PutObject"]
    resources = [aws_s3_bucket.b.arn, "${{aws_s3_bucket.b.arn}}/*"]
    principals {{
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }}
  }}
  statement {{
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${{aws_s3_bucket.b.arn}}/*"]
    principals {{
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }}
    condition {{
      test     = "StringNotEquals"
      variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
      values   = [aws_kms_key.k.arn]
    }}
  }}
}}
resource "aws_guardduty_detector" "d" {{}}
resource "aws_guardduty_publishing_destination" "pd" {{
  detector_id     = aws_guardduty_detector.d.id
  destination_arn = var.dest_arn
  kms_key_arn     = var.key_arn
}}
)",
                       bucket_argument);
  };
  gdl::LintOptions options;
  options.terraform_inputs = {
      gdl::containers::TerraformInput::var("dest_arn", "arn:aws:s3:::findings-7c1d"),
      gdl::containers::TerraformInput::var(
          "key_arn",
          "arn:aws:kms:eu-west-1:314159265358:key/1f2e3d4c-5b6a-4798-81a2-b3c4d5e6f708")};
  gdl::exportcfg::ExportSettings settings;
  settings.regions = {"eu-west-1"};
  const Module generated({{"main.tf", module(R"(bucket_prefix = "findings-")")}});
  const gdl::LintResult works = generated.lint(settings, options);
  CHECK(errors(works) == "");
  // The key's account is the module's, so the module is deployed in the key's account: its root
  // administers the key (no lockout warning naming another account).
  for (const gdl::Diagnostic& d : works.diagnostics) CHECK(d.rule_id != "GD204");
  // A bucket named otherwise in the module is not the destination's: that is a fact.
  const Module named({{"main.tf", module(R"(bucket = "other-bucket")")}});
  CHECK(errors(named.lint(settings, options)) == "GD301 GD302");
}

TEST_CASE("Terraform: the Regions checked are those of the publishing destinations' providers") {
  // UKHomeOffice/acp-tf-GuardDuty-Masteraccount and others: one destination per Region, each
  // through a provider alias, all exporting to one bucket and key. An opt-in Region among them
  // needs its regional principal, whatever Regions the policies name.
  const auto module = [](std::string_view key_principals, std::string_view second_provider) {
    return fmt::format(R"(
provider "aws" {{
  alias  = "eu_west_1"
  region = "eu-west-1"
}}
provider "aws" {{
  alias  = "ap_east_1"
  region = "ap-east-1"
}}
resource "aws_kms_key" "k" {{
  provider = aws.eu_west_1
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{ Effect = "Allow", Principal = {{ AWS = "arn:aws:iam::314159265358:root" }},
        Action = "kms:*", Resource = "*" }},
      {{ Effect = "Allow", Principal = {{ Service = [{}] }},
        Action = "kms:GenerateDataKey", Resource = "*" }}
    ]
  }})
}}
resource "aws_s3_bucket" "b" {{
  provider = aws.eu_west_1
  bucket   = "org-findings"
}}
resource "aws_s3_bucket_policy" "p" {{
  provider = aws.eu_west_1
  bucket   = aws_s3_bucket.b.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{ Effect = "Allow", Principal = {{ Service = [{}] }},
      Action = ["s3:GetBucketLocation", "s3:PutObject"],
      Resource = [aws_s3_bucket.b.arn, "${{aws_s3_bucket.b.arn}}/*"] }}]
  }})
}}
resource "aws_guardduty_detector" "eu_west_1" {{
  provider = aws.eu_west_1
}}
resource "aws_guardduty_detector" "ap_east_1" {{
  provider = aws.ap_east_1
}}
resource "aws_guardduty_publishing_destination" "eu_west_1" {{
  provider        = aws.eu_west_1
  detector_id     = aws_guardduty_detector.eu_west_1.id
  destination_arn = aws_s3_bucket.b.arn
  kms_key_arn     = aws_kms_key.k.arn
}}
resource "aws_guardduty_publishing_destination" "ap_east_1" {{
  {}
  detector_id     = aws_guardduty_detector.ap_east_1.id
  destination_arn = aws_s3_bucket.b.arn
  kms_key_arn     = aws_kms_key.k.arn
}}
)",
                       key_principals, key_principals, second_provider);
  };
  const std::string global = R"("guardduty.amazonaws.com")";
  const std::string both = R"("guardduty.amazonaws.com", "guardduty.ap-east-1.amazonaws.com")";
  const Module missing({{"main.tf", module(global, "provider = aws.ap_east_1")}});
  const gdl::LintResult broken = missing.lint();
  CHECK(std::set<std::string>(broken.settings.regions.begin(), broken.settings.regions.end()) ==
        std::set<std::string>{"eu-west-1", "ap-east-1"});
  CHECK(errors(broken) == "GD201 GD301 GD302");
  for (const gdl::Diagnostic& d : broken.diagnostics) {
    if (d.severity == gdl::Severity::error) CHECK(d.message.find("ap-east-1") != std::string::npos);
  }
  const Module served({{"main.tf", module(both, "provider = aws.ap_east_1")}});
  CHECK(errors(served.lint()) == "");
  // A destination of the module's own Region (a stand-in) leaves the Regions to the policies.
  const Module open({{"main.tf", module(global, "")}});
  CHECK(open.lint().settings.regions != std::vector<std::string>{"eu-west-1", "ap-east-1"});
}

TEST_CASE("Terraform: the default provider's region is the module's, and a called module's") {
  // A lab's module (provider "aws" { region = var.aws_region }) deployed in an opt-in Region
  // grants only guardduty.amazonaws.com: its export fails there. The stand-in Region stood for
  // the Region even though the provider says it.
  const std::string policies = R"(
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
resource "aws_guardduty_detector" "this" {}
resource "aws_kms_key" "k" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" },
        Action = "kms:*", Resource = "*" },
      { Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" },
        Action = "kms:GenerateDataKey", Resource = "*",
        Condition = { StringEquals = {
          "aws:SourceArn" = "arn:aws:guardduty:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:detector/${aws_guardduty_detector.this.id}" } } }
    ]
  })
}
)";
  const auto region_errors = [](const Module& m) {
    const gdl::LintResult r = m.lint();
    std::string found = errors(r);
    for (const gdl::Diagnostic& d : r.diagnostics) {
      if (d.severity == gdl::Severity::error && d.message.find("me-south-1") == std::string::npos)
        found += " (not about me-south-1)";
    }
    return found;
  };
  const Module own({{"main.tf", R"(provider "aws" { region = var.aws_region }
)"
                                R"( variable "aws_region" { default = "me-south-1" })" +
                                    policies}});
  CHECK(region_errors(own) == "GD201");
  // Inherited by a module called without `providers`, or passed as the default in it.
  const auto caller = [](std::string_view providers) {
    return fmt::format(R"(provider "aws" {{ region = "eu-west-1" }}
provider "aws" {{
  alias  = "bahrain"
  region = "me-south-1"
}}
module "gd" {{
  source = "./gd"
  {}
}})",
                       providers);
  };
  const Module passed(
      {{"main.tf", caller("providers = { aws = aws.bahrain }")}, {"gd/main.tf", policies}});
  CHECK(region_errors(passed) == "GD201");
  const Module inherited({{"main.tf", caller("")}, {"gd/main.tf", policies}});
  CHECK(errors(inherited.lint()) == "");  // eu-west-1, the caller's default
  CHECK(inherited.lint().settings.regions == std::vector<std::string>{"eu-west-1"});
  // A region written in terms of itself is not known: the stand-in, no error and no hang.
  const Module cyclic(
      {{"main.tf", R"(provider "aws" { region = data.aws_region.current.name })" + policies}});
  CHECK(errors(cyclic.lint()) == "");
}

TEST_CASE("Terraform: positions of policy document elements and unknown interpolations") {
  const std::string tf = R"(data "aws_iam_policy_document" "p" {
  statement {
    actions = ["s3:PutObject"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
resource "aws_s3_bucket_policy" "p" {
  bucket = "b"
  policy = data.aws_iam_policy_document.p.json
}
resource "aws_s3_bucket_policy" "q" {
  bucket = "b2"
  policy = <<EOT
{"Statement": [{"Resource": "arn:aws:s3:::${var.missing}/*"}]}
EOT
}
)";
  const Module m(std::map<std::string, std::string>{{"main.tf", tf}});
  const gdl::containers::Extraction ex = m.extract();
  REQUIRE(ex.documents.size() == 2);
  const auto& doc = ex.documents[0];
  REQUIRE(doc.tree);
  const gdl::json::Member* statements = doc.tree->find("Statement");
  REQUIRE(statements != nullptr);
  REQUIRE(statements->value.items.size() == 1);
  const gdl::json::Value& st = statements->value.items[0];
  // Defaults the provider writes; element names at the arguments that give them.
  CHECK(doc.tree->find("Version")->value.text == "2012-10-17");
  CHECK(st.find("Effect")->value.text == "Allow");
  CHECK(text_at(doc, st.find("Action")->key_span) == "actions");
  CHECK(text_at(doc, st.find("Action")->value.span) == "[\"s3:PutObject\"]");
  // principals { type = "*" } is "Principal": "*".
  CHECK(st.find("Principal")->value.text == "*");
  // An unknown interpolation covers the whole ${...} in the file.
  const auto& heredoc = ex.documents[1];
  REQUIRE(heredoc.unknown_spans.size() == 1);
  CHECK(text_at(heredoc, heredoc.unknown_spans[0]) == "${var.missing}");
}

TEST_CASE("Terraform: variable precedence, count, cycles and KMS's default key policy") {
  const std::string tf = R"(
variable "bucket" { default = "from-default" }
locals {
  a = local.b
  b = local.a
}
resource "aws_s3_bucket_policy" "p" {
  count  = 1
  bucket = var.bucket
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject",
    Principal = "*", Resource = "arn:aws:s3:::${var.bucket}/*", Sid = local.a }] })
}
resource "aws_s3_bucket_policy" "gone" {
  count  = 0
  bucket = "never"
  policy = jsonencode({ Statement = [] })
}
resource "aws_kms_key" "no_policy" {}
)";
  using gdl::containers::TerraformInput;
  struct Case {
    std::map<std::string, std::string> extra;
    std::vector<TerraformInput> given;  // --var and --var-file (relative), in command-line order
    const char* bucket;
  };
  const std::vector<Case> cases = {
      {{}, {}, "from-default"},
      {{{"terraform.tfvars", "bucket = \"from-tfvars\"\n"}}, {}, "from-tfvars"},
      {{{"terraform.tfvars", "bucket = \"from-tfvars\"\n"},
        {"x.auto.tfvars", "bucket = \"auto\"\n"}},
       {},
       "auto"},
      {{{"x.auto.tfvars", "bucket = \"auto\"\n"}, {"given.tfvars", "bucket = \"given-file\"\n"}},
       {TerraformInput::file("given.tfvars")},
       "given-file"},
      // Terraform: -var and -var-file "in the order they are provided", the later one winning.
      {{{"given.tfvars", "bucket = \"given-file\"\n"}},
       {TerraformInput::file("given.tfvars"), TerraformInput::var("bucket", "given-var")},
       "given-var"},
      {{{"given.tfvars", "bucket = \"given-file\"\n"}},
       {TerraformInput::var("bucket", "given-var"), TerraformInput::file("given.tfvars")},
       "given-file"},
      {{{"a.tfvars", "bucket = \"file-a\"\n"}, {"b.tfvars", "bucket = \"file-b\"\n"}},
       {TerraformInput::file("b.tfvars"), TerraformInput::var("bucket", "given-var"),
        TerraformInput::file("a.tfvars")},
       "file-a"},
  };
  for (const Case& c : cases) {
    std::map<std::string, std::string> files = c.extra;
    files["main.tf"] = tf;
    const Module m(files);
    gdl::containers::Hints hints;
    for (TerraformInput input : c.given) {
      if (input.is_file) input.value = (m.dir / input.value).string();
      hints.terraform_inputs.push_back(std::move(input));
    }
    const gdl::containers::Extraction ex = m.extract(hints);
    CAPTURE(c.bucket);
    // The count = 0 resource does not exist; the key without policy has KMS's default one.
    REQUIRE(ex.documents.size() == 2);
    CHECK(ex.documents[0].belongs_to == c.bucket);
    CHECK(ex.documents[1].label.find("default key policy") != std::string::npos);
    // The cycle between locals is an unknown value, not a hang, and an error once at the
    // local: Terraform refuses the configuration.
    CHECK(ex.documents[0].unknown_spans.size() == 1);
    const auto cycles =
        std::count_if(ex.diagnostics.begin(), ex.diagnostics.end(), [](const gdl::Diagnostic& d) {
          return d.rule_id == "GD007" && d.severity == gdl::Severity::error &&
                 d.message.find("cycle") != std::string::npos && d.location.start.line == 4;
        });
    CHECK(cycles == 1);
  }
}

TEST_CASE("Terraform: a block read whole is its instances, each read as itself") {
  // A splat, element(), one(), a for expression or a local holding an instance: Terraform
  // reads the attribute of each instance, and so does the module. What names no instance, or is
  // the instance itself where a string is needed, stays unknown.
  const std::string blocks = R"(
variable "n" {}
resource "aws_s3_bucket" "counted" {
  count  = 2
  bucket = "counted-bucket"
}
resource "aws_s3_bucket" "keyed" {
  for_each = toset(["k"])
  bucket   = "keyed-bucket"
}
resource "aws_s3_bucket" "single" {
  bucket = "single-bucket"
}
resource "aws_s3_bucket" "unknown_count" {
  count  = var.n
  bucket = "never-known"
}
data "aws_s3_bucket" "looked_up" {
  count  = 1
  bucket = "data-bucket"
}
module "m" {
  count  = 1
  source = "./m"
}
locals {
  whole      = aws_s3_bucket.single
  all        = aws_s3_bucket.counted
  index_here = count.index
}
resource "aws_s3_bucket" "one_counted" {
  count  = 1
  bucket = "c-${count.index}"
}
resource "aws_s3_bucket" "two_counted" {
  count  = 2
  bucket = "c-${count.index}"
}
resource "aws_s3_bucket" "one_keyed" {
  for_each = { main = "m-bucket" }
  bucket   = each.value
}
resource "aws_s3_bucket" "one_in_set" {
  for_each = toset(["s-bucket"])
  bucket   = each.key
}
resource "aws_s3_bucket" "two_in_set" {
  for_each = toset(["s-bucket", "t-bucket"])
  bucket   = each.key
}
resource "aws_s3_bucket" "two_named_by_index" {
  count  = 2
  bucket = "n-${local.index_here}"
}
resource "aws_s3_bucket" "counted_by_half" {
  count  = 1.5
  bucket = "c-${count.index}"
}
resource "aws_s3_bucket" "counts_itself" {
  count  = count.index + 1
  bucket = "never-known"
}
)";
  struct Case {
    std::string bucket;    // the bucket policy's `bucket` argument
    std::string expected;  // the bucket it belongs to; "" when unknown
                           // <stand-in>: the bucket's name is not known, its stand-in is used
  };
  const std::vector<Case> cases = {
      {"aws_s3_bucket.counted[1].id", "counted-bucket"},
      {"element(aws_s3_bucket.counted.*.id, 1)", "counted-bucket"},
      {"aws_s3_bucket.counted.*.bucket[0]", "counted-bucket"},
      {"(aws_s3_bucket.counted[*].bucket)[1]", "counted-bucket"},
      {"[for b in aws_s3_bucket.counted : b.id][1]", "counted-bucket"},
      {"local.all[0].bucket", "counted-bucket"},
      {"one(aws_s3_bucket.single[*].id)", "single-bucket"},
      {"local.whole.bucket", "single-bucket"},
      {"values(aws_s3_bucket.keyed)[0].bucket", "keyed-bucket"},
      {"aws_s3_bucket.keyed[\"k\"].bucket", "keyed-bucket"},
      {"[for k, b in aws_s3_bucket.keyed : b.id if k == \"k\"][0]", "keyed-bucket"},
      {"(data.aws_s3_bucket.looked_up[*].bucket)[0]", "data-bucket"},
      {"(module.m[*].name)[0]", "module-bucket"},
      {"one([for m in module.m : m.name])", "module-bucket"},
      // count.index and each are the instance's read, or the only one's.
      {"aws_s3_bucket.one_counted[0].id", "c-0"},
      {"aws_s3_bucket.one_keyed[\"main\"].id", "m-bucket"},
      {"one(values(aws_s3_bucket.one_in_set)).bucket", "s-bucket"},
      {"aws_s3_bucket.two_counted[1].id", "c-1"},
      {"element(aws_s3_bucket.two_counted[*].bucket, 0)", "c-0"},
      {"aws_s3_bucket.two_in_set[\"t-bucket\"].id", "t-bucket"},
      {"[for k, b in aws_s3_bucket.two_in_set : b.id if k == \"s-bucket\"][0]", "s-bucket"},
      // count.index outside the block (a local) is no instance's: the name is a stand-in.
      {"aws_s3_bucket.two_named_by_index[1].id", "<stand-in>"},
      {"aws_s3_bucket.counts_itself[0].id", ""},
      {"aws_s3_bucket.counted_by_half[0].id", ""},
      {"aws_s3_bucket.counted[2].id", ""},
      {"aws_s3_bucket.keyed[\"other\"].bucket", ""},
      {"aws_s3_bucket.unknown_count[0].id", ""},
      {"one(aws_s3_bucket.unknown_count[*].id)", ""},
      {"\"${aws_s3_bucket.single}\"", ""},
      {"jsonencode(aws_s3_bucket.single)", ""},
      {"(aws_s3_bucket.keyed[*].bucket)[0]", ""},
      {"(aws_s3_bucket.counted[*].bucket[0])[0]", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.bucket);
    const Module m({{"main.tf", blocks + fmt::format(R"(
resource "aws_s3_bucket_policy" "p" {{
  bucket = {}
  policy = jsonencode({{ Statement = [{{ Effect = "Allow", Action = "s3:GetObject",
    Principal = "*", Resource = "arn:aws:s3:::x/*" }}] }})
}}
)",
                                                     c.bucket)},
                    {"m/main.tf", "output \"name\" { value = \"module-bucket\" }\n"}});
    const gdl::containers::Extraction ex = m.extract();
    REQUIRE(ex.documents.size() == 1);
    if (c.expected == "<stand-in>")
      CHECK(ex.documents[0].belongs_to.starts_with("awss3bucket"));
    else
      CHECK(ex.documents[0].belongs_to == c.expected);
  }
}

TEST_CASE("Terraform: a publishing destination without a required argument is an error") {
  // The provider requires detector_id, destination_arn and kms_key_arn: without one Terraform
  // rejects the resource. Each missing one is named at the resource; the rest is checked.
  for (const std::string_view missing : {"detector_id", "destination_arn", "kms_key_arn"}) {
    std::string tf = "resource \"aws_guardduty_publishing_destination\" \"pd\" {\n";
    if (missing != "detector_id")
      tf += "  detector_id     = \"a1b2c3d4e5f60718293a4b5c6d7e8f90\"\n";
    if (missing != "destination_arn") tf += "  destination_arn = \"arn:aws:s3:::findings\"\n";
    if (missing != "kms_key_arn")
      tf += "  kms_key_arn     = \"arn:aws:kms:us-east-1:141421356237:key/k\"\n";
    tf += "}\n";
    const Module m(std::map<std::string, std::string>{{"main.tf", tf}});
    const gdl::LintResult result = m.lint();
    CAPTURE(missing);
    REQUIRE(errors(result) == "GD007");
    const auto& d = result.diagnostics.front();
    CHECK(d.message.find(fmt::format("has no {}", missing)) != std::string::npos);
    CHECK(d.location.start.line == 1);
    CHECK(d.location.start.column == 49);
  }
  // A literal null is no value ("Use default encryption": there is none for an export); a null
  // from elsewhere (a variable's default) is the caller's to give, so only the literal counts.
  for (const std::string_view null : {"destination_arn", "kms_key_arn"}) {
    std::string tf =
        "resource \"aws_guardduty_publishing_destination\" \"pd\" {\n"
        "  detector_id     = \"a1b2c3d4e5f60718293a4b5c6d7e8f90\"\n";
    tf += null == "destination_arn" ? "  destination_arn = null\n"
                                    : "  destination_arn = \"arn:aws:s3:::findings\"\n";
    tf += null == "kms_key_arn"
              ? "  kms_key_arn     = null # default encryption\n"
              : "  kms_key_arn     = \"arn:aws:kms:us-east-1:141421356237:key/k\"\n";
    tf += "}\n";
    const Module m(std::map<std::string, std::string>{{"main.tf", tf}});
    const gdl::LintResult result = m.lint();
    CAPTURE(null);
    REQUIRE(errors(result) == "GD007");
    const auto& d = result.diagnostics.front();
    CHECK(d.message.find(fmt::format("sets {} to null", null)) != std::string::npos);
    CHECK(d.location.start.line == (null == "destination_arn" ? 3 : 4));
    CHECK(d.location.start.column == 21);
    // One account of it: no note that the same value is "known only when Terraform runs".
    CHECK(std::none_of(result.notes.begin(), result.notes.end(), [](const std::string& n) {
      return n.find("known only when Terraform runs") != std::string::npos;
    }));
  }
  const Module complete(std::map<std::string, std::string>{
      {"main.tf",
       "resource \"aws_guardduty_publishing_destination\" \"pd\" {\n"
       "  detector_id     = \"a1b2c3d4e5f60718293a4b5c6d7e8f90\"\n"
       "  destination_arn = \"arn:aws:s3:::findings\"\n"
       "  kms_key_arn     = \"arn:aws:kms:us-east-1:141421356237:key/k\"\n"
       "}\n"}});
  CHECK(errors(complete.lint()).empty());
}

TEST_CASE("Terraform scan: a module called with a local source is read through its call") {
  // The root only calls ./m, passing the bucket's name; ./m writes the policy. Scanned, the
  // root is read (it writes no policy itself) and ./m with the call's value, once: not a
  // second time on its own with the name unknown.
  const std::string policy_module = R"(variable "name" { type = string }
resource "aws_s3_bucket_policy" "main" {
  bucket = var.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" },
        Action = "s3:PutObject", Resource = "arn:aws:s3:::${var.name}/*" },
    ]
  })
}
)";
  const Module m(std::map<std::string, std::string>{
      {"main.tf", "module \"b\" {\n  source = \"./m\"\n  name   = \"acme-gd\"\n}\n"},
      {"m/main.tf", policy_module}});
  std::vector<std::string> args = {"gd-export-lint", "check", "--format", "json", m.dir.string()};
  std::ostringstream out, err;
  std::istringstream in;
  CHECK(gdl::cli::run_cli(args, in, out, err) == 1);
  const std::string json = out.str();
  // GuardDuty cannot read the bucket's location: one error, about the bucket the call names.
  CHECK(json.find("GD301") != std::string::npos);
  CHECK(json.find("acme-gd") != std::string::npos);
  CHECK(json.find("${var.name}") == std::string::npos);
  CHECK(json.find("\"files\": 2") != std::string::npos);
  std::size_t errors_seen = 0;
  for (std::size_t at = json.find("\"GD301\""); at != std::string::npos;
       at = json.find("\"GD301\"", at + 1))
    ++errors_seen;
  CHECK(errors_seen == 1);
}

TEST_CASE("Scan plan: modules called by another scanned module are folded into the caller") {
  using gdl::analysis::WorkItem;
  auto item = [](std::string dir, std::vector<std::string> paths,
                 std::vector<std::string> named = {}) {
    WorkItem w;
    w.label = std::move(dir);
    for (const std::string& path : paths) w.paths.push_back(path);
    w.directory = true;
    w.named = std::move(named);
    return w;
  };
  const std::map<std::string, std::vector<std::string>> calls = {
      {"root/main.tf", {"root/modules/s3", "root/modules/kms"}},
      {"root/modules/s3/main.tf", {"shared"}},
      {"loop-a/main.tf", {"loop-b"}},
      {"loop-b/main.tf", {"loop-a"}},
      {"json-root/cdk.tf.json", {"json-mod"}},
  };
  auto read_module_file = [&](const std::string& path) {
    const auto it = calls.find(path);
    // A template saved under a module file's name is no file of its module.
    if (path.ends_with("stack.tf.json")) return gdl::analysis::TerraformFile{false, {}};
    return gdl::analysis::TerraformFile{
        true, it != calls.end() ? it->second : std::vector<std::string>{}};
  };
  std::vector<WorkItem> items = {
      item("root", {"root/main.tf"}),
      item("root/modules/s3", {"root/modules/s3/main.tf", "root/modules/s3/extra.json"}),
      item("root/modules/kms", {"root/modules/kms/main.tf"}, {"root/modules/kms/main.tf"}),
      item("shared", {"shared/main.tf"}),
      item("loop-a", {"loop-a/main.tf"}),
      item("loop-b", {"loop-b/main.tf"}),
      item("alone", {"alone/main.tf"}),
      // Terraform's JSON syntax: a caller, and a module of both syntaxes (one module).
      item("json-root", {"json-root/cdk.tf.json"}),
      item("json-mod", {"json-mod/main.tf", "json-mod/stack.tf.json", "json-mod/vars.tf.json",
                        "json-mod/policy.json"}),
  };
  gdl::analysis::fold_called_modules(items, read_module_file);
  std::vector<std::string> left;
  for (const WorkItem& w : items) {
    for (const std::string_view p : w.paths) left.emplace_back(p);
  }
  // The called modules' .tf files go (reached through root, also two calls deep), a named one
  // too (its caller is in the run: it is read through the call, as a scan reads it); a policy
  // file beside them stays; a cycle nobody else calls stays. A module's .tf.json files are its
  // files like its .tf files; a template saved under that name is not, and stays.
  CHECK(left == std::vector<std::string>{"root/main.tf", "root/modules/s3/extra.json",
                                         "loop-a/main.tf", "loop-b/main.tf", "alone/main.tf",
                                         "json-root/cdk.tf.json", "json-mod/stack.tf.json",
                                         "json-mod/policy.json"});
}

TEST_CASE(
    "HCL suggestions: a statement appended to jsonencode() is written as terraform fmt writes it") {
  using gdl::containers::members_as_hcl_object;
  using gdl::containers::statement_as_hcl_object;
  // Checked with terraform fmt -check (v1.11) in a jsonencode() Statement list at this indentation.
  const auto statement = statement_as_hcl_object(
      ",\n    {\"Sid\": \"DenyNonHTTPSAccess\", \"Effect\": \"Deny\", \"Principal\": \"*\", "
      "\"Action\": \"s3:*\", \"Resource\": [\"arn:aws:s3:::b\", \"arn:aws:s3:::b/*\"], "
      "\"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"false\"}}}",
      "      ");
  REQUIRE(statement);
  CHECK(*statement ==
        ",\n"
        "      {\n"
        "        Sid       = \"DenyNonHTTPSAccess\"\n"
        "        Effect    = \"Deny\"\n"
        "        Principal = \"*\"\n"
        "        Action    = \"s3:*\"\n"
        "        Resource  = [\"arn:aws:s3:::b\", \"arn:aws:s3:::b/*\"]\n"
        "        Condition = {\n"
        "          Bool = { \"aws:SecureTransport\" = \"false\" }\n"
        "        }\n"
        "      }");
  // A run of one-line items ends at an item that spans lines; each run is aligned by itself.
  const auto condition = members_as_hcl_object(
      ",\n      \"Condition\": {\"StringEquals\": {\"aws:SourceAccount\": \"1\", "
      "\"aws:SourceArn\": \"arn:aws:guardduty:us-east-1:1:detector/d\"}}",
      "    ");
  REQUIRE(condition);
  CHECK(*condition ==
        ",\n"
        "    Condition = {\n"
        "      StringEquals = {\n"
        "        \"aws:SourceAccount\" = \"1\"\n"
        "        \"aws:SourceArn\"     = \"arn:aws:guardduty:us-east-1:1:detector/d\"\n"
        "      }\n"
        "    }");
  // A one-line member would join the alignment of the items before it: left as the fix wrote it.
  CHECK_FALSE(
      members_as_hcl_object(", \"Principal\": {\"Service\": \"guardduty.amazonaws.com\"}", "    "));
  CHECK_FALSE(statement_as_hcl_object(", \"arn:aws:s3:::b\"", "    "));  // not a statement
}

TEST_CASE("HCL suggestions: a fix's JSON written as the data source's blocks") {
  using gdl::containers::policy_fragment_as_blocks;
  const auto statement = policy_fragment_as_blocks(
      ",\n    {\"Sid\": \"Deny\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"s3:*\","
      " \"Resource\": [\"arn:aws:s3:::b\", \"arn:aws:s3:::b/*\"], \"Condition\": {\"Bool\": "
      "{\"aws:SecureTransport\": \"false\"}}}",
      "  ");
  REQUIRE(statement);
  // As `terraform fmt` writes it: the `=` of a run of one-line attributes aligned, a nested block
  // ending the run (sid and effect apart from actions and resources).
  CHECK(*statement ==
        "statement {\n"
        "    sid    = \"Deny\"\n"
        "    effect = \"Deny\"\n"
        "    principals {\n"
        "      type        = \"*\"\n"
        "      identifiers = [\"*\"]\n"
        "    }\n"
        "    actions   = [\"s3:*\"]\n"
        "    resources = [\"arn:aws:s3:::b\", \"arn:aws:s3:::b/*\"]\n"
        "    condition {\n"
        "      test     = \"Bool\"\n"
        "      variable = \"aws:SecureTransport\"\n"
        "      values   = [\"false\"]\n"
        "    }\n"
        "  }");
  const auto condition = policy_fragment_as_blocks(
      ",\n      \"Condition\": {\"StringEquals\": {\"aws:SourceAccount\": \"1\", "
      "\"aws:SourceArn\": [\"a\", \"${var.arn}\"]}}",
      "");
  REQUIRE(condition);
  CHECK(*condition ==
        "condition {\n  test     = \"StringEquals\"\n  variable = \"aws:SourceAccount\"\n"
        "  values   = [\"1\"]\n}\ncondition {\n  test     = \"StringEquals\"\n"
        "  variable = \"aws:SourceArn\"\n  values   = [\"a\", \"${var.arn}\"]\n}");
  CHECK(policy_fragment_as_blocks("{\"Service\": [\"a\", \"b\"], \"AWS\": \"r\"}", "") ==
        "principals {\n  type        = \"Service\"\n  identifiers = [\"a\", \"b\"]\n}\n"
        "principals {\n  type        = \"AWS\"\n  identifiers = [\"r\"]\n}");
  CHECK(policy_fragment_as_blocks("[\"x\", \"y\\\"z\"]", "") == "[\"x\", \"y\\\"z\"]");
  // What has no block form is not guessed at.
  CHECK_FALSE(policy_fragment_as_blocks("{\"Effect\": \"Allow\", \"Odd\": 1}", ""));
  CHECK_FALSE(policy_fragment_as_blocks("not json", ""));

  using gdl::containers::is_literal_hcl;
  for (const char* literal :
       {"\"*\"", "[\"a\", 1, true, null]", "{ Service = \"x\" }", "{ \"Service\": [\"x\"] }"})
    CHECK_MESSAGE(is_literal_hcl(literal), literal);
  for (const char* computed : {"var.principals", "{ Service = var.p }", "[\"a\", local.b]",
                               "\"arn:${var.x}\"", "concat([\"a\"], [\"b\"])", "[\"a\""})
    CHECK_MESSAGE(!is_literal_hcl(computed), computed);
}

TEST_CASE("Terraform fixes: a list stays a list, blocks are suggested, jsonencode edits apply") {
  const Module blocks(
      std::map<std::string, std::string>{{"main.tf", R"(data "aws_iam_policy_document" "key" {
  statement {
    sid       = "AllowGuardDutyKey"
    actions   = ["kms:GenerateDataKey"]
    resources = ["arn:aws:kms:us-east-1:141421356237:alias/gd"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
  statement {
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::141421356237:root"]
    }
  }
}
resource "aws_kms_key" "gd" {
  policy = data.aws_iam_policy_document.key.json
}
)"}});
  gdl::exportcfg::ExportSettings settings;
  settings.account.value = "141421356237";
  settings.account.origin.kind = gdl::exportcfg::Origin::Kind::flag;
  settings.account.origin.detail = "--account";
  settings.regions = {"us-east-1"};
  bool list_edit = false;
  for (const auto& d : blocks.lint(settings).diagnostics) {
    if (d.rule_id == "GD201" && d.fix && d.fix->edits.size() == 1)
      list_edit = d.fix->edits.front().replacement == "[\"*\"]";
  }
  CHECK(list_edit);
  // With the key's Resource right, the missing source conditions are an edit of blocks after
  // the statement's last element, and JSON text is never edited into the blocks.
  std::map<std::string, std::string> fixed = {
      {"main.tf", gdl::test::read_file(blocks.dir / "main.tf")}};
  const std::string alias = "\"arn:aws:kms:us-east-1:141421356237:alias/gd\"";
  fixed["main.tf"].replace(fixed["main.tf"].find(alias), alias.size(), "\"*\"");
  const Module repaired(fixed);
  bool block_edit = false;
  for (const auto& d : repaired.lint(settings).diagnostics) {
    if (d.rule_id == "GD202" && d.fix && d.fix->edits.size() == 1) {
      const auto& e = d.fix->edits.front();
      block_edit = e.location.start.line == 9 && e.replacement.starts_with("\n    condition {");
    }
    if (d.fix) {
      for (const auto& e : d.fix->edits)
        CHECK(e.replacement.find("\"Condition\"") == std::string::npos);
    }
  }
  CHECK(block_edit);

  // In jsonencode a literal is replaced, a variable is not: its value is the caller's to change.
  const Module encoded(std::map<std::string, std::string>{{"main.tf", R"(variable "p" {
  default = ["guardduty.amazonaws.com"]
}
resource "aws_kms_key" "gd" {
  policy = jsonencode({
    Statement = [
      { Effect = "Allow", Principal = { AWS = "arn:aws:iam::141421356237:root" },
        Action = "kms:*", Resource = "*" },
      { Effect = "Allow", Principal = { Service = var.p },
        Action = "kms:GenerateDataKey", Resource = "*" },
    ]
  })
}
)"}});
  gdl::exportcfg::ExportSettings opt_in = settings;
  opt_in.regions = {"ap-east-1"};
  const gdl::LintResult broken = encoded.lint(opt_in);
  REQUIRE(errors(broken) == "GD201");
  for (const auto& d : broken.diagnostics) {
    if (d.rule_id != "GD201") continue;
    CHECK((!d.fix || d.fix->edits.empty()));
    CHECK(std::any_of(d.notes.begin(), d.notes.end(), [](const std::string& n) {
      return n.find("guardduty.ap-east-1.amazonaws.com") != std::string::npos;
    }));
  }
}

TEST_CASE("Terraform: a module's own key is where its key policy's Resource says") {
  // The key policy names its key as arn:aws:kms:REGION:ACCOUNT:key/* from variables; the key
  // is the module's own (aws_kms_key), created in an account and Region the files do not
  // give. Checked as that account and Region, not as stand-ins that never match.
  const std::string tf = R"(variable "region" { default = "ca-central-1" }
variable "siem_account" { default = "173205080756" }
data "aws_caller_identity" "current" {}
data "aws_iam_policy_document" "key" {
  statement {
    actions   = ["kms:GenerateDataKey"]
    resources = ["arn:aws:kms:${var.region}:${var.siem_account}:key/*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
  statement {
    actions   = ["kms:*"]
    resources = ["arn:aws:kms:${var.region}:${var.siem_account}:key/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}
resource "aws_kms_key" "gd" {
  policy = data.aws_iam_policy_document.key.json
}
resource "aws_guardduty_publishing_destination" "pd" {
  detector_id     = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
  destination_arn = "arn:aws:s3:::findings"
  kms_key_arn     = aws_kms_key.gd.arn
}
)";
  const Module m(std::map<std::string, std::string>{{"main.tf", tf}});
  const gdl::LintResult result = m.lint();
  CHECK(errors(result).find("GD201") == std::string::npos);
  // Not a lockout either: the admin statement names the module's account.
  for (const auto& d : result.diagnostics) CHECK(d.rule_id != "GD204");
  CHECK(std::any_of(result.notes.begin(), result.notes.end(), [](const std::string& n) {
    return n.find("checked with the account as 173205080756 and the Region as ca-central-1") !=
           std::string::npos;
  }));
  // Two keys' homes named: nothing is bound, and the failure stays a failure.
  std::string two = tf;
  two.replace(two.rfind("${var.region}"), 13, "eu-west-1");
  const Module conflicting(std::map<std::string, std::string>{{"main.tf", two}});
  const gdl::LintResult other = conflicting.lint();
  CHECK(std::none_of(other.notes.begin(), other.notes.end(), [](const std::string& n) {
    return n.find("the module's account") != std::string::npos;
  }));
}

TEST_CASE("Terraform: a policy set to the data source instead of its .json is an error") {
  // Terraform rejects the object where a string is required, however it comes (directly,
  // through a local, a list, one() of a splat); the document is still checked as the .json
  // meant, so its own break (no s3:GetBucketLocation) is found too.
  struct Row {
    const char* count;   // the data source's count argument, if any
    const char* policy;  // the bucket policy's policy argument
    const char* suggested;
  };
  const Row rows[] = {
      {"", "data.aws_iam_policy_document.b", "data.aws_iam_policy_document.b.json"},
      {"", "local.document", "data.aws_iam_policy_document.b.json"},
      {"", "[data.aws_iam_policy_document.b][0]", "data.aws_iam_policy_document.b.json"},
      {"count = 1", "data.aws_iam_policy_document.b[0]", "data.aws_iam_policy_document.b[0].json"},
      {"count = 1", "one(data.aws_iam_policy_document.b[*])",
       "data.aws_iam_policy_document.b[0].json"},
      {"for_each = toset([\"k\"])", "data.aws_iam_policy_document.b[\"k\"]",
       "data.aws_iam_policy_document.b[\"k\"].json"},
      // A key that is all digits is still a key: the instance knows how it was made.
      {"for_each = toset([\"0\"])", "data.aws_iam_policy_document.b[\"0\"]",
       "data.aws_iam_policy_document.b[\"0\"].json"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.policy);
    const Module m(std::map<std::string, std::string>{
        {"main.tf", fmt::format(R"(data "aws_iam_policy_document" "b" {{
  {}
  statement {{
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::acme-gd/*"]
    principals {{
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }}
  }}
}}
resource "aws_s3_bucket_policy" "b" {{
  bucket = "acme-gd"
  policy = {}
}}
locals {{
  document = data.aws_iam_policy_document.b
}}
)",
                                row.count, row.policy)}});
    const gdl::LintResult result = m.lint();
    CHECK(errors(result) == "GD301 GD007");
    for (const auto& d : result.diagnostics) {
      if (d.rule_id != "GD007") continue;
      CHECK(d.location.start.line == 14);
      CHECK(d.location.start.column == 12);
      CHECK(d.message.find(fmt::format("write {}", row.suggested)) != std::string::npos);
    }
  }
}

TEST_CASE("Terraform: module outputs and modules installed by terraform init are read") {
  // The root passes one module's output (the bucket's ARN) to a registry module that
  // `terraform init` installed under .terraform/modules; its publishing destination names the
  // bucket the first module writes the policy for, which lacks s3:GetBucketLocation.
  const Module m(std::map<std::string, std::string>{
      {"main.tf", R"(module "logs" {
  source = "./logs"
  name   = "acme-gd"
}
module "gd" {
  source     = "acme/guardduty/aws"
  bucket_arn = module.logs.arn
}
)"},
      {"logs/main.tf", R"(variable "name" { type = string }
resource "aws_s3_bucket" "b" { bucket = var.name }
resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({ Statement = [{ Effect = "Allow",
    Principal = { Service = "guardduty.amazonaws.com" }, Action = "s3:PutObject",
    Resource = "${aws_s3_bucket.b.arn}/*" }] })
}
output "arn" { value = aws_s3_bucket.b.arn }
)"},
      {".terraform/modules/modules.json",
       R"({"Modules": [{"Key": "", "Source": "", "Dir": "."},
 {"Key": "logs", "Source": "./logs", "Dir": "logs"},
 {"Key": "gd", "Source": "registry.terraform.io/acme/guardduty/aws", "Dir": ".terraform/modules/gd"}]})"},
      {".terraform/modules/gd/main.tf", R"(variable "bucket_arn" { type = string }
resource "aws_guardduty_detector" "d" { enable = true }
resource "aws_guardduty_publishing_destination" "pd" {
  detector_id     = aws_guardduty_detector.d.id
  destination_arn = "${var.bucket_arn}/findings"
  kms_key_arn     = "arn:aws:kms:us-east-1:141421356237:key/7c2e9a41-3b5d-4f60-8a17-d4c9e2b0f583"
}
)"}});
  const gdl::LintResult result = m.lint();
  REQUIRE(result.settings.bucket.known());
  CHECK(result.settings.bucket.get() == "acme-gd");
  CHECK(result.settings.prefix.known());
  CHECK(result.settings.prefix.get() == "findings");
  // The upload under findings/ is allowed; s3:GetBucketLocation is not.
  CHECK(errors(result) == "GD301");
  // Without the installed module, the registry call is only a note.
  const Module uninstalled(std::map<std::string, std::string>{
      {"main.tf", "module \"gd\" {\n  source = \"acme/guardduty/aws\"\n}\n"}});
  const gdl::containers::Extraction ex = uninstalled.extract();
  CHECK(std::any_of(ex.notes.begin(), ex.notes.end(), [](const std::string& n) {
    return n.find("run terraform init") != std::string::npos;
  }));
}

TEST_CASE("Terraform: an unknown value decides only what it could change") {
  // A grant to the organization's accounts (a list known only when Terraform runs) cannot be
  // GuardDuty's: its values are account ARNs. An unknown service list or AWS list could be
  // (it may hold "*"), for the actions the statement lists only: an unknown value in a
  // statement for other actions cannot cover GuardDuty's requests, even when the finding
  // points at that statement as the closest (its Resource unknown).
  struct Row {
    const char* principals;
    const char* actions;
    const char* expected;
    const char* resources = R"(["arn:aws:s3:::acme-gd/*"])";
  };
  const char* guardduty = R"(type = "Service"
      identifiers = ["guardduty.amazonaws.com"])";
  const Row rows[] = {
      {R"(type = "AWS"
      identifiers = formatlist("arn:aws:iam::%s:root", data.aws_organizations_organization.o.accounts[*].id))",
       R"(["s3:PutObject"])", "GD301 GD302"},
      {R"(type = "Service"
      identifiers = var.services)",
       R"(["s3:PutObject"])", "GD301"},
      {R"(type = "AWS"
      identifiers = var.readers)",
       R"(["s3:*"])", ""},
      {R"(type = "AWS"
      identifiers = var.readers)",
       R"(["s3:GetObject"])", "GD301 GD302"},
      {guardduty, R"(["s3:PutObject"])", "GD301", R"(["${var.bucket_arn}/*"])"},
      {guardduty, R"(["s3:PutObject", "s3:GetBucketLocation"])", "", R"(["${var.bucket_arn}/*"])"},
      {guardduty, R"(["s3:*"])", "", R"([var.bucket_arn])"},
      {guardduty, "var.actions", "", R"(["arn:aws:s3:::acme-gd/*"])"},
  };
  for (const Row& row : rows) {
    const std::string tf = fmt::format(R"(variable "services" {{ type = list(string) }}
variable "readers" {{ type = list(string) }}
variable "bucket_arn" {{ type = string }}
variable "actions" {{ type = list(string) }}
data "aws_organizations_organization" "o" {{}}
data "aws_iam_policy_document" "b" {{
  statement {{
    actions   = {}
    resources = {}
    principals {{
      {}
    }}
  }}
}}
resource "aws_s3_bucket_policy" "b" {{
  bucket = "acme-gd"
  policy = data.aws_iam_policy_document.b.json
}}
)",
                                       row.actions, row.resources, row.principals);
    const Module m(std::map<std::string, std::string>{{"main.tf", tf}});
    gdl::exportcfg::ExportSettings settings;
    settings.bucket.value = "acme-gd";
    settings.bucket.origin.kind = gdl::exportcfg::Origin::Kind::flag;
    CAPTURE(std::string(row.principals));
    CAPTURE(std::string(row.actions));
    CAPTURE(std::string(row.resources));
    CHECK(errors(m.lint(settings)) == row.expected);
  }
}

TEST_CASE(
    "a key created through provider = aws.ALIAS lives in that provider's Region, or an unknown "
    "one") {
  // The shape of a real organization setup: one key and bucket in us-east-2 (through an aliased
  // provider) receiving the exports of several Regions; the first exported Region is us-east-1.
  const std::string body = R"(
resource "aws_kms_key" "gd" {
  provider = aws.us_east_2
  policy   = data.aws_iam_policy_document.key.json
}
data "aws_iam_policy_document" "key" {
  statement {
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::141421356237:root"]
    }
  }
  statement {
    actions   = ["kms:GenerateDataKey"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
}
resource "aws_guardduty_publishing_destination" "gd" {
  provider        = aws.us_east_1
  detector_id     = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
  destination_arn = "arn:aws:s3:::gd-findings-141421356237"
  kms_key_arn     = aws_kms_key.gd.arn
}
resource "aws_s3_bucket_policy" "gd" {
  provider = aws.us_east_2
  bucket   = "gd-findings-141421356237"
  policy   = data.aws_iam_policy_document.bucket.json
}
data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "AllowPutObject"
    actions   = ["s3:PutObject", "s3:GetBucketLocation"]
    resources = ["arn:aws:s3:::gd-findings-141421356237", "arn:aws:s3:::gd-findings-141421356237/*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
  statement {
    sid       = "DenyIncorrectEncryptionHeader"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::gd-findings-141421356237/*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
      values   = [aws_kms_key.gd.arn]
    }
  }
}
)";
  gdl::exportcfg::ExportSettings settings;
  settings.account.value = "141421356237";
  settings.account.origin.kind = gdl::exportcfg::Origin::Kind::flag;
  settings.regions = {"us-east-1", "us-east-2"};
  settings.bucket.value = "gd-findings-141421356237";
  settings.key_arn.value =
      "arn:aws:kms:us-east-2:141421356237:key/7c2e9a41-3b5d-4f60-8a17-d4c9e2b0f583";
  settings.key_arn.origin.kind = gdl::exportcfg::Origin::Kind::flag;
  auto errors = [&](const Module& m) {
    std::vector<std::string> ids;
    for (const auto& d : m.lint(settings).diagnostics) {
      if (d.severity == gdl::Severity::error) ids.push_back(d.rule_id + " " + d.message);
    }
    return ids;
  };
  // The provider's region is known: the key is in us-east-2, as the export key is.
  const Module known({{"main.tf", R"(provider "aws" {
  alias  = "us_east_2"
  region = "us-east-2"
}
)" + body}});
  CHECK_MESSAGE(errors(known).empty(), fmt::format("{}", fmt::join(errors(known), "\n")));
  // Not known (the provider is configured elsewhere): the key's ARN is unknown, not assumed to
  // be in the first exported Region, so no Deny is held against the export key.
  const Module unknown({{"main.tf", body}});
  CHECK(errors(unknown).empty());
  // A key in another Region through its provider is still a mismatch.
  const Module elsewhere({{"main.tf", R"(provider "aws" {
  alias  = "us_east_2"
  region = "eu-west-1"
}
)" + body}});
  const auto found = errors(elsewhere);
  CHECK(std::any_of(found.begin(), found.end(),
                    [](const std::string& e) { return e.starts_with("GD306"); }));
  // One Region given (and the key ARN in it): a provider not known offline is taken to be in
  // that Region, and said so, instead of leaving the key's statements unjudged.
  gdl::exportcfg::ExportSettings one = settings;
  one.regions = {"us-east-2"};
  const gdl::LintResult judged = unknown.lint(one);
  CHECK(std::none_of(judged.diagnostics.begin(), judged.diagnostics.end(),
                     [](const gdl::Diagnostic& d) { return d.severity == gdl::Severity::error; }));
  CHECK(judged.partly_judged == 0);
  CHECK(std::any_of(judged.notes.begin(), judged.notes.end(), [](const std::string& n) {
    return n.find("provider aws.us_east_2 is not known offline: checked as us-east-2") !=
           std::string::npos;
  }));
  // Two Regions given: which is this provider's is not known; the ARN stays unknown.
  CHECK(unknown.lint(settings).partly_judged > 0);
}

TEST_CASE("a module's own key may belong to any account its policy names as administrator") {
  // Without settings the key's account is a stand-in for data.aws_caller_identity: an admin
  // statement naming a literal account may be the owner's, so it is no lockout risk. The same
  // key policy without any administrator is one, whatever the account.
  const auto module = [](std::string_view admin) {
    return Module({{"main.tf", fmt::format(R"(data "aws_caller_identity" "current" {{}}
resource "aws_kms_key" "gd" {{
  policy = data.aws_iam_policy_document.key.json
}}
data "aws_iam_policy_document" "key" {{
{}
  statement {{
    actions   = ["kms:GenerateDataKey"]
    resources = ["*"]
    principals {{
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }}
  }}
}}
resource "aws_guardduty_publishing_destination" "gd" {{
  detector_id     = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
  destination_arn = "arn:aws:s3:::gd-findings-org"
  kms_key_arn     = aws_kms_key.gd.arn
}}
)",
                                           admin)}});
  };
  auto lockout = [](const Module& m) {
    const auto found = m.lint(gdl::exportcfg::ExportSettings{}).diagnostics;
    return std::count_if(found.begin(), found.end(),
                         [](const gdl::Diagnostic& d) { return d.rule_id == "GD204"; });
  };
  for (const std::string_view identifier :
       {"arn:aws:iam::173205080756:root", "173205080756", "arn:aws:iam::173205080756:role/Admin"}) {
    CAPTURE(identifier);
    CHECK(lockout(module(fmt::format(R"(  statement {{
    actions   = ["kms:*"]
    resources = ["*"]
    principals {{
      type        = "AWS"
      identifiers = ["{}"]
    }}
  }})",
                                     identifier))) == 0);
  }
  CHECK(lockout(module("")) == 1);
  // An administrator that may only encrypt does not manage the key.
  CHECK(lockout(module(R"(  statement {
    actions   = ["kms:Encrypt"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::173205080756:root"]
    }
  })")) == 1);
}

// Hostile modules found by a robustness sweep: each crashed the whole run (a stack overflow in
// the parser, the evaluator or the tree's destructor). Long chains are nesting (`a + b + c` is
// `(a + b) + c`): the parser reports them at the place where they get too deep; chains that
// run through other expressions (locals, templates), strings that outgrow any policy and
// regular expressions that outgrow RE2's budget end in a value unknown offline. Either way
// the module is still read and its policy checked.
TEST_CASE("Terraform: hostile chains end in an error or an unknown value, never a crash") {
  // (The doubling and regular-expression rows took gigabytes before their bounds.)
  auto repeat = [](std::string_view piece, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += piece;
    return out;
  };
  std::string locals = "locals {\n";
  for (int i = 0; i < 5000; ++i) locals += fmt::format("  l{} = local.l{}\n", i, i + 1);
  locals += "  l5000 = \"x\"\n}\n";
  std::string doubling = "locals {\n  s0 = \"ab\"\n";
  for (int i = 1; i < 64; ++i)
    doubling += fmt::format("  s{} = \"${{local.s{}}}${{local.s{}}}\"\n", i, i - 1, i - 1);
  doubling += "}\n";
  // Objects that hold the one before twice: 2^40 values if copied out.
  std::string fanout = "locals {\n  f0 = { x = \"v\" }\n";
  for (int i = 1; i <= 40; ++i)
    fanout += fmt::format("  f{} = {{ a = local.f{}, b = local.f{} }}\n", i, i - 1, i - 1);
  fanout += "}\n";
  // A list of 300 copies of a local just under the bound (65,535 values each).
  std::string copies = "locals {\n  c0 = \"x\"\n";
  for (int i = 1; i <= 15; ++i)
    copies += fmt::format("  c{} = {{ a = local.c{}, b = local.c{} }}\n", i, i - 1, i - 1);
  copies += "  g = [" + repeat("local.c15, ", 300) + "]\n}\n";
  // Each row's `s` is what the policy's Deny names as its Resource.
  struct Row {
    const char* name;
    std::map<std::string, std::string> files;
    bool syntax_error;  // reported as "nested too deeply" (else: evaluated as unknown)
  };
  const std::vector<Row> rows = {
      {"operators", {{"x.tf", "locals {\n  s = 1" + repeat(" + 1", 10000) + "\n}\n"}}, true},
      {"logical", {{"x.tf", "locals {\n  s = true" + repeat(" && true", 10000) + "\n}\n"}}, true},
      {"splats", {{"x.tf", "locals {\n  s = var.x" + repeat(".*", 10000) + "\n}\n"}}, true},
      {"attributes", {{"x.tf", "locals {\n  s = var.x" + repeat(".b", 10000) + "\n}\n"}}, true},
      {"indexes", {{"x.tf", "locals {\n  s = var.x" + repeat("[0]", 10000) + "\n}\n"}}, true},
      {"template ifs",
       {{"x.tf", "locals {\n  s = \"" + repeat("%{ if true }", 10000) + "x" +
                     repeat("%{ endif }", 10000) + "\"\n}\n"}},
       true},
      {"template fors",
       {{"x.tf", "locals {\n  s = \"" + repeat("%{ for v in [1] }", 10000) + "x" +
                     repeat("%{ endfor }", 10000) + "\"\n}\n"}},
       true},
      {"locals", {{"x.tf", locals + "locals {\n  s = local.l0\n}\n"}}, false},
      {"doubling strings", {{"x.tf", doubling + "locals {\n  s = local.s63\n}\n"}}, false},
      {"doubling objects", {{"x.tf", fanout + "locals {\n  s = local.f40.a.b.a.x\n}\n"}}, false},
      {"copies of a large local",
       {{"x.tf", copies + "locals {\n  s = local.g[299].a.a\n}\n"}},
       false},
      // Each instance reads all the others (a cycle for each): read once each, not n!.
      {"instances reading each other",
       {{"x.tf",
         "resource \"aws_iam_role\" \"x\" {\n  count = 12\n  name  = join(\"-\", "
         "aws_iam_role.x[*].name)\n}\nlocals {\n  s = aws_iam_role.x[0].name\n}\n"}},
       false},
      {"a template_file rendering itself",
       {{"x.tf",
         "data \"template_file\" \"t\" {\n  template = file(\"${path.module}/t.tpl\")\n}\n"
         "locals {\n  s = data.template_file.t.rendered\n}\n"},
        {"t.tpl", "${data.template_file.t.rendered}${data.template_file.t.rendered}"}},
       false},
      {"regular expression bomb",
       {{"x.tf", "locals {\n  s = regex(\"" + repeat("(", 50000) + "a" + repeat(")", 50000) +
                     "\", \"a\")\n}\n"}},
       false},
      {"self-including template",
       {{"x.tf", "locals {\n  s = templatefile(\"${path.module}/p.tpl\", {})\n}\n"},
        {"p.tpl", "${templatefile(\"p.tpl\", {})}"}},
       false},
      // JSON decoded into values nests as deeply as its text (a stack overflow at 20,000).
      {"deep jsondecode",
       {{"x.tf",
         "locals {\n  s = jsondecode(\"" + repeat("[", 20000) + repeat("]", 20000) + "\")\n}\n"}},
       false},
      {"deep JSON variables file",
       {{"x.tf", "variable \"v\" {}\nlocals {\n  s = var.v\n}\n"},
        {"terraform.tfvars.json", "{\"v\": " + repeat("[", 20000) + repeat("]", 20000) + "}"}},
       false},
  };
  const std::string policy = R"(resource "aws_kms_key" "k" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "guardduty.amazonaws.com" },
                   Action = "kms:Decrypt", Resource = "*" },
                 { Effect = "Deny", Principal = "*", Action = "kms:Decrypt", Resource = local.s }]
  })
}
)";
  for (const Row& row : rows) {
    CAPTURE(row.name);
    auto files = row.files;
    files["main.tf"] = policy;
    const Module m(files);
    const gdl::LintResult result = m.lint();
    const bool too_deep = std::any_of(
        result.diagnostics.begin(), result.diagnostics.end(), [](const gdl::Diagnostic& d) {
          return d.message.find("nested too deeply") != std::string::npos;
        });
    CHECK(too_deep == row.syntax_error);
    // The policy beside the hostile file is still checked: GuardDuty's GenerateDataKey is not
    // allowed.
    CHECK(errors(result).find("GD201") != std::string::npos);
  }
}

// A variable file the module is read with is input too: its syntax errors are reported (they
// were dropped, as findings in a file that is not a policy), with the rest still checked.
TEST_CASE("Terraform scan: a broken terraform.tfvars or -var value is reported, not ignored") {
  auto files = example_module();
  files["terraform.tfvars"] = "regional = [[[\n";
  const Module m(files);
  for (const bool with_var : {false, true}) {
    CAPTURE(with_var);
    std::vector<std::string> args = {"gd-export-lint", "check", "--format", "json"};
    if (with_var) args.insert(args.end(), {"--var", "regional=[[["});
    args.push_back(m.dir.string());
    std::ostringstream out, err;
    std::istringstream in;
    CHECK(gdl::cli::run_cli(args, in, out, err) == 1);
    const std::string json = out.str();
    CHECK(json.find("terraform.tfvars\"") != std::string::npos);
    CHECK((json.find("--var regional") != std::string::npos) == with_var);
    CHECK(json.find("GD007") != std::string::npos);
  }
}

// Terraform refuses a -var for a variable the root module does not declare: a misspelt --var
// changed nothing and said nothing. It is a note, at the --var; a declared one is silent.
TEST_CASE("Terraform: a --var for an undeclared variable is a note") {
  const Module m(example_module());
  for (const std::string name : {"regionnal", "no_such_variable"}) {
    CAPTURE(name);
    std::vector<std::string> args = {"gd-export-lint", "check",     "--format",    "json",
                                     "--var",          name + "=x", m.dir.string()};
    std::ostringstream out, err;
    std::istringstream in;
    gdl::cli::run_cli(args, in, out, err);
    const std::string json = out.str();
    CHECK(json.find("declares no variable \\\"" + name) != std::string::npos);
  }
  std::vector<std::string> args = {"gd-export-lint", "check",       "--format",    "json",
                                   "--var",          "regional=[]", m.dir.string()};
  std::ostringstream out, err;
  std::istringstream in;
  gdl::cli::run_cli(args, in, out, err);
  CHECK(out.str().find("declares no variable") == std::string::npos);
}

// Terraform refuses a module call without a source, and a module cycle: both are GD007 at the
// call (a cycle was expanded eight levels deep and reported as nine bucket policies).
TEST_CASE("Terraform: a module call without a source, and a module cycle, are GD007 at the call") {
  const std::string policy = R"(resource "aws_s3_bucket_policy" "p" {
  bucket = "x"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "guardduty.amazonaws.com" }, Action = "s3:PutObject",
    Resource = "arn:aws:s3:::x/*" }] })
}
)";
  struct Row {
    const char* name;
    std::map<std::string, std::string> files;
    const char* message_part;
  };
  const std::vector<Row> rows = {
      {"no source", {{"main.tf", "module \"m\" {\n  name = \"a\"\n}\n" + policy}}, "has no source"},
      {"itself", {{"main.tf", "module \"me\" {\n  source = \"./\"\n}\n" + policy}}, "cycle"},
      {"through another",
       {{"main.tf", "module \"b\" {\n  source = \"./b\"\n}\n" + policy},
        {"b/main.tf", "module \"a\" {\n  source = \"../\"\n}\n"}},
       "cycle"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    const Module m(row.files);
    const gdl::LintResult result = m.lint();
    std::size_t gd007 = 0;
    std::size_t bucket_policies_error = 0;
    for (const gdl::Diagnostic& d : result.diagnostics) {
      if (d.rule_id == "GD007" && d.message.find(row.message_part) != std::string::npos) ++gd007;
      if (d.message.find("bucket policies that grant GuardDuty") != std::string::npos)
        ++bucket_policies_error;
    }
    CHECK(gd007 == 1);
    CHECK(bucket_policies_error == 0);
    // The module's own policy is still checked: GetBucketLocation is not allowed.
    CHECK(errors(result).find("GD301") != std::string::npos);
  }
}

// A stand-in is shown as the module's own reference (data.aws_region.this.id), and as <REGION>
// when the module declares no data source for it, never as a name it does not use
// (${data.aws_region.current.name} was shown for both); <REGION> is never written into a fix.
TEST_CASE("Terraform: stand-ins are shown as the module spells them, or as <REGION>") {
  const std::string key = R"(
resource "aws_guardduty_detector" "d" {}
resource "aws_kms_key" "k" {
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "guardduty.amazonaws.com" }, Action = "kms:Decrypt", Resource = "*",
    Condition = { ArnLike = { "aws:SourceArn" = SOURCE_ARN } } }] })
}
)";
  struct Row {
    const char* declared;    // the module's data sources
    const char* source_arn;  // what the key policy's condition says
    const char* symbol;      // how the Region is shown
  };
  const std::vector<Row> rows = {
      {"", "aws_guardduty_detector.d.arn", "<REGION>"},
      {"data \"aws_region\" \"this\" {}\n", "aws_guardduty_detector.d.arn",
       "${data.aws_region.this.name}"},
      {"data \"aws_region\" \"this\" {}\n",
       "\"arn:aws:guardduty:${data.aws_region.this.id}:*:detector/*\"",
       "${data.aws_region.this.id}"},
      // A data source of another provider, or with a Region of its own, is not the module's
      // Region (a fix naming it would pin the SourceArn to another Region).
      {"data \"aws_region\" \"global\" { provider = aws.use1 }\n"
       "data \"aws_region\" \"home\" {}\n",
       "aws_guardduty_detector.d.arn", "${data.aws_region.home.name}"},
      {"data \"aws_region\" \"a\" { region = \"us-east-1\" }\n", "aws_guardduty_detector.d.arn",
       "<REGION>"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.symbol);
    std::string text = row.declared + key;
    text.replace(text.find("SOURCE_ARN"), 10, row.source_arn);
    const Module m(std::map<std::string, std::string>{{"main.tf", text}});
    const gdl::LintResult result = m.lint();
    bool shown = false;
    for (const auto& d : result.diagnostics) {
      if (d.rule_id != "GD201") continue;
      shown =
          d.message.find(fmt::format("exports from {} will fail", row.symbol)) != std::string::npos;
      CHECK(d.message.find("data.aws_region.current") == std::string::npos);
      if (d.fix) {
        for (const auto& edit : d.fix->edits)
          CHECK(edit.replacement.find("<REGION>") == std::string::npos);
      }
    }
    CHECK(shown);
  }
  // A called module's own data source is not the root's symbol: the root's is written.
  const Module called(
      std::map<std::string, std::string>{{"meta/main.tf",
                                          "data \"aws_region\" \"this\" {}\noutput \"region\" { "
                                          "value = data.aws_region.this.name }\n"},
                                         {"main.tf", R"(
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
module "meta" { source = "./meta" }
resource "aws_guardduty_detector" "d" {}
resource "aws_s3_bucket_policy" "b" {
  bucket = "findings-bucket"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "guardduty.amazonaws.com" }, Action = "s3:PutObject",
    Resource = "arn:aws:s3:::findings-bucket/*",
    Condition = { StringEquals = { "aws:SourceArn" = "arn:aws:guardduty:${module.meta.region}:${data.aws_caller_identity.current.account_id}:detector/${aws_guardduty_detector.d.id}" } } }] })
}
)"}});
  bool root_symbol = false;
  for (const auto& d : called.lint().diagnostics) {
    CHECK(d.message.find("data.aws_region.this") == std::string::npos);
    root_symbol =
        root_symbol || d.message.find("${data.aws_region.current.name}") != std::string::npos;
  }
  CHECK(root_symbol);
  // The confused-deputy fix needs the Region and account: with no data source to refer to, it
  // says so instead of writing <REGION> into the policy.
  const Module open(std::map<std::string, std::string>{{"main.tf", R"(
resource "aws_guardduty_detector" "d" {}
resource "aws_kms_key" "k" {
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "guardduty.amazonaws.com" }, Action = "kms:GenerateDataKey",
    Resource = "*" }] })
}
resource "aws_guardduty_publishing_destination" "p" {
  detector_id     = aws_guardduty_detector.d.id
  destination_arn = "arn:aws:s3:::findings"
  kms_key_arn     = aws_kms_key.k.arn
}
)"}});
  bool said = false;
  for (const auto& d : open.lint().diagnostics) {
    if (d.rule_id != "GD202") continue;
    REQUIRE(d.fix);
    CHECK(d.fix->edits.empty());
    for (const std::string& note : d.notes)
      said = said ||
             note.find("it would need <REGION> (the Region: give --region") != std::string::npos;
  }
  CHECK(said);
}

TEST_CASE("a policy that is not the export's is named with the file it is written in") {
  // The module's first file is not where every document is: a note names the policy's own.
  const Module m({{"a_detector.tf", R"(resource "aws_guardduty_detector" "d" {}
)"},
                  {"b_buckets.tf", R"(resource "aws_s3_bucket_policy" "tls" {
  bucket = "logs"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Deny",
    Principal = "*", Action = "s3:*", Resource = "arn:aws:s3:::logs/*",
    Condition = { Bool = { "aws:SecureTransport" = "false" } } }] })
}
)"}});
  const gdl::containers::Extraction out = m.extract();
  const auto note = std::find_if(out.notes.begin(), out.notes.end(), [](const std::string& n) {
    return n.find("names no GuardDuty principal") != std::string::npos;
  });
  REQUIRE(note != out.notes.end());
  CHECK(note->starts_with((m.dir / "b_buckets.tf").string() + ": aws_s3_bucket_policy.tls"));
}

TEST_CASE("a policy document naming GuardDuty that nothing refers to is said, not passed over") {
  const std::string document = R"(data "aws_iam_policy_document" "findings" {
  statement {
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::gd-findings/*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
}
)";
  struct Row {
    const char* rest;  // the rest of the module
    bool noted;
  };
  const std::vector<Row> rows = {
      {"", true},
      // Passed out for a caller to attach, or attached here: not this note's.
      {R"(output "policy" { value = data.aws_iam_policy_document.findings.json })", false},
      {R"(resource "aws_s3_bucket_policy" "b" {
  bucket = "gd-findings"
  policy = data.aws_iam_policy_document.findings.json
})",
       false},
      {R"(module "bucket" {
  source = "./bucket"
  policy = "${data.aws_iam_policy_document.findings.json}"
})",
       false},
  };
  for (const Row& row : rows) {
    CAPTURE(row.rest);
    const Module m(std::map<std::string, std::string>{{"main.tf", document + row.rest + "\n"}});
    const gdl::containers::Extraction out = m.extract();
    const bool noted = std::any_of(out.notes.begin(), out.notes.end(), [](const std::string& n) {
      return n.find(
                 "data.aws_iam_policy_document.findings names a GuardDuty principal, but "
                 "nothing in the module refers to it") != std::string::npos;
    });
    CHECK(noted == row.noted);
  }
  // A document that names no GuardDuty principal is none of this note's business.
  const Module other(
      std::map<std::string, std::string>{{"main.tf", R"(data "aws_iam_policy_document" "x" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}
)"}});
  const auto notes = other.extract().notes;
  CHECK(std::none_of(notes.begin(), notes.end(), [](const std::string& n) {
    return n.find("names a GuardDuty principal") != std::string::npos;
  }));
}

TEST_CASE("Terraform: two statements of a policy document with one sid are refused, not merged") {
  // The provider refuses a document whose own statements repeat a non-empty sid ("Found
  // duplicate sid"); both statements are still checked as written, so the first one's
  // s3:GetBucketLocation is not lost to the second (which would be a false GD301). A source
  // document's statement with the sid is replaced, and blank sids may repeat.
  auto module_with = [](std::string_view first_sid, std::string_view second_sid,
                        std::string_view source) {
    return fmt::format(R"(
data "aws_iam_policy_document" "base" {{
  statement {{
    sid       = "AllowPutObject"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::acme-gd"]
    principals {{
      type        = "AWS"
      identifiers = ["arn:aws:iam::141421356237:root"]
    }}
  }}
}}
data "aws_iam_policy_document" "b" {{
  {}
  statement {{
    sid       = "{}"
    actions   = ["s3:GetBucketLocation"]
    resources = ["arn:aws:s3:::acme-gd"]
    principals {{
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }}
  }}
  statement {{
    sid       = "{}"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::acme-gd/*"]
    principals {{
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }}
  }}
}}
resource "aws_s3_bucket_policy" "b" {{
  bucket = "acme-gd"
  policy = data.aws_iam_policy_document.b.json
}}
)",
                       source, first_sid, second_sid);
  };
  const Module repeated(std::map<std::string, std::string>{
      {"main.tf", module_with("AllowPutObject", "AllowPutObject", "")}});
  const gdl::LintResult refused = repeated.lint();
  CHECK(errors(refused) == "GD007");
  for (const auto& d : refused.diagnostics) {
    CHECK(d.rule_id != "GD104");  // the same root cause: one finding
    if (d.rule_id != "GD007") continue;
    CHECK(d.message.find("duplicate Sid") != std::string::npos);
    CHECK(d.message.find("line 16") != std::string::npos);
    CHECK(d.location.start.line == 25);
    CHECK(d.location.start.column == 17);
  }
  for (const auto& sids : {std::pair{"", ""}, std::pair{"GetBucketLocation", "AllowPutObject"}}) {
    const auto& [first, second] = sids;
    CAPTURE(std::string(sids.first));
    const Module m(std::map<std::string, std::string>{
        {"main.tf", module_with(first, second,
                                "source_policy_documents = "
                                "[data.aws_iam_policy_document.base.json]")}});
    CHECK(errors(m.lint()).empty());
  }
  // A sid from a local in another file: the finding is where the block writes it.
  const Module from_local(std::map<std::string, std::string>{
      {"main.tf", module_with("${local.sid}", "${local.sid}", "")},
      {"zlocals.tf", "locals {\n  sid = \"GuardDuty\"\n}\n"}});
  const gdl::LintResult located = from_local.lint();
  CHECK(errors(located) == "GD007");
  for (const auto& d : located.diagnostics) {
    if (d.rule_id != "GD007") continue;
    CHECK(d.location.file.ends_with("main.tf"));
    CHECK(d.location.start.line == 25);
    CHECK(d.message.find("line 16") != std::string::npos);
  }
}

TEST_CASE("Terraform: a destination in the module's own Region is checked as its data source") {
  // With data "aws_region" declared and no Region given, the fix's aws:SourceArn reads the
  // module's Region; a destination with a Region of its own (provider v6 `region = var.x`) may
  // be elsewhere, so its fix keeps the placeholder.
  auto module_with = [](std::string_view destination_region) {
    return fmt::format(R"(
data "aws_region" "current" {{}}
resource "aws_guardduty_detector" "d" {{}}
resource "aws_guardduty_publishing_destination" "pd" {{
  detector_id     = aws_guardduty_detector.d.id
  destination_arn = "arn:aws:s3:::acme-gd"
  kms_key_arn     = "arn:aws:kms:us-east-1:141421356237:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  {}
}}
variable "r" {{}}
resource "aws_s3_bucket_policy" "b" {{
  bucket = "acme-gd"
  policy = jsonencode({{ Version = "2012-10-17", Statement = [{{ Effect = "Allow",
    Principal = {{ Service = "guardduty.amazonaws.com" }},
    Action = ["s3:GetBucketLocation", "s3:PutObject"],
    Resource = ["arn:aws:s3:::acme-gd", "arn:aws:s3:::acme-gd/*"] }}] }})
}}
)",
                       destination_region);
  };
  for (const auto& row : {std::pair{"", true}, std::pair{"region = var.r", false}}) {
    const auto& [region, symbol] = row;
    CAPTURE(std::string(row.first));
    const Module m(std::map<std::string, std::string>{{"main.tf", module_with(region)}});
    const gdl::LintResult result = m.lint();
    std::string arns;
    for (const auto& d : result.diagnostics) {
      if (d.rule_id != "GD303" || !d.fix) continue;
      for (const auto& e : d.fix->edits) arns += e.replacement;
    }
    REQUIRE(arns.find("arn:aws:guardduty:") != std::string::npos);
    CHECK((arns.find("arn:aws:guardduty:${data.aws_region.current.name}:") != std::string::npos) ==
          symbol);
  }
}

TEST_CASE("Terraform: documents that merge each other twice per level stop at a bound") {
  // d1 merges d0 twice, d2 merges d1 twice...: 2^36 statements if followed. Unbounded, this
  // module of 5 KB took 4.6 s and 2.4 GB; it is read in part, and says why.
  for (const char* argument : {"source_policy_documents", "override_policy_documents"}) {
    CAPTURE(std::string(argument));
    std::string text =
        "data \"aws_iam_policy_document\" \"d0\" {\n  statement {\n    actions   = [\"s3:*\"]\n"
        "    resources = [\"*\"]\n  }\n}\n";
    for (int i = 1; i <= 36; ++i) {
      text += fmt::format(
          "data \"aws_iam_policy_document\" \"d{0}\" {{\n  {1} = "
          "[data.aws_iam_policy_document.d{2}.json, data.aws_iam_policy_document.d{2}.json]\n}}\n",
          i, argument, i - 1);
    }
    text +=
        "resource \"aws_s3_bucket_policy\" \"x\" {\n  bucket = \"b\"\n"
        "  policy = data.aws_iam_policy_document.d36.json\n}\n";
    const Module m(std::map<std::string, std::string>{{"main.tf", text}});
    const gdl::LintResult result = m.lint();
    CHECK(std::any_of(result.notes.begin(), result.notes.end(), [&](const std::string& n) {
      return n.find(fmt::format("{} would merge more than 2000 statements", argument)) !=
             std::string::npos;
    }));
    CHECK(result.partly_judged > 0);
  }
}

TEST_CASE("Terraform: JSON variables files are read in Terraform's order") {
  // terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars(.json) in lexical order, then
  // --var-file: the later wins. A .json file was read as HCL (a false syntax error) or skipped.
  const std::string main_tf = R"(variable "bucket" {
  type = string
}
resource "aws_s3_bucket_policy" "p" {
  bucket = var.bucket
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Sid       = "AllowPutObject"
      Effect    = "Allow"
      Principal = { Service = "guardduty.amazonaws.com" }
      Action    = "s3:PutObject"
      Resource  = "arn:aws:s3:::${var.bucket}/*"
    }]
  })
}
)";
  auto bucket_in = [](const gdl::LintResult& r) {
    for (const std::string candidate : {"from-tfvars", "from-tfvars-json", "from-auto-a",
                                        "from-auto-b-json", "from-var-file-json"}) {
      const bool named =
          std::any_of(r.diagnostics.begin(), r.diagnostics.end(), [&](const auto& d) {
            return d.message.find("arn:aws:s3:::" + candidate + "/") != std::string::npos ||
                   d.message.find("arn:aws:s3:::" + candidate + ":") != std::string::npos ||
                   d.message.find("arn:aws:s3:::" + candidate + " ") != std::string::npos;
          });
      if (named) return candidate;
    }
    return std::string("none");
  };
  const struct {
    std::map<std::string, std::string> var_files;
    std::vector<std::string> given;  // --var-file, relative to the module
    const char* bucket;
  } rows[] = {
      {{{"terraform.tfvars.json", R"({"bucket": "from-tfvars-json"})"}}, {}, "from-tfvars-json"},
      {{{"terraform.tfvars", "bucket = \"from-tfvars\"\n"},
        {"terraform.tfvars.json", R"({"bucket": "from-tfvars-json"})"}},
       {},
       "from-tfvars-json"},
      {{{"terraform.tfvars.json", R"({"bucket": "from-tfvars-json"})"},
        {"a.auto.tfvars", "bucket = \"from-auto-a\"\n"},
        {"b.auto.tfvars.json", R"({"bucket": "from-auto-b-json"})"}},
       {},
       "from-auto-b-json"},
      {{{"b.auto.tfvars.json", R"({"bucket": "from-auto-b-json"})"},
        {"given.tfvars.json", "{\n  \"bucket\": \"from-var-file-json\"\n}\n"}},
       {"given.tfvars.json"},
       "from-var-file-json"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.bucket);
    std::map<std::string, std::string> files = row.var_files;
    files.emplace("main.tf", main_tf);
    const Module m(files);
    gdl::LintOptions options;
    for (const std::string& given : row.given)
      options.terraform_inputs.push_back(
          gdl::containers::TerraformInput::file((m.dir / given).string()));
    const gdl::LintResult result = m.lint({}, options);
    CHECK(errors(result).find("GD007") == std::string::npos);
    CHECK(bucket_in(result) == row.bucket);
  }
  // JSON as JSON, nothing evaluated: "\/" is "/", "${...}" and "%{...}" stay text, as
  // Terraform reads a JSON variables file; invalid JSON is GD001 in the file, its values unused.
  const std::string action_tf = R"(variable "action" {
  type    = string
  default = "kms:FromDefault"
}
resource "aws_kms_key" "k" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "A", Effect = "Allow", Principal = { AWS = "*" }, Action = var.action, Resource = "*" }]
  })
}
)";
  const struct {
    const char* json;
    const char* action;  // as the finding quotes it
    const char* rule;    // the var file's own finding, if any
  } verbatim[] = {
      {R"({"action": "kms:A\/${x}%{ if true }y%{ endif }"})", "kms:A/${x}%{ if true }y%{ endif }",
       ""},
      {R"({"action": "kms:Trailing",})", "kms:FromDefault", "GD001"},
  };
  for (const auto& row : verbatim) {
    CAPTURE(row.json);
    const Module m(std::map<std::string, std::string>{{"main.tf", action_tf},
                                                      {"terraform.tfvars.json", row.json}});
    const gdl::LintResult result = m.lint();
    CHECK(std::any_of(result.diagnostics.begin(), result.diagnostics.end(), [&](const auto& d) {
      return d.rule_id == "GD105" &&
             d.message.find(fmt::format("\"{}\"", row.action)) != std::string::npos;
    }));
    CHECK(errors(result).find("GD007") == std::string::npos);
    if (*row.rule != '\0') CHECK(errors(result).find(row.rule) != std::string::npos);
  }
}

TEST_CASE("Terraform: module calls are read up to a bound in all, and the rest is noted") {
  // Three calls per level, seven levels: 3,279 reads of the same few files if all were read
  // (four calls and eight levels took 111 s before the bound).
  std::map<std::string, std::string> files;
  for (int level = 0; level < 7; ++level) {
    std::string text;
    for (int call = 1; call <= 3; ++call)
      text += fmt::format("module \"m{}\" {{\n  source = \"../l{}\"\n}}\n", call, level + 1);
    files.emplace(level == 0 ? "main.tf" : fmt::format("l{}/main.tf", level),
                  level == 0 ? [&] {
                    std::string root = text;
                    for (std::size_t at; (at = root.find("../l1")) != std::string::npos;)
                      root.replace(at, 5, "./l1");
                    return root;
                  }()
                             : text);
  }
  files.emplace("l7/main.tf",
                "resource \"aws_s3_bucket_policy\" \"p\" {\n  bucket = \"b\"\n"
                "  policy = jsonencode({ Version = \"2012-10-17\", Statement = [] })\n}\n");
  const Module m(files);
  const gdl::LintResult result = m.lint();
  CHECK(std::any_of(result.notes.begin(), result.notes.end(), [](const std::string& n) {
    return n.find("more than 2000 module calls are read in all") != std::string::npos;
  }));
  CHECK(result.partly_judged > 0);  // a clean result says what it did not judge
}

TEST_CASE("Terraform: a variables file too large for a module's reads is said, judged in part") {
  // The command line takes a --var-file up to the input limit (64 MB); a module reads at most
  // 4 MB of a file. A larger one was skipped without a word and the run passed.
  const Module m({{"main.tf",
                   "variable \"bucket\" {}\nresource \"aws_s3_bucket_policy\" \"p\" {\n"
                   "  bucket = var.bucket\n"
                   "  policy = jsonencode({ Version = \"2012-10-17\", Statement = [] })\n}\n"},
                  {"big.tfvars", "bucket = \"" + std::string(5U * 1024U * 1024U, 'b') + "\"\n"}});
  gdl::LintOptions options;
  options.terraform_inputs.push_back(
      gdl::containers::TerraformInput::file((m.dir / "big.tfvars").string()));
  const gdl::LintResult result = m.lint({}, options);
  CHECK(std::any_of(result.notes.begin(), result.notes.end(), [](const std::string& n) {
    return n.find("big.tfvars: the variables are not read (larger than 4 MB") != std::string::npos;
  }));
  CHECK(result.partly_judged > 0);
}

TEST_CASE("Terraform: a variable's optional object attributes take their defaults") {
  // Terraform 1.3's optional(type, default): an attribute the value omits or sets to null is
  // the default, else null, in nested objects and in lists and maps of objects too.
  struct Case {
    const char* variable;   // the variable block's body
    const char* reference;  // what the bucket policy's bucket is
    const char* given;      // --var cfg=..., or null
    const char* bucket;     // the policy's bucket, or null when no policy exists (count = 0)
  };
  const std::vector<Case> cases = {
      {R"(type = object({ bucket = optional(string, "dflt") })
          default = {})",
       "var.cfg.bucket", nullptr, "dflt"},
      {R"(type = object({ bucket = optional(string, "dflt") })
          default = { bucket = null })",
       "var.cfg.bucket", nullptr, "dflt"},
      {R"(type = object({ bucket = optional(string, "dflt") })
          default = { bucket = "written" })",
       "var.cfg.bucket", nullptr, "written"},
      {R"(type = object({ bucket = optional(string, "dflt") }))", "var.cfg.bucket",
       R"({ other = 1 })", "dflt"},
      {R"(type = object({ bucket = optional(string, "dflt") }))", "var.cfg.bucket",
       R"({ bucket = "given" })", "given"},
      {R"(type = object({ inner = optional(object({ bucket = optional(string, "deep") }), {}) })
          default = {})",
       "var.cfg.inner.bucket", nullptr, "deep"},
      {R"(type = list(object({ bucket = optional(string, "item") }))
          default = [{}])",
       "var.cfg[0].bucket", nullptr, "item"},
      {R"(type = map(object({ "bucket" = optional(string, "in-map") }))
          default = { a = {} })",
       "var.cfg[\"a\"].bucket", nullptr, "in-map"},
      // Without a default the attribute is null: the count is 0 and there is no policy.
      {R"(type = object({ s3 = optional(object({ bucket = string })) })
          default = {})",
       "var.cfg.s3.bucket", nullptr, nullptr},
  };
  for (const Case& c : cases) {
    CAPTURE(c.variable);
    CAPTURE(c.reference);
    const std::string count_of =
        std::string(c.reference).substr(0, std::string(c.reference).rfind('.'));
    const Module m({{"main.tf", fmt::format(R"(
variable "cfg" {{
  {}
}}
resource "aws_s3_bucket_policy" "p" {{
  count  = {} != null ? 1 : 0
  bucket = {}
  policy = jsonencode({{ Statement = [{{ Effect = "Allow", Action = "s3:GetObject",
    Principal = "*", Resource = "arn:aws:s3:::${{{}}}/*" }}] }})
}}
)",
                                            c.variable, count_of, c.reference, c.reference)}});
    gdl::containers::Hints hints;
    if (c.given != nullptr)
      hints.terraform_inputs.push_back(gdl::containers::TerraformInput::var("cfg", c.given));
    const gdl::containers::Extraction ex = m.extract(hints);
    if (c.bucket == nullptr) {
      CHECK(ex.documents.empty());
      continue;
    }
    REQUIRE(ex.documents.size() == 1);
    CHECK(ex.documents[0].belongs_to == c.bucket);
    CHECK(ex.documents[0].unknown_spans.empty());
  }
}

TEST_CASE("Terraform: another provider's caller identity is said to be taken as the module's") {
  // (A real-world sweep: a module whose GuardDuty runs under an aliased provider that assumes a
  // role in the security account, and whose key policy names the default provider's account.)
  // Offline, every aws_caller_identity is the module's account; for one read through another
  // provider configuration, --verbose says so rather than presenting it as known.
  const std::string tf = R"(
provider "aws" {
  region = "us-east-1"
}
provider "aws" {
  alias  = "security"
  region = "us-east-1"
  assume_role {
    role_arn = "arn:aws:iam::305419896012:role/OrganizationAccountAccessRole"
  }
}
data "aws_caller_identity" "current" {}
data "aws_caller_identity" "sec" {
  provider = aws.security
}
resource "aws_kms_key" "gd" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "GuardDuty"
      Effect    = "Allow"
      Principal = { Service = "guardduty.amazonaws.com" }
      Action    = "kms:GenerateDataKey"
      Resource  = "*"
      Condition = { StringEquals = {
        "aws:SourceAccount" = [data.aws_caller_identity.current.account_id,
                               data.aws_caller_identity.sec.account_id] } }
    }]
  })
}
)";
  const Module m(std::map<std::string, std::string>{{"main.tf", tf}});
  const gdl::containers::Extraction out = m.extract();
  const auto says = [&](std::string_view text) {
    return std::any_of(out.notes.begin(), out.notes.end(),
                       [&](const std::string& n) { return n.find(text) != std::string::npos; });
  };
  CHECK(
      says("data.aws_caller_identity.sec is read through provider aws.security, whose account "
           "is not known offline"));
  CHECK_FALSE(says("data.aws_caller_identity.current is read through provider"));
}

// A module's file() or templatefile() of the system's own files is not read: in a pull
// request's module, file("/proc/self/environ") put the runner's environment into the findings
// (its first word in a syntax error's message, in a public annotation).
TEST_CASE("Terraform: file() of /proc, /sys or /dev is not read") {
  ::setenv("GDL_TEST_SECRET_NAME", "x", 1);
  const Module m(std::map<std::string, std::string>{
      {"main.tf",
       "resource \"aws_kms_key\" \"k\" {\n"
       "  policy = file(\"/proc/self/environ\")\n}\n"
       "resource \"aws_kms_key\" \"j\" {\n"
       "  policy = templatefile(\"/proc/self/environ\", {})\n}\n"}});
  const gdl::LintResult result = m.lint();
  for (const gdl::Diagnostic& d : result.diagnostics) {
    CAPTURE(d.message);
    CHECK(d.message.find("GDL_TEST_SECRET_NAME") == std::string::npos);
    CHECK(d.rule_id != "GD001");
  }
  for (const std::string& note : result.notes) {
    CAPTURE(note);
    CHECK(note.find("GDL_TEST_SECRET_NAME") == std::string::npos);
  }
  CHECK(std::any_of(result.notes.begin(), result.notes.end(), [](const std::string& n) {
    return n.find("file(\"/proc/self/environ\"): the file cannot be read") != std::string::npos;
  }));
  ::unsetenv("GDL_TEST_SECRET_NAME");
}

TEST_CASE("Terraform: nothing outside the repository is read (file(), a module call, a link)") {
  // The module in a git work tree; beside it, outside, a "policy" holding a secret.
  const std::string policy =
      R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",)"
      R"( "Action": "kms:Frobnicate", "Resource": "*"}]} GDL_OUTSIDE_SECRET)";
  const std::string key_module =
      "resource \"aws_kms_key\" \"m\" {\n  policy = file(\"${path.module}/p.json\")\n}\n";
  const Module m(std::map<std::string, std::string>{{"repo/.git/HEAD", "ref: refs/heads/main\n"},
                                                    {"repo/inner.json", policy},
                                                    {"repo/mod/main.tf", key_module},
                                                    {"repo/mod/p.json", policy},
                                                    {"outside.json", policy},
                                                    {"outmod/main.tf", key_module},
                                                    {"outmod/p.json", policy}});
  const fs::path repo = m.dir / "repo";
  fs::create_symlink(m.dir / "outside.json", repo / "link.json");
  const std::string main_tf =
      "resource \"aws_kms_key\" \"outside\" {\n  policy = file(\"../outside.json\")\n}\n"
      "resource \"aws_kms_key\" \"link\" {\n  policy = file(\"link.json\")\n}\n"
      "resource \"aws_kms_key\" \"inside\" {\n  policy = file(\"inner.json\")\n}\n"
      "module \"in\" {\n  source = \"./mod\"\n}\n"
      "module \"out\" {\n  source = \"../outmod\"\n}\n";
  std::ofstream(repo / "main.tf") << main_tf;
  const gdl::SourceFile main(std::string("main.tf"), main_tf);
  const gdl::test::CurrentDirectory here(repo);
  const gdl::LintResult result = gdl::lint_setup({&main}, {});
  std::size_t frobnicate = 0;  // GD105 for each policy read: inner.json and mod/p.json
  for (const gdl::Diagnostic& d : result.diagnostics) {
    CAPTURE(d.message);
    CHECK(d.message.find("GDL_OUTSIDE_SECRET") == std::string::npos);
    CHECK(d.location.file.find("outside") == std::string::npos);
    CHECK(d.location.file.find("outmod") == std::string::npos);
    if (d.rule_id == "GD105") ++frobnicate;
  }
  CHECK(frobnicate == 2);
  const auto noted = [&](std::string_view text) {
    return std::any_of(result.notes.begin(), result.notes.end(),
                       [&](const std::string& n) { return n.find(text) != std::string::npos; });
  };
  CHECK(noted("../outside.json is outside the repository"));
  CHECK(noted("link.json is outside the repository"));
  CHECK(noted("module out is not read: ../outmod is outside the repository"));
}

TEST_CASE("the AWS Cloud Control provider's resources are said not to be read, not passed") {
  // hashicorp/terraform-provider-awscc's own example (examples/resources/
  // awscc_guardduty_publishing_destination/main.tf), cut to its key and bucket policy: the
  // awscc_* resources are not read, so "no problems found" alone would hide that its key grant
  // has no source condition. Each is a policy judged in part, with a note where it is.
  const std::string main_tf = R"(resource "awscc_kms_key" "findings" {
  key_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "guardduty.amazonaws.com" }
      Action    = ["kms:GenerateDataKey", "kms:Encrypt"]
      Resource  = "*"
    }]
  })
}

resource "awscc_s3_bucket_policy" "findings" {
  bucket = "gd-findings"
  policy_document = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "guardduty.amazonaws.com" }
      Action    = ["s3:GetBucketLocation", "s3:PutObject"]
      Resource  = ["arn:aws:s3:::gd-findings", "arn:aws:s3:::gd-findings/*"]
    }]
  })
}

resource "awscc_s3_bucket" "findings" {
  bucket_name = "gd-findings"
}
)";
  const Module m({{"main.tf", main_tf}});
  const gdl::LintResult r = m.lint();
  CHECK(r.partly_judged == 2);
  CHECK(r.unread == 2);
  std::size_t said = 0;
  for (const std::string& note : r.notes) {
    if (note.find("AWS Cloud Control provider (awscc) are not read") != std::string::npos) ++said;
  }
  CHECK(said == 2);
  CHECK(r.notes.end() != std::find_if(r.notes.begin(), r.notes.end(), [](const std::string& note) {
          return note.find("main.tf:1:10: awscc_kms_key.findings:") != std::string::npos;
        }));
}
