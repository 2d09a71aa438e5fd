// Precision: an error only where the export really fails.
//
// - Real-world setups (testdata/realworld/, each with its provenance and a verdict reasoned from
//   AWS's documentation in its README): a working one gets no error, with its settings or with
//   every setting inferred; a broken one gets at least one.
// - One verdict however the files are passed: a directory scan, the files named, one changed
//   file (its siblings are read), and the project configuration's `setups` give the same
//   findings.

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "analysis/pipeline.h"
#include "checks/explain.h"
#include "cli/cli.h"
#include "export/settings.h"
#include "test_support.h"
#include "util/text.h"

namespace fs = std::filesystem;

namespace {

struct SetupCase {
  fs::path dir;
  std::vector<fs::path> documents;  // the policies (not export-settings.json)
  std::optional<fs::path> settings;
  std::string verdict;  // "works" / "broken" (real-world cases), empty otherwise
};

SetupCase read_case(const fs::path& dir) {
  SetupCase c{dir, {}, std::nullopt, {}};
  for (const auto& entry : fs::directory_iterator(dir)) {
    const fs::path& p = entry.path();
    if (p.filename() == "export-settings.json") {
      c.settings = p;
    } else if (p.extension() == ".json" || p.extension() == ".yaml" || p.extension() == ".tf") {
      c.documents.push_back(p);
    }
  }
  std::sort(c.documents.begin(), c.documents.end());
  if (fs::exists(dir / "README.md")) {
    std::istringstream readme(gdl::test::read_file(dir / "README.md"));
    std::string first;
    std::getline(readme, first);
    if (first.starts_with("verdict: ")) c.verdict = first.substr(9, first.find(' ', 9) - 9);
  }
  return c;
}

std::vector<SetupCase> cases_under(const fs::path& root) {
  std::vector<SetupCase> cases;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (entry.is_directory() && fs::exists(entry.path() / "case.expect"))
      cases.push_back(read_case(entry.path()));
  }
  std::sort(cases.begin(), cases.end(),
            [](const SetupCase& a, const SetupCase& b) { return a.dir < b.dir; });
  return cases;
}

// The setup's export-settings.json, read as --config reads it; none when `with_settings` is
// false or the setup has none.
gdl::exportcfg::ExportSettings settings_of(const SetupCase& c, bool with_settings) {
  if (!with_settings || !c.settings) return {};
  const gdl::SourceFile config("export-settings.json", gdl::test::read_file(*c.settings));
  return gdl::exportcfg::read_config(config).settings;
}

std::vector<gdl::Diagnostic> lint(const SetupCase& c, bool with_settings) {
  std::vector<std::unique_ptr<gdl::SourceFile>> sources;
  std::vector<const gdl::SourceFile*> pointers;
  for (const fs::path& p : c.documents) {
    sources.push_back(
        std::make_unique<gdl::SourceFile>(p.filename().string(), gdl::test::read_file(p)));
    pointers.push_back(sources.back().get());
  }
  return gdl::lint_setup(pointers, settings_of(c, with_settings)).diagnostics;
}

std::string errors_of(const std::vector<gdl::Diagnostic>& diagnostics) {
  std::string text;
  for (const gdl::Diagnostic& d : diagnostics) {
    if (d.severity == gdl::Severity::error)
      text += fmt::format("{}:{}:{} {} {}\n", d.location.file, d.location.start.line,
                          d.location.start.column, d.rule_id, d.message);
  }
  return text;
}

}  // namespace

TEST_CASE("real-world setups: no error on a working one, an error on a broken one") {
  const auto cases = cases_under(gdl::test::source_dir() / "testdata" / "realworld");
  REQUIRE(cases.size() >= 20);
  std::size_t working = 0;
  for (const SetupCase& c : cases) {
    CAPTURE(c.dir.string());
    REQUIRE_MESSAGE(!c.verdict.empty(), "README.md must start with 'verdict: works|broken'");
    for (const bool with_settings : {true, false}) {
      CAPTURE(with_settings);
      const std::string errors = errors_of(lint(c, with_settings));
      if (c.verdict == "works") {
        CHECK_MESSAGE(errors.empty(), errors);
      } else if (with_settings) {
        // A broken setup is broken for the export the README describes.
        CHECK(!errors.empty());
      }
    }
    if (c.verdict == "works") ++working;
  }
  CHECK(working >= 15);
}

