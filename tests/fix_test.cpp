// `check --fix` and `--diff`: edits applied as bytes, diffs that `patch` applies, and on every
// fixture with fixes, rounds that converge without a new error.

#include "analysis/fix.h"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/check.h"
#include "cli/cli.h"
#include "diag/rule_catalog.h"
#include "export/settings.h"
#include "source/source_file.h"
#include "test_support.h"
#include "util/diff.h"

namespace fs = std::filesystem;

namespace {

gdl::TextEdit edit(std::size_t begin, std::size_t end, std::string replacement) {
  gdl::TextEdit e;
  e.location.span = {begin, end};
  e.replacement = std::move(replacement);
  return e;
}

void write(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// A fresh directory under the system's temporary directory, removed at the end of the scope.
struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / fmt::format("gdl-fix-{}-{}", ::getpid(), counter()++);
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  static int& counter() {
    static int n = 0;
    return n;
  }
};

// Runs the CLI in `dir`; its standard output goes to `out`, its standard error to `err`.
int run(const fs::path& dir, std::vector<std::string> args, std::string& out, std::string& err) {
  const gdl::test::CurrentDirectory here(dir);
  args.insert(args.begin(), "gd-export-lint");
  std::ostringstream o, e;
  std::istringstream in;
  const int code = gdl::cli::run_cli(args, in, o, e);
  out = o.str();
  err = e.str();
  return code;
}

int run(const fs::path& dir, std::vector<std::string> args, std::string& out) {
  std::string ignored;
  return run(dir, std::move(args), out, ignored);
}

}  // namespace

TEST_CASE("apply_edits: byte edits in order, insertions at one place kept in order, CRLF kept") {
  struct Case {
    const char* name;
    std::string text;
    std::vector<gdl::TextEdit> edits;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"replace", "abcdef", {edit(1, 3, "XY")}, "aXYdef"},
      {"unsorted", "abcdef", {edit(4, 5, "E"), edit(0, 1, "A")}, "AbcdEf"},
      {"two insertions at one place", "ab", {edit(1, 1, "1"), edit(1, 1, "2")}, "a12b"},
      {"of two new lines at one place the deeper first (YAML: the last item's key, then a new "
       "item)",
       "- a: 1\n",
       {edit(6, 6, "\n- b: 2"), edit(6, 6, "\n  c: 3")},
       "- a: 1\n  c: 3\n- b: 2\n"},
      {"an insertion where a replacement starts goes before it (both apply)",
       "abc",
       {edit(1, 2, "B"), edit(1, 1, "+")},
       "a+Bc"},
      {"text continuing the line goes before new lines at that place",
       "x",
       {edit(1, 1, "\n  y"), edit(1, 1, ", z")},
       "x, z\n  y"},
      {"new lines at one place with one indentation keep their order",
       "x",
       {edit(1, 1, "\n  2"), edit(1, 1, "\n  1")},
       "x\n  2\n  1"},
      {"insert at end", "ab", {edit(2, 2, "!")}, "ab!"},
      {"overlapping edit is skipped", "abcdef", {edit(0, 3, "X"), edit(2, 4, "Y")}, "Xdef"},
      {"beyond the text is skipped", "ab", {edit(1, 9, "X")}, "ab"},
      {"CRLF file",
       "{\r\n  \"a\": 1\r\n}",
       {edit(13, 13, ",\n  \"b\": 2\n")},
       "{\r\n  \"a\": 1\r\n,\r\n  \"b\": 2\r\n}"},
      {"LF file keeps LF", "{\n}", {edit(1, 1, "\n x")}, "{\n x\n}"},
      // Lone CR (classic Mac OS), which every reader takes as a line break: kept too (new lines
      // ended in LF in such a file, a mix its editor shows as one line).
      {"CR file keeps CR",
       "{\r  \"a\": 1\r}",
       {edit(11, 11, ",\n  \"b\": 2\n")},
       "{\r  \"a\": 1\r,\r  \"b\": 2\r}"},
      {"a replacement's own CRLF is kept", "{\r\n}", {edit(3, 3, "\r\n x")}, "{\r\n\r\n x}"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(gdl::analysis::apply_edits(c.text, c.edits) == c.expected);
  }
}

TEST_CASE("unified_diff output is applied by patch -p1 to give the new text") {
  struct Case {
    const char* name;
    std::string before;
    std::string after;
  };
  std::string long_text;
  for (int i = 0; i < 40; ++i) long_text += fmt::format("line {}\n", i);
  std::string long_changed = long_text;
  long_changed.replace(long_changed.find("line 3\n"), 7, "line three\n");
  long_changed.replace(long_changed.find("line 30\n"), 8, "line 30\nadded\n");
  const std::vector<Case> cases = {
      {"one line", "a\nb\nc\n", "a\nB\nc\n"},   {"two hunks", long_text, long_changed},
      {"no newline at end", "a\nb", "a\nb\nc"}, {"insert at start", "x\ny\n", "new\nx\ny\n"},
      {"delete everything", "x\n", ""},         {"CRLF", "{\r\n}\r\n", "{\r\n  \"a\": 1\r\n}\r\n"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const std::string diff = gdl::unified_diff(c.before, c.after, "a/f.txt", "b/f.txt");
    REQUIRE_FALSE(diff.empty());
    const TempDir dir;
    write(dir.path / "f.txt", c.before);
    write(dir.path / "p.diff", diff);
    const std::string command =
        fmt::format("cd '{}' && patch -s -p1 < p.diff > /dev/null 2>&1", dir.path.string());
    REQUIRE(std::system(command.c_str()) == 0);
    CHECK(gdl::test::read_file(dir.path / "f.txt") == c.after);
  }
  CHECK(gdl::unified_diff("same\n", "same\n", "a", "b").empty());
}

namespace {

// The (file, rule) pairs of errors: a fix may change an error's words (the closest statement
// now differs in another way), not add an error of another rule or in another file.
std::set<std::pair<std::string, std::string>> errors_of(const gdl::Report& report) {
  std::set<std::pair<std::string, std::string>> errors;
  for (const gdl::Diagnostic& d : report.diagnostics) {
    if (d.severity == gdl::Severity::error)
      errors.emplace(fs::path(d.location.file).filename().string(), d.rule_id);
  }
  return errors;
}

// Errors about the document itself (syntax, grammar: GD0xx, GD1xx), which AWS rejects.
bool document_error(const std::pair<std::string, std::string>& error) {
  return error.second.starts_with("GD0") || error.second.starts_with("GD1");
}

struct FixtureCase {
  fs::path root;                    // copied to a temporary directory
  std::vector<std::string> inputs;  // relative to root
  std::string settings;             // export-settings.json, when there is one
  bool setup = false;               // a setup directory (copied whole), else one file
};

std::vector<FixtureCase> fixture_cases() {
  const fs::path testdata = gdl::test::source_dir() / "testdata";
  std::vector<FixtureCase> cases;
  for (const auto& entry : fs::recursive_directory_iterator(testdata)) {
    if (!entry.is_regular_file()) continue;
    const fs::path path = entry.path();
    const fs::path dir = path.parent_path();
    const std::string rel = path.lexically_relative(testdata).string();
    if (rel.find("/original/") != std::string::npos || rel.starts_with("schemas")) continue;
    if (path.filename() == "case.expect") {
      FixtureCase c{dir, {}, {}, true};
      for (const auto& file : fs::directory_iterator(dir)) {
        const fs::path ext = file.path().extension();
        const std::string name = file.path().filename().string();
        if (name == "export-settings.json") {
          c.settings = name;
        } else if (ext == ".json" || ext == ".yaml" || ext == ".yml" || ext == ".tf") {
          c.inputs.push_back(name);
        }
      }
      std::sort(c.inputs.begin(), c.inputs.end());
      if (!c.inputs.empty()) cases.push_back(std::move(c));
    } else if (path.extension() == ".json" && !fs::exists(dir / "case.expect") &&
               fs::exists(fs::path(path).replace_extension(".expect"))) {
      cases.push_back({dir, {path.filename().string()}, {}, false});
    }
  }
  std::sort(cases.begin(), cases.end(), [](const FixtureCase& a, const FixtureCase& b) {
    return std::pair(a.root, a.inputs) < std::pair(b.root, b.inputs);
  });
  return cases;
}

}  // namespace

TEST_CASE("--fix on every fixture with fixes converges within three rounds without a new error") {
  const auto cases = fixture_cases();
  REQUIRE(cases.size() >= 100);
  std::size_t with_fixes = 0;
  std::size_t fixed_total = 0;
  for (const bool unsafe : {false, true}) {
    for (const FixtureCase& c : cases) {
      const std::string name =
          fmt::format("{}/{}{}", c.root.filename().string(),
                      c.inputs.size() == 1 ? c.inputs[0] : "", unsafe ? " (unsafe)" : "");
      CAPTURE(name);
      const TempDir dir;
      if (c.setup) {
        fs::copy(c.root, dir.path, fs::copy_options::recursive);
      } else {
        fs::copy(c.root / c.inputs.front(), dir.path / c.inputs.front());
      }
      const gdl::test::CurrentDirectory here(dir.path);
      gdl::LintOptions options;
      gdl::analysis::CheckRequest request;
      request.paths = c.inputs;
      request.options = &options;
      request.jobs = 1;
      if (!c.settings.empty()) {
        const gdl::SourceFile config(c.settings, gdl::test::read_file(c.settings));
        request.settings = gdl::exportcfg::read_config(config).settings;
        options.export_declared = true;
      }
      std::vector<std::string> before_texts;
      for (const std::string& input : c.inputs) before_texts.push_back(gdl::test::read_file(input));

      gdl::Report before;
      gdl::analysis::check(request, before);
      for (const gdl::InputError& e : before.input_errors) FAIL_CHECK(e.path << ": " << e.message);
      const bool has_fixes =
          std::any_of(before.diagnostics.begin(), before.diagnostics.end(),
                      [](const gdl::Diagnostic& d) { return d.fix && !d.fix->edits.empty(); });
      for (const gdl::Diagnostic& d : before.diagnostics) {
        if (!d.fix || d.fix->edits.empty()) continue;
        const gdl::RuleInfo* rule = gdl::find_rule(d.rule_id);
        REQUIRE(rule != nullptr);
        CHECK_MESSAGE(rule->fix_kind != gdl::FixKind::none,
                      d.rule_id << " makes fixes but declares fixKind none");
      }
      if (!has_fixes) continue;
      if (unsafe) ++with_fixes;

      gdl::Report after;
      const gdl::analysis::FixOutcome outcome =
          gdl::analysis::check_and_fix(request, {.unsafe = unsafe, .write = true}, after);
      fixed_total += outcome.fixed.size();
      CHECK(outcome.errors.empty());
      CHECK(outcome.converged);
      CHECK(outcome.rounds <= 3);
      // A document AWS rejects is not simulated: repairing it reveals what its statements
      // do. So in a file that had a document error, only a new document error counts as new.
      const auto old_errors = errors_of(before);
      for (const auto& error : errors_of(after)) {
        const bool was_rejected = std::any_of(
            old_errors.begin(), old_errors.end(),
            [&](const auto& old) { return old.first == error.first && document_error(old); });
        if (was_rejected && !document_error(error)) continue;
        CHECK_MESSAGE(old_errors.count(error) == 1,
                      "the fixes introduced " << error.second << " in " << error.first);
      }
      // What was written is what the last round checked: checking the files again agrees.
      gdl::Report again;
      gdl::analysis::check(request, again);
      CHECK(errors_of(again) == errors_of(after));
      CHECK(again.diagnostics.size() == after.diagnostics.size());
      // Only the named inputs changed, and only those with applied fixes.
      for (const gdl::analysis::ChangedFile& file : outcome.files) {
        CHECK(std::find(c.inputs.begin(), c.inputs.end(), fs::path(file.path).string()) !=
              c.inputs.end());
      }
      if (!unsafe) {
        for (const gdl::analysis::FixedFinding& f : outcome.fixed) {
          const gdl::RuleInfo* rule = gdl::find_rule(f.rule_id);
          CHECK((rule != nullptr && rule->fix_kind == gdl::FixKind::safe));
        }
      }
    }
  }
  CHECK(with_fixes >= 50);
  CHECK(fixed_total >= 100);
}

TEST_CASE("a Deny that blocks GuardDuty gets an exception for GuardDuty, and stays a Deny") {
  const fs::path fixture =
      gdl::test::source_dir() / "testdata/GD309/org-guardrail-blocks-guardduty";
  const TempDir dir;
  fs::copy(fixture, dir.path, fs::copy_options::recursive);
  const gdl::test::CurrentDirectory here(dir.path);
  const std::string before = gdl::test::read_file("bucket-policy.json");
  gdl::LintOptions options;
  gdl::analysis::CheckRequest request;
  request.paths = {"bucket-policy.json", "key-policy.json"};
  request.options = &options;
  if (fs::exists("export-settings.json")) {
    const gdl::SourceFile config("export-settings.json",
                                 gdl::test::read_file("export-settings.json"));
    request.settings = gdl::exportcfg::read_config(config).settings;
    options.export_declared = true;
  }
  auto count = [](const gdl::Report& report, std::string_view rule) {
    return std::count_if(report.diagnostics.begin(), report.diagnostics.end(),
                         [&](const gdl::Diagnostic& d) { return d.rule_id == rule; });
  };
  gdl::Report initial;
  gdl::analysis::check(request, initial);
  REQUIRE(count(initial, "GD309") >= 1);
  gdl::Report after;
  const auto outcome = gdl::analysis::check_and_fix(request, {.unsafe = true}, after);
  CHECK(count(after, "GD309") == 0);
  const std::string fixed = gdl::test::read_file("bucket-policy.json");
  CHECK(fixed.find("\"aws:PrincipalServiceName\": \"guardduty.amazonaws.com\"") !=
        std::string::npos);
  // Every statement of the old policy is still there: the Deny was narrowed, not deleted.
  CHECK(std::count(fixed.begin(), fixed.end(), '{') >
        std::count(before.begin(), before.end(), '{'));
  CHECK(fixed.find("\"Effect\": \"Deny\"") != std::string::npos);
  CHECK(outcome.converged);
}

TEST_CASE("check --diff writes nothing, and patch -p1 of its output gives what --fix writes") {
  const fs::path examples = gdl::test::source_dir() / "examples/broken";
  const TempDir diffed;
  const TempDir fixed;
  for (const TempDir* dir : {&diffed, &fixed}) {
    fs::create_directories(dir->path / "broken");
    fs::copy(examples, dir->path / "broken", fs::copy_options::recursive);
  }
  const std::string before = gdl::test::read_file(diffed.path / "broken/key-policy.json");
  std::string patch;
  CHECK(run(diffed.path, {"check", "broken", "--diff", "--unsafe-fixes"}, patch) == 1);
  REQUIRE(patch.find("--- a/broken/") != std::string::npos);
  // Nothing was written.
  CHECK(gdl::test::read_file(diffed.path / "broken/key-policy.json") == before);
  write(diffed.path / "fixes.diff", patch);
  const std::string apply =
      fmt::format("cd '{}' && patch -s -p1 < fixes.diff > /dev/null 2>&1", diffed.path.string());
  REQUIRE(std::system(apply.c_str()) == 0);
  std::string report;
  CHECK(run(fixed.path, {"check", "broken", "--fix", "--unsafe-fixes"}, report) == 1);
  CHECK(report.find("fixed broken/") != std::string::npos);
  for (const char* file : {"key-policy.json", "bucket-policy.json", "pasted-statement.json"}) {
    CAPTURE(file);
    CHECK(gdl::test::read_file(diffed.path / "broken" / file) ==
          gdl::test::read_file(fixed.path / "broken" / file));
  }
  CHECK(gdl::test::read_file(fixed.path / "broken/key-policy.json") != before);
  // Safe fixes alone touch only what keeps the meaning: the unsafe ones are listed, not applied.
  const TempDir safe;
  fs::create_directories(safe.path / "broken");
  fs::copy(examples, safe.path / "broken", fs::copy_options::recursive);
  CHECK(run(safe.path, {"check", "broken", "--fix"}, report) == 1);
  CHECK(report.find("--unsafe-fixes applies it") != std::string::npos);
  CHECK(gdl::test::read_file(safe.path / "broken/key-policy.json") == before);
}

TEST_CASE("--fix on real Terraform modules as written (HCL blocks, jsonencode) converges cleanly") {
  const fs::path realworld = gdl::test::source_dir() / "testdata/realworld";
  std::size_t modules = 0, fixed_modules = 0;
  for (const auto& entry : fs::directory_iterator(realworld)) {
    const fs::path setup = entry.path();
    if (!setup.filename().string().starts_with("tf-") || !fs::exists(setup / "original")) continue;
    std::set<fs::path> module_dirs;
    for (const auto& file : fs::recursive_directory_iterator(setup / "original")) {
      if (file.is_regular_file() && file.path().extension() == ".tf")
        module_dirs.insert(file.path().parent_path().lexically_relative(setup / "original"));
    }
    for (const fs::path& module : module_dirs) {
      CAPTURE(setup.filename().string());
      CAPTURE(module.string());
      const TempDir dir;
      fs::copy(setup / "original", dir.path, fs::copy_options::recursive);
      const gdl::test::CurrentDirectory here(dir.path / module);
      gdl::LintOptions options;
      if (fs::exists(setup / "inputs.tfvars"))
        options.terraform_inputs.push_back(
            gdl::containers::TerraformInput::file((setup / "inputs.tfvars").string()));
      gdl::analysis::CheckRequest request;
      for (const auto& file : fs::directory_iterator(".")) {
        if (file.path().extension() == ".tf")
          request.paths.push_back(file.path().filename().string());
      }
      std::sort(request.paths.begin(), request.paths.end());
      request.options = &options;
      request.jobs = 1;
      if (fs::exists(setup / "export-settings.json")) {
        const gdl::SourceFile config("export-settings.json",
                                     gdl::test::read_file(setup / "export-settings.json"));
        request.settings = gdl::exportcfg::read_config(config).settings;
        options.export_declared = true;
      }
      gdl::Report before;
      gdl::analysis::check(request, before);
      gdl::Report after;
      const auto outcome = gdl::analysis::check_and_fix(request, {.unsafe = true}, after);
      ++modules;
      if (!outcome.files.empty()) ++fixed_modules;
      CHECK(outcome.errors.empty());
      CHECK(outcome.converged);
      CHECK(outcome.rounds <= 3);
      const auto old_errors = errors_of(before);
      for (const auto& error : errors_of(after)) {
        CHECK_MESSAGE(old_errors.count(error) == 1,
                      "the fixes introduced " << error.second << " in " << error.first);
      }
      // Every fixed file still reads: no reader finding (GD007) more than before.
      auto readers = [](const gdl::Report& r) {
        return std::count_if(r.diagnostics.begin(), r.diagnostics.end(),
                             [](const gdl::Diagnostic& d) { return d.rule_id == "GD007"; });
      };
      CHECK(readers(after) <= readers(before));
    }
  }
  CHECK(modules >= 20);
  CHECK(fixed_modules >= 3);
}

TEST_CASE("--fix never deletes words on a guess that they are stray; --unsafe-fixes does") {
  // "remove the stray text" is a repair of GD001 (a safe rule): applied as safe, it turned
  // `"Version"2012-10-17",` into `"Version":2012,` and lost the user's date.
  const TempDir dir;
  const std::string text =
      "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [] stray words\n}\n";
  write(dir.path / "p.json", text);
  std::string out;
  run(dir.path, {"check", "--fix", "p.json"}, out);
  CHECK(gdl::test::read_file(dir.path / "p.json") == text);
  CHECK(out.find("it deletes text you wrote on a guess that it is stray") != std::string::npos);
  run(dir.path, {"check", "--fix", "--unsafe-fixes", "p.json"}, out);
  CHECK(gdl::test::read_file(dir.path / "p.json").find("stray words") == std::string::npos);
}

// A file name is text from the repository, not from the user: in a diff header a newline in it
// began a header line of its own and an escape sequence reached the terminal; the fix summary
// printed it raw too. Quoted as git quotes it (GNU patch reads that), escaped in the summary.
TEST_CASE("--diff and --fix write hostile file names quoted, and patch -p1 still applies") {
  const TempDir dir;
  const std::string hostile = "x\n+++ b:evil\x1b[2J.json";
  fs::create_directories(dir.path / "d");
  const std::string broken =
      "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\" \"Action\": "
      "\"s3:GetObject\", \"Resource\": \"*\", \"Principal\": \"*\"}]}\n";
  write(dir.path / "d" / hostile, broken);
  write(dir.path / "d" / "with space.json", broken);  // patch takes an unquoted name to a blank
  std::string patch;
  run(dir.path, {"check", "d", "--diff"}, patch);
  CHECK(patch.find("--- \"a/d/x\\n+++ b:evil\\033[2J.json\"\n") != std::string::npos);
  CHECK(patch.find('\x1b') == std::string::npos);
  CHECK(patch.find("\n+++ b:evil") == std::string::npos);
  write(dir.path / "fixes.diff", patch.substr(0, patch.find("would fix")));
  const std::string apply =
      fmt::format("cd '{}' && patch -s -p1 < fixes.diff > /dev/null 2>&1", dir.path.string());
  CHECK(std::system(apply.c_str()) == 0);
  CHECK(gdl::test::read_file(dir.path / "d" / hostile).find("\"Allow\", \"Action\"") !=
        std::string::npos);
  CHECK(gdl::test::read_file(dir.path / "d" / "with space.json").find("\"Allow\", \"Action\"") !=
        std::string::npos);
  write(dir.path / "d" / hostile, broken);  // broken again: --fix has a finding to fix
  std::string report;
  std::string summary;
  run(dir.path, {"check", "d", "--fix"}, report, summary);
  CHECK((report + summary).find("fixed d/x\\x0a+++ b:evil\\x1b[2J.json") != std::string::npos);
  CHECK(report.find('\x1b') == std::string::npos);
  CHECK(summary.find('\x1b') == std::string::npos);
}

// A file --fix cannot write (here its temporary file cannot be created: a directory is in the
// way, which stops root too) leaves the others written and the report whole: of the files as they
// are now, the unwritten one keeping its findings, and exit 2. It used to leave no report at all.
TEST_CASE("--fix that cannot write one file still writes the others and the whole report") {
  const TempDir dir;
  const std::string broken =
      "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\" \"Action\": "
      "\"s3:GetObject\", \"Resource\": \"*\", \"Principal\": \"*\"}]}\n";
  for (const char* sub : {"a", "b"}) {
    fs::create_directories(dir.path / sub);
    write(dir.path / sub / "p.json", broken);
  }
  fs::create_directories(dir.path / "a" / "p.json.gd-export-lint.tmp");
  std::string report;
  std::string err;
  CHECK(run(dir.path, {"check", "--fix", "-f", "json", "a/p.json", "b/p.json"}, report, err) == 2);
  CHECK(gdl::test::read_file(dir.path / "a/p.json") == broken);
  CHECK(gdl::test::read_file(dir.path / "b/p.json") != broken);
  CHECK(err.find("cannot write a/p.json") != std::string::npos);
  CHECK(report.find("\"file\": \"a/p.json\"") != std::string::npos);  // its GD001, still there
  CHECK(err.find("fixed b/p.json") != std::string::npos);
  CHECK(err.find("not fixed a/p.json:1:") != std::string::npos);
}

// A file nobody may write (0444) is not replaced by --fix, even by root (which can, and the file
// changed owner): an editor does not without being forced.
TEST_CASE("--fix leaves a read-only file as it is, and says so") {
  const TempDir dir;
  const std::string broken =
      "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\" \"Action\": "
      "\"s3:GetObject\", \"Resource\": \"*\", \"Principal\": \"*\"}]}\n";
  write(dir.path / "p.json", broken);
  fs::permissions(dir.path / "p.json",
                  fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  std::string report;
  std::string err;
  CHECK(run(dir.path, {"check", "--fix", "p.json"}, report, err) == 2);
  CHECK(err.find("cannot write p.json: it is read-only") != std::string::npos);
  CHECK(gdl::test::read_file(dir.path / "p.json") == broken);
  fs::permissions(dir.path / "p.json", fs::perms::owner_write, fs::perm_options::add);
}

// The report of a --fix run is the fixed files' report, the setups' verdicts included: JSON
// listed none (the last round's verdicts were dropped), and init --merge could not tell which
// files held the export's policies.
TEST_CASE("--fix -f json lists the setups' verdicts of the fixed files") {
  const TempDir dir;
  fs::create_directories(dir.path / "broken");
  fs::copy(gdl::test::source_dir() / "examples/broken", dir.path / "broken",
           fs::copy_options::recursive);
  std::string report;
  run(dir.path, {"check", "broken", "--fix", "-f", "json"}, report);
  CHECK(report.find("\"setups\": [") != std::string::npos);
  CHECK(report.find("\"verdict\": \"fails\"") != std::string::npos);
}