namespace {

struct TempDir {
  fs::path path;
  explicit TempDir(std::string_view name) {
    path = fs::temp_directory_path() /
           fmt::format("gdl-{}-{}", name, std::hash<std::string>{}(fs::current_path().string()));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

// The findings and setup verdicts of one `check` run, as comparable lines (JSON output).
std::multiset<std::string> run(std::vector<std::string> args) {
  args.insert(args.begin(), {"gd-export-lint", "check", "--format", "json", "--fail-on", "never"});
  std::ostringstream out, err;
  std::istringstream in;
  gdl::cli::run_cli(args, in, out, err);
  rapidjson::Document doc;
  doc.Parse(out.str().c_str());
  std::multiset<std::string> lines;
  if (!doc.IsObject() || !doc.HasMember("diagnostics")) {
    lines.insert("unreadable output: " + out.str() + err.str());
    return lines;
  }
  for (const auto& d : doc["diagnostics"].GetArray()) {
    lines.insert(fmt::format("{}:{}:{} {} {} {}", d["file"].GetString(), d["line"].GetInt(),
                             d["column"].GetInt(), d["ruleId"].GetString(),
                             d["severity"].GetString(), d["message"].GetString()));
  }
  if (doc.HasMember("setups")) {
    for (const auto& setup : doc["setups"].GetArray())
      lines.insert(fmt::format("verdict {}", setup["verdict"].GetString()));
  }
  return lines;
}

}  // namespace

TEST_CASE("one verdict: directory, named files, one changed file and configured setups agree") {
  std::vector<SetupCase> all = cases_under(gdl::test::source_dir() / "testdata" / "setups");
  for (SetupCase& c : cases_under(gdl::test::source_dir() / "testdata" / "realworld"))
    all.push_back(std::move(c));
  REQUIRE(all.size() >= 25);
  TempDir temp("one-verdict");
  gdl::test::CurrentDirectory in_temp(temp.path);
  for (const SetupCase& c : all) {
    CAPTURE(c.dir.string());
    // The setup in a directory of its own, its settings beside it.
    const fs::path setup = c.dir.filename();
    fs::create_directories(setup);
    std::vector<std::string> files;
    for (const fs::path& p : c.documents) {
      fs::copy_file(p, setup / p.filename(), fs::copy_options::overwrite_existing);
      files.push_back((setup / p.filename()).string());
    }
    std::vector<std::string> config;
    if (c.settings) {
      const fs::path settings = fs::path(setup.string() + ".settings.json");
      fs::copy_file(*c.settings, settings, fs::copy_options::overwrite_existing);
      config = {"--config", settings.string()};
    }
    auto with = [&config](std::vector<std::string> paths) {
      std::vector<std::string> args = config;
      args.insert(args.end(), paths.begin(), paths.end());
      return args;
    };
    const auto by_directory = run(with({setup.string()}));
    CHECK(run(with(files)) == by_directory);
    for (const std::string& one : files) {
      CAPTURE(one);
      CHECK(run(with({one})) == by_directory);
    }
    // Reversed order: inference never depends on the order the files are passed in.
    std::vector<std::string> reversed(files.rbegin(), files.rend());
    CHECK(run(with(reversed)) == by_directory);
    // The same documents paired in the project configuration.
    std::string documents;
    for (const std::string& f : files)
      documents += fmt::format("{}\"{}\"", documents.empty() ? "" : ", ", f);
    const fs::path project = fs::path(setup.string() + ".project.json");
    std::ofstream(project) << fmt::format(R"({{"setups": [{{"name": "s", "documents": [{}]}}]}})",
                                          documents);
    std::vector<std::string> configured = with({files.front()});
    configured.insert(configured.begin(), {"--project-config", project.string()});
    CHECK(run(configured) == by_directory);
    // Each document listed twice, spelled "f" and "./f": one file, read once.
    std::string twice = documents;
    for (const std::string& f : files) twice += fmt::format(", \"./{}\"", f);
    const fs::path project_twice = fs::path(setup.string() + ".project-twice.json");
    std::ofstream(project_twice) << fmt::format(
        R"({{"setups": [{{"name": "s", "documents": [{}]}}]}})", twice);
    configured[1] = project_twice.string();
    CHECK(run(configured) == by_directory);
  }
}

TEST_CASE("one verdict: a directory and every entry of it named (DIR/*) agree") {
  // A shell's `DIR/*` names the README, case.expect and tfvars beside the policies: a file the
  // scan would not take by its name is read only when it begins like JSON, so prose beside a
  // setup neither adds GD001 errors nor turns its verdict to "rejected".
  std::vector<SetupCase> all = cases_under(gdl::test::source_dir() / "testdata" / "setups");
  for (SetupCase& c : cases_under(gdl::test::source_dir() / "testdata" / "realworld"))
    all.push_back(std::move(c));
  REQUIRE(all.size() >= 25);
  std::size_t with_prose = 0;
  for (const SetupCase& c : all) {
    CAPTURE(c.dir.string());
    std::vector<std::string> entries;
    for (const auto& entry : fs::directory_iterator(c.dir))
      entries.push_back(entry.path().string());
    std::sort(entries.begin(), entries.end());
    with_prose += static_cast<std::size_t>(fs::exists(c.dir / "README.md"));
    CHECK(run(entries) == run({c.dir.string()}));
  }
  CHECK(with_prose >= 20);
  // A README whose first line is a badge ("[![CI](...)]") begins with '[' but is no JSON; a
  // link without an extension to a template the scan takes is the template; a file an include
  // glob with a '/' takes is taken when named too.
  {
    TempDir setup("named-prose");
    const fs::path correct = gdl::test::source_dir() / "examples" / "correct";
    for (const auto& entry : fs::directory_iterator(correct))
      fs::copy_file(entry.path(), setup.path / entry.path().filename());
    std::ofstream(setup.path / "README.md")
        << "[![CI](https://example.com/badge.svg)](https://example.com)\n\nThe Statement "
           "with Effect Allow lets GuardDuty write.\n";
    fs::create_symlink("bucket-policy.json", setup.path / "bucket-policy");
    std::vector<std::string> entries;
    for (const auto& entry : fs::directory_iterator(setup.path))
      entries.push_back(entry.path().string());
    std::sort(entries.begin(), entries.end());
    CHECK(run(entries) == run({setup.path.string()}));
    fs::create_directories(setup.path / "stacks");
    std::ofstream(setup.path / "stacks" / "x.yaml") << gdl::test::read_file(
        gdl::test::source_dir() / "examples" / "broken" / "bucket-policy.json");
    const auto scanned = run({setup.path.string(), "--include", "stacks/*.yaml"});
    CHECK(scanned != std::multiset<std::string>{});
    CHECK(run({(setup.path / "stacks" / "x.yaml").string(), "--include", "stacks/*.yaml"}) ==
          scanned);
  }
  // A policy kept under a name the scan does not take is still read when named.
  TempDir temp("named-by-content");
  const fs::path txt = temp.path / "policy.txt";
  std::ofstream(txt) << "\xEF\xBB\xBF\n  {\"Version\": \"2012-10-17\", \"Statement\": {}}";
  CHECK(run({txt.string()}) != std::multiset<std::string>{});
}

TEST_CASE("one verdict: a Terraform tree scanned and every file of it named agree") {
  // A module named beside the module that calls it is read through the call, as the scan reads
  // it: named a second time on its own it was judged twice, once with its inputs unknown (a
  // real-world sweep: e-mulenga/aws-enterprise-landing-zone-terraform, 12 files checked against
  // 21 and one more warning).
  std::vector<fs::path> trees;
  for (const auto& entry :
       fs::directory_iterator(gdl::test::source_dir() / "testdata" / "realworld")) {
    if (entry.is_directory() && entry.path().filename().string().starts_with("tf-") &&
        fs::is_directory(entry.path() / "original"))
      trees.push_back(entry.path() / "original");
  }
  for (const auto& entry :
       fs::directory_iterator(gdl::test::source_dir() / "testdata" / "containers")) {
    if (entry.is_directory() && entry.path().filename().string().starts_with("tf-"))
      trees.push_back(entry.path());
  }
  std::size_t with_modules = 0;
  for (const fs::path& tree : trees) {
    CAPTURE(tree.string());
    std::vector<std::string> files;
    bool nested = false;
    for (const auto& entry : fs::recursive_directory_iterator(tree)) {
      const std::string ext = entry.path().extension().string();
      if (!entry.is_regular_file() ||
          (ext != ".tf" && ext != ".json" && ext != ".yaml" && ext != ".yml"))
        continue;
      files.push_back(entry.path().string());
      nested = nested || (ext == ".tf" && entry.path().parent_path() != tree);
    }
    if (files.empty()) continue;
    std::sort(files.begin(), files.end());
    with_modules += static_cast<std::size_t>(nested);
    CHECK(run(files) == run({tree.string()}));
  }
  CHECK(with_modules >= 10);
}

// A git work tree (a `.git` directory is what marks one) in a temporary directory.
struct WorkTree : TempDir {
  explicit WorkTree(std::string_view name) : TempDir(name) {
    fs::create_directories(path / ".git");
  }
  void write(const std::string& relative, const std::string& text) const {
    fs::create_directories((path / relative).parent_path());
    std::ofstream(path / relative) << text;
  }
};

// A module holding a bucket policy for GuardDuty's reads of threat lists, its bucket name a
// variable whose default, "", the callers replace; and a grant to an example account (GD005).
const std::string kListsModule = R"(variable "bucket_name" {
  type    = string
  default = ""
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "AllowGuardDutyRead"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::${var.bucket_name}", "arn:aws:s3:::${var.bucket_name}/*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
  statement {
    sid       = "AllowAuditorRead"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::${var.bucket_name}/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
}

resource "aws_s3_bucket_policy" "lists" {
  bucket = var.bucket_name
  policy = data.aws_iam_policy_document.bucket.json
}
)";

TEST_CASE("one verdict: a module file named without its caller is read through the caller") {
  // The pre-commit hook names only the changed files: a module's file named alone was read with
  // its variables' defaults, and `bucket_name = ""` made "arn:aws:s3:::" (two GD106 errors) that
  // a scan of the repository, where a root module calls it with a name, never showed (a
  // real-world sweep: cmdlabs/cmd-tf-aws-guardduty-org, whose tests/main.tf calls "../").
  WorkTree repo("named-module");
  repo.write("modules/export/main.tf", kListsModule);
  // Another module the root calls, with a finding of its own (an unknown action).
  repo.write("modules/other/main.tf", R"(data "aws_iam_policy_document" "other" {
  statement {
    actions   = ["s3:GetObjectz"]
    resources = ["arn:aws:s3:::acme-access-logs/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::307945625190:root"]
    }
  }
}

resource "aws_s3_bucket_policy" "other" {
  bucket = "acme-access-logs"
  policy = data.aws_iam_policy_document.other.json
}
)");
  repo.write("envs/prod/main.tf", R"(module "export" {
  source      = "../../modules/export"
  bucket_name = "acme-guardduty-threat-lists"
}

module "other" {
  source = "../../modules/other"
}
)");
  const std::string module_file = (repo.path / "modules/export/main.tf").string();
  const auto in_export_module = [](const std::multiset<std::string>& lines) {
    std::multiset<std::string> kept;
    for (const std::string& line : lines) {
      if (line.find("modules/other") == std::string::npos) kept.insert(line);
    }
    return kept;
  };
  const auto has_rule = [](const std::multiset<std::string>& lines, std::string_view rule) {
    return std::any_of(lines.begin(), lines.end(), [rule](const std::string& line) {
      return line.find(rule) != std::string::npos;
    });
  };
  const std::multiset<std::string> scanned = run({repo.path.string()});
  const std::multiset<std::string> named = run({module_file});
  CAPTURE(fmt::format("{}", fmt::join(scanned, "\n")));
  CAPTURE(fmt::format("{}", fmt::join(named, "\n")));
  CHECK(has_rule(scanned, "GD105"));      // the other module's finding, which a scan reports
  CHECK_FALSE(has_rule(named, "GD105"));  // not the named module's
  CHECK_FALSE(has_rule(named, "GD106"));
  CHECK(has_rule(named, "GD005"));  // the named module's own finding (a placeholder account)
  CHECK(named == in_export_module(scanned));
  // Its directory scanned, or the directory of modules: the same, through the same caller.
  CHECK(run({(repo.path / "modules/export").string()}) == named);
  CHECK(run({(repo.path / "modules").string()}) == scanned);
  // Named beside the caller, and beside another caller (whose empty name is its own error):
  // read through both, as the scan reads it.
  CHECK(run({module_file, (repo.path / "envs/prod/main.tf").string()}) == scanned);
  repo.write("envs/dev/main.tf", R"(module "export" {
  source      = "../../modules/export"
  bucket_name = ""
}
)");
  const std::multiset<std::string> scanned_two = run({repo.path.string()});
  CHECK(has_rule(scanned_two, "GD106"));
  CHECK(run({module_file}) == in_export_module(scanned_two));
  CHECK(run({module_file, (repo.path / "envs/prod/main.tf").string()}) == scanned_two);
  fs::remove_all(repo.path / "envs/dev");
  // Named with a file of the caller's module that does not itself call (its variables): the
  // module's other files' calls are its calls (a code review: the module was read on its own
  // again, GD106). And a file the module reads with templatefile() is reported as a scan
  // reports it, not hidden as a file outside the module's directory.
  repo.write("envs/prod/variables.tf", "variable \"unused\" {\n  default = 1\n}\n");
  repo.write("modules/export/templates/audit.json.tpl", R"({
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::307945625190:root"},
    "Action": "s3:GetObjectz",
    "Resource": "arn:aws:s3:::${bucket}/*"
  }]
}
)");
  repo.write("modules/export/audit.tf", R"(resource "aws_s3_bucket_policy" "audit" {
  bucket = "acme-audit-reports"
  policy = templatefile("${path.module}/templates/audit.json.tpl", { bucket = "acme-audit-reports" })
}
)");
  const std::multiset<std::string> with_template = run({repo.path.string()});
  CHECK(has_rule(with_template, "GD105"));
  CHECK(run({module_file}) == in_export_module(with_template));
  const std::multiset<std::string> with_variables =
      run({module_file, (repo.path / "envs/prod/variables.tf").string()});
  CHECK_FALSE(has_rule(with_variables, "GD106"));
  CHECK(in_export_module(with_variables) == in_export_module(with_template));
  fs::remove(repo.path / "modules/export/audit.tf");
  // Outside a git work tree nothing says where its callers are: checked on its own.
  fs::remove_all(repo.path / ".git");
  CHECK(has_rule(run({module_file}), "GD106"));
}

TEST_CASE("one verdict: a module reached through another is read through the root only") {
  // Review of the change above: the module between the root and the named one was not a
  // planned item, so the named module was read through the root and again on its own, with
  // its defaults (the GD106 errors back); a policy file beside the named module was lost with
  // the module's item; and an --exclude hid the module between from the search for callers,
  // though a call reads its module whatever --exclude says.
  WorkTree repo("named-module-chain");
  repo.write("modules/export/main.tf", kListsModule);
  // A policy file beside the module, with a finding of its own.
  repo.write("modules/export/extra-policy.json", R"({
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::307945625190:root"},
    "Action": "s3:GetObjectz",
    "Resource": "arn:aws:s3:::acme-reports/*"
  }]
}
)");
  repo.write("modules/wrapper/main.tf", R"(variable "bucket_name" {
  type = string
}

module "export" {
  source      = "../export"
  bucket_name = var.bucket_name
}
)");
  repo.write("live/main.tf", R"(module "w" {
  source      = "../modules/wrapper"
  bucket_name = "acme-guardduty-threat-lists"
}
)");
  const auto in_dir = [](const std::multiset<std::string>& lines, std::string_view dir) {
    std::multiset<std::string> kept;
    for (const std::string& line : lines) {
      if (line.find(dir) != std::string::npos) kept.insert(line);
    }
    return kept;
  };
  const std::string export_dir = (repo.path / "modules/export").string();
  const std::multiset<std::string> scanned = run({repo.path.string()});
  CAPTURE(fmt::format("{}", fmt::join(scanned, "\n")));
  const std::multiset<std::string> in_export = in_dir(scanned, export_dir);
  CHECK(in_export.size() == 2);  // GD005 and the policy file's GD105; no GD106 through the root
  for (const std::string& way : {(repo.path / "modules/export/main.tf").string(), export_dir,
                                 (repo.path / "modules").string()}) {
    CAPTURE(way);
    const std::multiset<std::string> got = run({way});
    CHECK(in_dir(got, export_dir) == in_export);
  }
  CHECK(in_dir(run({(repo.path / "modules/export/main.tf").string(), "--exclude", "modules/**"}),
               export_dir) == in_export);
  // A root the scan does not take (--exclude) is no caller: the module between it and the named
  // one is then the scan's root, read with its variables unknown, as `check --exclude` reads it.
  const std::multiset<std::string> without_live = run({repo.path.string(), "--exclude", "live/*"});
  CHECK(in_dir(run({(repo.path / "modules/export/main.tf").string(), "--exclude", "live/*"}),
               export_dir) == in_dir(without_live, export_dir));
  // A module deeper below the root than modules are read (8 calls) is checked on its own: read
  // through the root, nothing would read it ("nothing was checked", exit 2).
  std::string source = "../modules/wrapper";
  for (int i = 0; i < 8; ++i) {
    repo.write(
        fmt::format("deep/m{}/main.tf", i),
        fmt::format("module \"next\" {{\n  source      = \"{}\"\n  bucket_name = \"acme-{}\"\n}}\n",
                    i == 0 ? "../../modules/wrapper" : fmt::format("../m{}", i - 1), i));
    source = fmt::format("../deep/m{}", i);
  }
  repo.write("deep-root/main.tf",
             fmt::format("module \"top\" {{\n  source = \"{}\"\n}}\n", source));
  std::ostringstream out, err;
  std::istringstream in;
  const int status =
      gdl::cli::run_cli({"gd-export-lint", "check", "--format", "json",
                         (repo.path / "modules/export/main.tf").string(), "--exclude", "live/*"},
                        in, out, err);
  CAPTURE(out.str());
  CHECK(status != 2);
  CHECK(out.str().find("GD106") != std::string::npos);  // on its own: its defaults
}

TEST_CASE("one verdict: a named variable file is checked with its module") {
  // The pre-commit hook passes a changed terraform.tfvars alone: it was skipped as a file
  // without a policy, and a value that breaks the export (an empty bucket name) passed.
  TempDir dir("named-tfvars");
  std::ofstream(dir.path / "main.tf") << R"(variable "bucket" {
  type = string
}

data "aws_iam_policy_document" "lists" {
  statement {
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::${var.bucket}", "arn:aws:s3:::${var.bucket}/*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
}

resource "aws_s3_bucket_policy" "lists" {
  bucket = var.bucket
  policy = data.aws_iam_policy_document.lists.json
}
)";
  std::ofstream(dir.path / "terraform.tfvars") << "bucket = \"\"\n";
  const std::multiset<std::string> scanned = run({dir.path.string()});
  CHECK(std::any_of(scanned.begin(), scanned.end(), [](const std::string& line) {
    return line.find("GD106") != std::string::npos;
  }));
  CHECK(run({(dir.path / "terraform.tfvars").string()}) == scanned);
  // One read only with -var-file is not taken for the deployment's: said, not checked.
  fs::rename(dir.path / "terraform.tfvars", dir.path / "prod.tfvars");
  std::ostringstream out, err;
  std::istringstream in;
  gdl::cli::run_cli({"gd-export-lint", "check", "-v", (dir.path / "prod.tfvars").string()}, in, out,
                    err);
  CHECK(out.str().find("a variable file Terraform reads only when given with -var-file") !=
        std::string::npos);
  CHECK(out.str().find("GD106") == std::string::npos);
  // A variable file named that does not exist is an input that cannot be read (exit 2), as any
  // named file is, not a file without a policy.
  std::ostringstream missing_out, missing_err;
  CHECK(gdl::cli::run_cli({"gd-export-lint", "check", (dir.path / "typo.tfvars").string()}, in,
                          missing_out, missing_err) == 2);
  CHECK(run({(dir.path / "prod.tfvars").string(), (dir.path / "main.tf").string(), "--var-file",
             (dir.path / "prod.tfvars").string()}) == scanned);
}

TEST_CASE("one verdict: the order the Regions are given in changes no finding") {
  // --region names the Regions whose findings are exported, a set: the first one is not the
  // Region of a provider or stack that writes none (a key checked in it was compared with the
  // bucket's Region, GD401, in one order and not in the other). Messages list the Regions in
  // the order given, so findings are compared by rule, place and severity.
  auto findings = [](const fs::path& dir, std::string_view first, std::string_view second) {
    std::multiset<std::string> found;
    for (const std::string& line :
         run({dir.string(), "--account", "141421356237", "--region", std::string(first), "--region",
              std::string(second), "--bucket-region", "eu-west-2"})) {
      // "file:line:col RULE severity message": the first three words.
      std::size_t end = 0;
      for (int word = 0; word < 3 && end != std::string::npos; ++word)
        end = line.find(' ', end == 0 ? 0 : end + 1);
      found.insert(line.substr(0, end));
    }
    return found;
  };
  // Two default Regions, and a default with an opt-in one (af-south-1, whose exports come from
  // its regional principal: a document that grants only guardduty.amazonaws.com fails there and
  // was judged in the first Region only by the confused-deputy and key-grant checks).
  const std::pair<std::string_view, std::string_view> pairs[] = {{"us-east-1", "eu-west-2"},
                                                                 {"us-east-1", "af-south-1"}};
  std::vector<fs::path> dirs;
  for (const fs::path& root : {gdl::test::source_dir() / "testdata" / "containers",
                               gdl::test::source_dir() / "testdata" / "realworld",
                               gdl::test::source_dir() / "testdata" / "setups"}) {
    for (const auto& entry : fs::directory_iterator(root)) {
      if (entry.is_directory() && !entry.path().filename().string().starts_with("hostile"))
        dirs.push_back(entry.path());
    }
  }
  // The rules' own fixtures of the checks that simulate GuardDuty's requests per Region.
  for (const std::string_view rule : {"GD201", "GD202", "GD203", "GD205", "GD303", "GD309"}) {
    for (const auto& entry :
         fs::directory_iterator(gdl::test::source_dir() / "testdata" / std::string(rule))) {
      if (entry.is_directory()) dirs.push_back(entry.path());
    }
  }
  std::size_t compared = 0;
  for (const fs::path& dir : dirs) {
    CAPTURE(dir.string());
    for (const auto& pair : pairs) {
      CAPTURE(pair.second);
      CHECK(findings(dir, pair.first, pair.second) == findings(dir, pair.second, pair.first));
      ++compared;
    }
  }
  CHECK(compared >= 400);
}

namespace {

// The .tf modules (directories) under a real-world setup's original/ sources.
std::vector<fs::path> terraform_modules(const fs::path& original) {
  std::set<fs::path> dirs;
  for (const auto& entry : fs::recursive_directory_iterator(original)) {
    if (entry.is_regular_file() && entry.path().extension() == ".tf")
      dirs.insert(entry.path().parent_path());
  }
  return {dirs.begin(), dirs.end()};
}

}  // namespace

TEST_CASE("real-world Terraform read as written: the rendered verdict, the policies read") {
  // Each Terraform setup's original/ modules, read by the HCL reader (data sources,
  // jsonencode, templatefile, modules), must agree with the verdict reasoned on the rendered
  // policies: no error on a working setup, with its settings or with none; on a broken one,
  // with its settings, the export failures found on the rendered policies (GD2xx/GD3xx
  // errors), in .tf files. And the policies must really be read: the setup's documents are
  // simulated, not skipped.
  const auto cases = cases_under(gdl::test::source_dir() / "testdata" / "realworld");
  std::size_t modules_read = 0, broken_cases = 0;
  for (const SetupCase& c : cases) {
    if (!c.dir.filename().string().starts_with("tf-")) continue;
    CAPTURE(c.dir.string());
    const bool works = c.verdict == "works";
    std::set<std::string> rendered_failures;  // export failures (GD2xx, GD3xx)
    std::set<std::string> rendered_errors;    // every error
    for (const gdl::Diagnostic& d : lint(c, true)) {
      if (d.severity != gdl::Severity::error) continue;
      rendered_errors.insert(d.rule_id);
      if (d.rule_id.starts_with("GD2") || d.rule_id.starts_with("GD3"))
        rendered_failures.insert(d.rule_id);
    }
    std::set<std::string> tf_failures;
    std::vector<gdl::Diagnostic> tf_errors;  // with the setup's settings
    std::size_t documents = 0;
    for (const fs::path& module : terraform_modules(c.dir / "original")) {
      CAPTURE(module.string());
      std::vector<std::unique_ptr<gdl::SourceFile>> sources;
      std::vector<const gdl::SourceFile*> pointers;
      for (const auto& entry : fs::directory_iterator(module)) {
        if (entry.path().extension() != ".tf") continue;
        sources.push_back(std::make_unique<gdl::SourceFile>(entry.path().string(),
                                                            gdl::test::read_file(entry.path())));
        pointers.push_back(sources.back().get());
      }
      std::sort(pointers.begin(), pointers.end(),
                [](const auto* a, const auto* b) { return a->path() < b->path(); });
      for (const bool with_settings : {true, false}) {
        CAPTURE(with_settings);
        gdl::LintOptions options;
        // A module kept in part (no variables.tf) comes with the inputs its rendering assumed.
        if (fs::exists(c.dir / "inputs.tfvars"))
          options.terraform_inputs.push_back(
              gdl::containers::TerraformInput::file((c.dir / "inputs.tfvars").string()));
        const gdl::LintResult result =
            gdl::lint_setup(pointers, settings_of(c, with_settings), options);
        if (works) {
          const std::string errors = errors_of(result.diagnostics);
          CHECK_MESSAGE(errors.empty(), errors);
        } else if (with_settings) {
          for (const gdl::Diagnostic& d : result.diagnostics) {
            if (d.severity != gdl::Severity::error) continue;
            CHECK_MESSAGE(d.location.file.ends_with(".tf"), d.location.file);
            tf_failures.insert(d.rule_id);
            tf_errors.push_back(d);
          }
        }
        documents += result.documents.size();
      }
      ++modules_read;
    }
    CHECK_MESSAGE(documents >= 1, "no policy of " << c.dir.string() << " was read");
    if (works) continue;
    ++broken_cases;
    CHECK(!rendered_failures.empty());
    for (const std::string& rule : rendered_failures)
      CHECK_MESSAGE(tf_failures.contains(rule), rule << " found on the rendered policies only");
    // Nor more: an error the rendered policies do not have rests on how the Terraform is read
    // (a value known only when applied taken for text), unless Terraform itself would refuse
    // what is written (GD007).
    for (const gdl::Diagnostic& d : tf_errors) {
      CHECK_MESSAGE((rendered_errors.contains(d.rule_id) || d.rule_id == "GD007"),
                    d.location.file << ":" << d.location.start.line << ": " << d.rule_id << " "
                                    << d.message << " found in the Terraform only");
    }
  }
  CHECK(modules_read >= 20);
  CHECK(broken_cases >= 3);
}

TEST_CASE("CDK source named on the command line is not read as a policy; it gets a note") {
  const TempDir dir("cdk-source");
  const fs::path stack = dir.path / "stack.ts";
  std::ofstream(stack) << "import * as iam from \"aws-cdk-lib/aws-iam\";\n"
                          "key.addToResourcePolicy(new iam.PolicyStatement({\n"
                          "  effect: iam.Effect.ALLOW, actions: [\"kms:GenerateDataKey\"],\n"
                          "  principals: [new iam.ServicePrincipal(\"guardduty.amazonaws.com\")],\n"
                          "}));\n";
  CHECK(run({stack.string()}).empty());
  std::vector<std::string> args = {"gd-export-lint", "check", "-v", stack.string()};
  std::ostringstream out, err;
  std::istringstream in;
  CHECK(gdl::cli::run_cli(args, in, out, err) == 0);
  CHECK(out.str().find("cdk synth") != std::string::npos);
}

TEST_CASE("per-setup verdicts in JSON agree with every real-world setup's label") {
  // The auditor's question, "would this setup export?", answered for each labelled setup:
  // working ones "exports", broken ones "fails" or "rejected", with the errors that say why.
  std::size_t checked = 0;
  for (const SetupCase& c : cases_under(gdl::test::source_dir() / "testdata" / "realworld")) {
    if (c.verdict.empty()) continue;
    CAPTURE(c.dir.string());
    std::vector<std::string> args = {"gd-export-lint", "check", "--format", "json"};
    if (c.settings) {
      args.push_back("--config");
      args.push_back(c.settings->string());
    }
    for (const fs::path& d : c.documents) args.push_back(d.string());
    std::ostringstream out, err;
    std::istringstream in;
    gdl::cli::run_cli(args, in, out, err);
    rapidjson::Document json;
    json.Parse(out.str().c_str());
    REQUIRE(json.IsObject());
    REQUIRE(json.HasMember("setups"));
    const auto setups = json["setups"].GetArray();
    REQUIRE(setups.Size() == 1);
    const std::string verdict = setups[0]["verdict"].GetString();
    if (c.verdict == "works") {
      CHECK(verdict == "exports");
      CHECK(setups[0]["errors"].GetArray().Size() == 0);
    } else {
      CHECK(verdict != "exports");
      CHECK(setups[0]["errors"].GetArray().Size() > 0);
    }
    ++checked;
  }
  CHECK(checked >= 20);
}

TEST_CASE("a bucket GuardDuty only reads its threat lists from is not an export's") {
  // cmdlabs/cmd-tf-aws-guardduty-org: a bucket for aws_guardduty_ipset and
  // aws_guardduty_threatintelset grants guardduty.amazonaws.com s3:GetBucketAcl and reads. It is
  // not an export bucket: "exports will fail" would be false. A grant that may be meant for the
  // export (an export action, a wildcard covering one, an action we do not know) still makes
  // the document an export's, and a key policy naming GuardDuty is one whatever it grants (the
  // lists are decrypted by GuardDuty's service-linked role, never by its service principal).
  const auto bucket = [](std::string_view actions) {
    return fmt::format(R"({{"Version": "2012-10-17", "Statement": [{{
      "Effect": "Allow", "Principal": {{"Service": "guardduty.amazonaws.com"}},
      "Action": {}, "Resource": ["arn:aws:s3:::gd-threat-lists", "arn:aws:s3:::gd-threat-lists/*"]
    }}]}})",
                       actions);
  };
  const struct {
    std::string text;
    bool export_setup;
    bool errors;  // the export fails
  } rows[] = {
      {bucket(R"(["s3:GetBucketAcl", "s3:GetObject", "s3:ListBucket"])"), false, false},
      {bucket(R"("s3:GetObject*")"), false, false},
      {bucket(R"(["s3:GetObject", "s3:PutObject"])"), true, true},  // no GetBucketLocation
      {bucket(R"("s3:Get*")"), true, true},                         // no PutObject
      {bucket(R"("s3:*")"), true, false},
      {bucket(R"(["s3:GetBucketAcl", "s3:PutObjcet"])"), true, true},  // misspelt
      {bucket(R"(["S3:PUTOBJECT", "s3:getbucketlocation"])"), true, false},
      {R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Principal": {"Service": "guardduty.amazonaws.com"}, "Action": "kms:Decrypt",
          "Resource": "*"}]})",
       true, true},
  };
  for (const auto& row : rows) {
    CAPTURE(row.text);
    const gdl::SourceFile source("policy.json", row.text);
    const gdl::LintResult result = gdl::lint_setup({&source}, {});
    CHECK(result.export_setup == row.export_setup);
    CHECK(errors_of(result.diagnostics).empty() == !row.errors);
  }
  // Beside an export's bucket policy, it is not a second candidate (GD007).
  const gdl::SourceFile lists("lists.json", rows[0].text);
  const gdl::SourceFile findings(
      "findings.json", gdl::test::read_file(gdl::test::source_dir() / "examples" / "correct" /
                                            "bucket-policy.json"));
  const gdl::SourceFile key("key.json", gdl::test::read_file(gdl::test::source_dir() / "examples" /
                                                             "correct" / "key-policy.json"));
  const gdl::LintResult both = gdl::lint_setup({&findings, &key, &lists}, {});
  CHECK(both.export_setup);
  CHECK(errors_of(both.diagnostics) == "");
}

namespace {

// The rules and severities of findings, counted: what a rewrite must keep (its positions and
// wording may differ).
std::map<std::string, int> verdicts(const std::vector<gdl::Diagnostic>& diagnostics) {
  std::map<std::string, int> counts;
  for (const gdl::Diagnostic& d : diagnostics)
    ++counts[fmt::format("{} {}", d.rule_id, gdl::to_string(d.severity))];
  return counts;
}

}  // namespace

TEST_CASE("metamorphic: a setup's policies written in Terraform get the JSON's findings") {
  // Every setup with both policies (real-world and setup fixtures), as a module that sets them
  // with jsonencode(...) or a heredoc: the same rules at the same severities, with the setup's
  // settings and with none. What the Terraform reader adds or loses shows here.
  std::vector<SetupCase> cases = cases_under(gdl::test::source_dir() / "testdata" / "realworld");
  for (SetupCase& c : cases_under(gdl::test::source_dir() / "testdata" / "setups"))
    cases.push_back(std::move(c));
  std::size_t compared = 0;
  for (const SetupCase& c : cases) {
    const fs::path key = c.dir / "key-policy.json";
    const fs::path bucket = c.dir / "bucket-policy.json";
    if (!fs::exists(key) || !fs::exists(bucket)) continue;
    const std::string key_text = gdl::test::read_file(key);
    const std::string bucket_text = gdl::test::read_file(bucket);
    rapidjson::Document valid;
    if (valid.Parse(key_text.c_str()).HasParseError() ||
        valid.Parse(bucket_text.c_str()).HasParseError())
      continue;  // a syntax error is reported in the container's terms
    CAPTURE(c.dir.string());
    for (const bool with_settings : {true, false}) {
      CAPTURE(with_settings);
      const gdl::SourceFile key_json("key-policy.json", key_text);
      const gdl::SourceFile bucket_json("bucket-policy.json", bucket_text);
      const auto expected = verdicts(
          gdl::lint_setup({&key_json, &bucket_json}, settings_of(c, with_settings)).diagnostics);
      for (const bool heredoc : {false, true}) {
        CAPTURE(heredoc);
        auto policy = [&](const std::string& json) {
          return heredoc ? fmt::format("<<EOF\n{}\nEOF", gdl::escape_hcl_templates(json))
                         : fmt::format("jsonencode({})", gdl::escape_hcl_templates(json));
        };
        const gdl::SourceFile module(
            (c.dir / "tf-form" / "main.tf").string(),
            fmt::format("resource \"aws_kms_key\" \"k\" {{\n  policy = {}\n}}\n"
                        "resource \"aws_s3_bucket_policy\" \"b\" {{\n  bucket = \"x\"\n"
                        "  policy = {}\n}}\n",
                        policy(key_text), policy(bucket_text)));
        CHECK(verdicts(gdl::lint_setup({&module}, settings_of(c, with_settings)).diagnostics) ==
              expected);
        ++compared;
      }
    }
  }
  CHECK(compared >= 100);
}

TEST_CASE("one root cause, one finding: copies of one value are one finding with a bounded list") {
  // The same unknown action written 25 times in one statement: one finding, ten places listed
  // and the rest counted (330,000 copies of one value made one finding 15 MB).
  std::string actions;
  for (int i = 0; i < 25; ++i) actions += std::string(i == 0 ? "" : ", ") + "\"s3:Frobnicate\"";
  const gdl::SourceFile source(
      "p.json",
      fmt::format(R"({{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", )"
                  R"("Principal": {{"AWS": "arn:aws:iam::382910475620:root"}}, "Action": [{}], )"
                  R"("Resource": "arn:aws:s3:::b/*"}}]}})",
                  actions));
  const gdl::LintResult result = gdl::lint_setup({&source}, {});
  std::size_t findings = 0;
  for (const gdl::Diagnostic& d : result.diagnostics) {
    if (d.rule_id != "GD105") continue;
    ++findings;
    const auto listed = std::count_if(d.notes.begin(), d.notes.end(), [](const std::string& n) {
      return n.starts_with("the same value is written again at");
    });
    CHECK(listed == 10);
    CHECK(std::find(d.notes.begin(), d.notes.end(), "and 14 more places with the same value") !=
          d.notes.end());
  }
  CHECK(findings == 1);
}

TEST_CASE("near account ids: one or two edits apart, never the same id or a far one") {
  struct Row {
    std::string_view a;
    std::string_view b;
    std::string_view expected;
  };
  const Row rows[] = {
      {"818899930947", "818809930947", "one edit"},   // a digit changed
      {"123456789012", "213456789012", "one edit"},   // two neighbours swapped
      {"026090552251", "260990552251", "two edits"},  // a digit dropped, another added
      {"123456789012", "12345678901", "one edit"},    // a digit dropped (not an id: still near)
      {"123456789012", "123456789012", ""},           // the same account
      {"719283746501", "550194837261", ""},           // two accounts
      {"123456789012", "123456780000", ""},           // three edits
  };
  for (const Row& row : rows) {
    CAPTURE(row.a);
    CAPTURE(row.b);
    CHECK(gdl::support::typo_apart(row.a, row.b) == row.expected);
    CHECK(gdl::support::typo_apart(row.b, row.a) == row.expected);
  }
}

TEST_CASE("metamorphic: accounts in one source list only, however the grant is written") {
  // A key policy whose GuardDuty grant lists two member accounts in aws:SourceAccount and the
  // detectors of two others (each a typo of one of them) in aws:SourceArn. Rewrites AWS evaluates
  // the same way must name the same accounts in one GD312 finding.
  const std::string root =
      R"({"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::516172020428:root"},"Action":"kms:*","Resource":"*"})";
  auto policy = [&](const std::string& condition) {
    return fmt::format(
        R"({{"Version":"2012-10-17","Statement":[{},{{"Sid":"Members","Effect":"Allow","Principal":{{"Service":"guardduty.amazonaws.com"}},"Action":"kms:GenerateDataKey","Resource":"*","Condition":{}}}]}})",
        root, condition);
  };
  const std::string accounts = R"(["516172020428","260990552251","818899930947"])";
  const std::string reversed = R"(["818899930947","260990552251","516172020428"])";
  const std::string arns =
      R"(["arn:aws:guardduty:*:516172020428:detector/*","arn:aws:guardduty:*:026090552251:detector/*","arn:aws:guardduty:*:818809930947:detector/*"])";
  const std::string rewrites[] = {
      policy(fmt::format(
          R"({{"StringEquals":{{"aws:SourceAccount":{}}},"ArnLike":{{"aws:SourceArn":{}}}}})",
          accounts, arns)),
      // The lists in another order, and the ARN patterns under StringLike.
      policy(fmt::format(
          R"({{"StringLike":{{"aws:SourceArn":{}}},"StringEquals":{{"aws:SourceAccount":{}}}}})",
          arns, reversed)),
      // Condition keys are case-insensitive.
      policy(fmt::format(
          R"({{"StringEquals":{{"AWS:SOURCEACCOUNT":{}}},"ArnLike":{{"aws:sourcearn":{}}}}})",
          accounts, arns)),
  };
  for (const std::string& text : rewrites) {
    CAPTURE(text);
    const fs::path dir = fs::temp_directory_path() / fmt::format("gdl-unpaired-{}", ::getpid());
    fs::create_directories(dir);
    std::ofstream(dir / "key-policy.json") << text;
    std::istringstream in;
    std::ostringstream out;
    std::ostringstream err;
    gdl::cli::run_cli(
        {"gd-export-lint", "check", "--format", "json", "--fail-on", "never", dir.string()}, in,
        out, err, false);
    fs::remove_all(dir);
    rapidjson::Document d;
    d.Parse(out.str().c_str());
    REQUIRE_FALSE(d.HasParseError());
    std::vector<std::string> messages;
    for (const auto& f : d["diagnostics"].GetArray()) {
      if (std::string_view(f["ruleId"].GetString()) == "GD312")
        messages.emplace_back(f["message"].GetString());
    }
    REQUIRE(messages.size() == 1);
    for (const char* account : {"260990552251", "818899930947", "026090552251", "818809930947"})
      CHECK(messages.front().find(account) != std::string::npos);
    CHECK(messages.front().find("516172020428") == std::string::npos);
  }
}
