// The streamed plan (one directory planned as it is walked) against the whole plan: the same
// items in the same order, each listing no path below the bound given before it, and the same
// report from `check`, on a tree built to break it: names that sort differently with and
// without the '/' after a directory ("a", "a-b", "a.c", "a/b"), links to files before and after
// their targets, a directory whose only file is a second spelling, modules called through
// chains and cycles, a configured setup, excluded and unreadable directories, files read
// through templatefile().

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "analysis/check.h"
#include "analysis/discover.h"
#include "analysis/setup_plan.h"
#include "containers/container.h"
#include "source/loader.h"
#include "test_support.h"

namespace fs = std::filesystem;

namespace {

class Tree {
 public:
  explicit Tree(std::string_view name)
      : root_(fs::temp_directory_path() / fmt::format("gdl-{}-{}", name, ::getpid())) {
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  ~Tree() {
    std::error_code ec;
    fs::permissions(root_ / "locked", fs::perms::owner_all, ec);
    fs::remove_all(root_, ec);
  }
  Tree(const Tree&) = delete;
  Tree& operator=(const Tree&) = delete;

  void file(const std::string& relative, std::string_view text) const {
    fs::create_directories((root_ / relative).parent_path());
    std::ofstream(root_ / relative) << text;
  }
  void copy(const fs::path& from, const std::string& relative) const {
    fs::create_directories((root_ / relative).parent_path());
    fs::copy(from, root_ / relative, fs::copy_options::recursive);
  }
  void link(const fs::path& target, const std::string& relative) const {
    fs::create_directories((root_ / relative).parent_path());
    fs::create_symlink(target, root_ / relative);
  }
  [[nodiscard]] const fs::path& root() const { return root_; }

 private:
  fs::path root_;
};

// A check of `paths` as `check` runs it, planned whole or as walked.
gdl::Report run_check(std::vector<std::string> paths, const gdl::analysis::ProjectConfig* project,
                      unsigned jobs, bool streamed, bool keep_verdicts = true) {
  gdl::LintOptions options;
  gdl::analysis::CheckRequest request;
  request.paths = std::move(paths);
  request.options = &options;
  request.project = project;
  request.jobs = jobs;
  request.stream_plan = streamed;
  request.keep_verdicts = keep_verdicts;
  gdl::Report report;
  gdl::analysis::check(request, report);
  return report;
}

gdl::analysis::TerraformFile read_module_file(const std::string& path) {
  return gdl::analysis::read_module_file(path, gdl::kDefaultMaxInputBytes);
}

std::string describe(const gdl::analysis::WorkItem& item) {
  std::string text = item.label;
  if (item.configured) text += fmt::format(" (configured {})", *item.configured);
  for (const std::string_view path : item.paths) text += fmt::format("\n  {}", path);
  for (const std::string& read : item.reads) text += fmt::format("\n  reads {}", read);
  return text;
}

gdl::analysis::ScanOptions scan_options() {
  gdl::analysis::ScanOptions options;
  options.exclude = {"skipped/**"};
  return options;
}

// The tree: every kind of name, link and module the plan treats apart, with real policies.
void build(const Tree& tree) {
  const fs::path examples = gdl::test::source_dir() / "examples";
  const fs::path containers = gdl::test::source_dir() / "testdata" / "containers";
  tree.copy(examples / "broken", "a");
  tree.copy(examples / "correct", "a-b");
  tree.copy(examples / "correct", "a/b");
  tree.copy(examples / "broken", "a.c");
  tree.file("a.json", R"({"Version": "2012-10-17", "Statement": []})");
  tree.file("a/b-c/v.json", "{}");
  tree.file("a/b/c/d/deep.json", R"({"Statement": [{"Effect": "Allow"}]})");
  tree.file("ab/u.json", R"({"Version": "2012-10-17", "Statement": [}])");
  tree.file("a b/t.json", "{}");
  tree.file("a-/q.json", "{}");
  tree.file("notes/readme.txt", "not a policy");
  tree.file(".git/config.json", "{}");
  tree.file("skipped/me.json", "{}");
  fs::create_directories(tree.root() / "empty");
  // Links: after their target, before it, two to one file, to nothing, outside the tree.
  tree.link(tree.root() / "a-b" / "key-policy.json", "a/link-after.json");
  tree.link(tree.root() / "ab" / "u.json", "a-/link-before.json");
  tree.link(tree.root() / "ab" / "u.json", "zz/second-link.json");
  tree.link(tree.root() / "nowhere.json", "zz/dangling.json");
  tree.link(examples / "correct" / "key-policy.json", "zz/outside.json");
  tree.link(tree.root() / "a.json", "onlylink/l.json");  // its directory holds nothing else
  // Modules: a chain, a module with a policy beside it, a cycle, one nobody calls.
  tree.file("env/prod/main.tf", "module \"kms\" {\n  source = \"../../modules/kms\"\n}\n");
  tree.file("modules/kms/main.tf", "module \"inner\" {\n  source = \"../inner\"\n}\n");
  tree.copy(examples / "correct" / "key-policy.json", "modules/kms/key-policy.json");
  tree.file("modules/inner/main.tf", "variable \"x\" {}\n");
  tree.file("cyc1/main.tf", "module \"b\" {\n  source = \"../cyc2\"\n}\n");
  tree.file("cyc2/main.tf", "module \"a\" {\n  source = \"../cyc1\"\n}\n");
  tree.file("modules/kms-extra/main.tf", "variable \"y\" {}\n");
  // Terraform's JSON syntax: a root that only calls a module, a module mixing both syntaxes.
  tree.file("json-root/cdk.tf.json", R"({"module": {"m": {"source": "../json-mod"}}})");
  tree.file("json-mod/main.tf", "variable \"x\" {}\n");
  tree.file("json-mod/vars.tf.json", R"({"variable": {"y": {}}})");
  tree.copy(examples / "correct" / "key-policy.json", "json-mod/key-policy.json");
  tree.copy(containers / "cfn-json-stack-broken" / "stack.json", "json-mod/stack.tf.json");
  // Real containers: a module call with its module below, a template read by templatefile().
  tree.copy(containers / "tf-module-count-output", "tf/count");
  tree.copy(containers / "tf-module-templatefile-broken", "tf/templatefile");
  tree.copy(containers / "cfn-yaml-stack-broken", "cfn");
  // A policy that a module below it also reads through templatefile(): its findings from the
  // module come after the scanned files, however far the scan has got.
  const fs::path templated = containers / "tf-module-templatefile-broken";
  tree.copy(templated / "bucket-policy.json.tpl", "tpl/0.json");
  tree.copy(examples / "broken" / "key-policy.json", "tpl/key-policy.json");
  std::string call = gdl::test::read_file(templated / "main.tf");
  const std::string reads = "${path.module}/bucket-policy.json.tpl";
  REQUIRE(call.find(reads) != std::string::npos);
  call.replace(call.find(reads), reads.size(), "${path.module}/../0.json");
  tree.file("tpl/m/main.tf", call);
  // A module that reads, through templatefile(), a policy the scan lists elsewhere: the findings
  // both make on it are written once.
  std::string reads_scanned = gdl::test::read_file(templated / "main.tf");
  reads_scanned.replace(reads_scanned.find(reads), reads.size(),
                        "${path.module}/../../b/bucket-policy.json");
  tree.file("dup/a/m/main.tf", reads_scanned);
  tree.copy(examples / "broken" / "bucket-policy.json", "dup/b/bucket-policy.json");
  // A directory whose .tf files are not adjacent in the walk ("a.tf" < "b/" < "c.tf"), one of
  // them calling the module in between.
  tree.copy(templated / "main.tf", "split/a.tf");
  tree.copy(templated / "bucket-policy.json.tpl", "split/bucket-policy.json.tpl");
  tree.file("split/c.tf", "module \"key\" {\n  source = \"./b\"\n}\n");
  tree.copy(containers / "tf-module-local-module-optin" / "modules" / "key" / "main.tf",
            "split/b/main.tf");
  // The last directory's findings come before those of the template read by templatefile()
  // (a file no item lists goes last).
  tree.copy(examples / "broken", "zzz");
  // A directory the scan cannot enter (as root every directory can be entered: then it is read).
  tree.file("locked/inside.json", "{}");
  fs::permissions(tree.root() / "locked", fs::perms::none);
}

std::vector<gdl::analysis::ConfiguredSetup> configured(const Tree& tree) {
  return {{"prod", {(tree.root() / "a" / "b" / "key-policy.json").string(), "elsewhere.json"}, {}},
          {"untouched", {"nowhere/at-all.json"}, {}}};
}

std::vector<std::string> whole_plan(const Tree& tree, std::vector<gdl::InputError>& errors) {
  const auto options = scan_options();
  gdl::analysis::Discovered found = gdl::analysis::discover({tree.root().string()}, options);
  errors = found.errors;
  gdl::analysis::PlanInput input;
  input.scanned = std::move(found.scanned);
  input.configured = configured(tree);
  input.scan_filter = [&options](const std::string& path) {
    return gdl::analysis::scan_accepts(options, path);
  };
  input.name_filter = [&options](const std::string& path) {
    return gdl::analysis::scan_takes_name(options, path);
  };
  auto items = gdl::analysis::plan_setups(std::move(input));
  gdl::analysis::fold_called_modules(items, read_module_file);
  std::vector<std::string> described;
  for (const auto& item : items) {
    if (!item.paths.empty()) described.push_back(describe(item));  // an empty item checks nothing
  }
  return described;
}

}  // namespace

TEST_CASE("the streamed plan makes the whole plan's items, in its order, one at a time") {
  const Tree tree("streamed-plan");
  build(tree);
  std::vector<gdl::InputError> whole_errors;
  const std::vector<std::string> expected = whole_plan(tree, whole_errors);
  REQUIRE(expected.size() >= 15);
  // The JSON-syntax root reads its module's files of both syntaxes through its call; the policy
  // and the template saved as stack.tf.json beside them are their directory's own item.
  const std::string json_root = (tree.root() / "json-root").string();
  const std::string json_mod = (tree.root() / "json-mod").string();
  CHECK(
      std::find(expected.begin(), expected.end(),
                fmt::format("{0}\n  {0}/cdk.tf.json\n  reads {1}/main.tf\n  reads {1}/vars.tf.json",
                            json_root, json_mod)) != expected.end());
  CHECK(std::find(expected.begin(), expected.end(),
                  fmt::format("{0}\n  {0}/key-policy.json\n  {0}/stack.tf.json", json_mod)) !=
        expected.end());

  gdl::analysis::StreamedPlan plan(tree.root().string(), scan_options(), configured(tree),
                                   read_module_file);
  const std::vector<gdl::InputError> errors = plan.take_errors();
  REQUIRE(errors.size() == whole_errors.size());
  for (std::size_t i = 0; i < errors.size(); ++i) {
    CHECK(errors[i].path == whole_errors[i].path);
    CHECK(errors[i].message == whole_errors[i].message);
  }
  std::vector<std::string> made;
  std::size_t files = 0;
  for (;;) {
    const std::optional<std::string_view> bound_view = plan.lower_bound();
    const std::optional<std::string> bound =
        bound_view ? std::optional<std::string>(*bound_view) : std::nullopt;
    std::optional<gdl::analysis::WorkItem> item = plan.next();
    if (!item) break;
    files += item->paths.size();
    // The bound given before an item holds for every path it lists: the emitter relies on it.
    REQUIRE(bound);
    for (const std::string_view path : item->paths) {
      CAPTURE(path);
      CHECK(std::string_view(*bound) <= path);
    }
    for (const std::string& read : item->reads) {
      CAPTURE(read);
      CHECK(*bound <= read);
    }
    made.push_back(describe(*item));
  }
  CHECK_FALSE(plan.lower_bound());
  // Joined, so that a difference is shown.
  const auto joined = [](const std::vector<std::string>& items) {
    return fmt::format("{}", fmt::join(items, "\n"));
  };
  CHECK(joined(made) == joined(expected));
  // The count shown as progress: the files listed, and the second spelling of a linked file.
  CHECK(files <= plan.files());
  CHECK(plan.files() <= files + 3);
}

TEST_CASE("a scan planned as it is walked reports what the whole plan reports") {
  const Tree tree("streamed-check");
  build(tree);
  gdl::analysis::ProjectConfig project;
  project.directory = fs::current_path();
  project.exclude = {"skipped/**"};
  project.setups.push_back({"prod",
                            {fs::relative(tree.root() / "a" / "b" / "key-policy.json").string(),
                             fs::relative(tree.root() / "a" / "b" / "bucket-policy.json").string()},
                            {}});
  for (const unsigned jobs : {1U, 2U}) {
    CAPTURE(jobs);
    const gdl::Report whole = run_check({tree.root().string()}, &project, jobs, false);
    const gdl::Report streamed = run_check({tree.root().string()}, &project, jobs, true);
    REQUIRE(whole.diagnostics.size() > 10);
    std::set<std::string> seen;
    for (const gdl::Diagnostic& d : streamed.diagnostics) {
      const std::string key = fmt::format("{}:{}:{} {} {}", d.location.file, d.location.start.line,
                                          d.location.start.column, d.rule_id, d.message);
      CHECK_MESSAGE(seen.insert(key).second, "written twice: " << key);
    }
    REQUIRE(streamed.diagnostics.size() == whole.diagnostics.size());
    for (std::size_t i = 0; i < whole.diagnostics.size(); ++i) {
      const gdl::Diagnostic& a = whole.diagnostics[i];
      const gdl::Diagnostic& b = streamed.diagnostics[i];
      CAPTURE(i);
      CHECK(b.location.file == a.location.file);
      CHECK(b.location.start.line == a.location.start.line);
      CHECK(b.location.start.column == a.location.start.column);
      CHECK(b.rule_id == a.rule_id);
      CHECK(b.message == a.message);
    }
    const auto whole_setups = whole.setups.all();
    const auto streamed_setups = streamed.setups.all();
    REQUIRE(streamed_setups.size() == whole_setups.size());
    for (std::size_t i = 0; i < whole_setups.size(); ++i) {
      CHECK(streamed_setups[i].documents == whole_setups[i].documents);
      CHECK(streamed_setups[i].verdict == whole_setups[i].verdict);
      CHECK(streamed_setups[i].reasons == whole_setups[i].reasons);
    }
    CHECK(streamed.notes == whole.notes);
    REQUIRE(streamed.input_errors.size() == whole.input_errors.size());
    for (std::size_t i = 0; i < whole.input_errors.size(); ++i) {
      CHECK(streamed.input_errors[i].path == whole.input_errors[i].path);
      CHECK(streamed.input_errors[i].message == whole.input_errors[i].message);
    }
    CHECK(streamed.files_checked == whole.files_checked);
    CHECK(streamed.files_skipped == whole.files_skipped);
    CHECK(streamed.partly_judged == whole.partly_judged);
    // A format that lists no verdicts (text) keeps none, and nothing else changes.
    const gdl::Report without = run_check({tree.root().string()}, &project, jobs, true, false);
    CHECK(without.setups.empty());
    CHECK(!whole_setups.empty());
    CHECK(without.diagnostics.size() == whole.diagnostics.size());
    CHECK(without.files_checked == whole.files_checked);
    CHECK(without.notes == whole.notes);
  }
}

// One key policy shared by two accounts' setups through a link (found by metamorphic testing):
// the file is reported once, but each directory's setup is judged with it, however the
// directories are passed. The staging bucket names another account, so staging fails.
TEST_CASE("a file linked into two setups belongs to both, whatever the order of the paths") {
  // The link's directory sorts after the file's and before it (then the link's spelling comes
  // first, and the named file must not be read a second time as a linked one).
  for (const std::string staging_dir : {"staging", "a-stage"}) {
    CAPTURE(staging_dir);
    const Tree tree("linked-key-" + staging_dir);
    const fs::path correct = fs::path(GDL_SOURCE_DIR) / "examples/correct";
    tree.copy(correct / "bucket-policy.json", "prod/bucket-policy.json");
    // The shared key holds a document finding (GD108: '*' under StringEquals), reported once.
    std::string key = gdl::test::read_file(correct / "key-policy.json");
    key.replace(key.find("\"Statement\": [") + 14, 0,
                R"({"Sid": "Auditors", "Effect": "Allow", "Principal": {"AWS": "*"},)"
                R"( "Action": "kms:DescribeKey", "Resource": "*", "Condition": {"StringEquals":)"
                R"( {"aws:PrincipalArn": "arn:aws:iam::382910475620:role/*"}}},)");
    tree.file("prod/key-policy.json", key);
    std::string staging = gdl::test::read_file(correct / "bucket-policy.json");
    for (std::size_t at = staging.find("382910475620"); at != std::string::npos;
         at = staging.find("382910475620", at))
      staging.replace(at, 12, "719283746501");
    tree.file(staging_dir + "/bucket-policy.json", staging);
    tree.link("../prod/key-policy.json", staging_dir + "/key-policy.json");
    const std::string prod = (tree.root() / "prod").string();
    const std::string stage = (tree.root() / staging_dir).string();
    // A named file beside the link, too: its directory's setup holds the link, though another
    // path reports the file it points to.
    // Two named files, one beside the link and one beside the file it points to, either way.
    const std::string staged_bucket = (tree.root() / staging_dir / "bucket-policy.json").string();
    const std::string prod_bucket = (tree.root() / "prod/bucket-policy.json").string();
    const std::string prod_key = (tree.root() / "prod/key-policy.json").string();
    const std::vector<std::vector<std::string>> orders = {{tree.root().string()},
                                                          {prod, stage},
                                                          {stage, prod},
                                                          {stage},
                                                          {staged_bucket, prod},
                                                          {prod, staged_bucket},
                                                          {staged_bucket, prod_key},
                                                          {prod_key, staged_bucket},
                                                          {staged_bucket, prod_bucket},
                                                          {prod_bucket, staged_bucket}};
    for (const auto& paths : orders) {
      for (const bool streamed : {false, true}) {
        CAPTURE(fmt::format("{} streamed={}", fmt::join(paths, " "), streamed));
        const gdl::Report report = run_check(paths, nullptr, 1, streamed);
        bool staging_fails = false;
        for (const gdl::SetupVerdict& v : report.setups.all()) {
          const bool is_staging =
              std::any_of(v.documents.begin(), v.documents.end(), [&](const std::string& d) {
                return d.find(staging_dir + "/key-policy.json") != std::string::npos;
              });
          if (is_staging) staging_fails = v.verdict == "fails";
        }
        CHECK(staging_fails);
        const bool gd201 =
            std::any_of(report.diagnostics.begin(), report.diagnostics.end(),
                        [](const gdl::Diagnostic& d) { return d.rule_id == "GD201"; });
        CHECK(gd201);
        if (paths.size() == 1 && paths.front() == stage) continue;  // the key's only spelling
        const auto gd108 =
            std::count_if(report.diagnostics.begin(), report.diagnostics.end(),
                          [](const gdl::Diagnostic& d) { return d.rule_id == "GD108"; });
        CHECK(gd108 == 1);
        CHECK(report.files_checked == 3);
      }
    }
  }
}

TEST_CASE("setup verdicts past the first thousand are kept in a temporary file, in order") {
  gdl::SetupVerdicts verdicts;
  const std::size_t count = gdl::SetupVerdicts::kHeld * 2 + 7;
  auto make = [](std::size_t i) {
    gdl::SetupVerdict v;
    for (std::size_t d = 0; d < i % 3; ++d)
      v.documents.push_back(fmt::format("dir-{}/{}.json", i, d));
    v.verdict = i % 2 == 0 ? "exports" : "fails";
    for (std::size_t r = 0; r < i % 4; ++r) v.reasons.push_back(fmt::format("GD20{} f:{}:1", r, i));
    if (i % 5 == 0) v.reasons.emplace_back();  // an empty string survives the file
    return v;
  };
  for (std::size_t i = 0; i < count; ++i) {
    verdicts.push_back(make(i));
    if (i == gdl::SetupVerdicts::kHeld + 3) {
      // Read back while more are still to come: later ones are appended after, not over.
      CHECK(verdicts.all().size() == i + 1);
    }
  }
  const std::vector<gdl::SetupVerdict> all = verdicts.all();
  REQUIRE(all.size() == count);
  CHECK(verdicts.size() == count);
  for (std::size_t i = 0; i < count; ++i) {
    CAPTURE(i);
    const gdl::SetupVerdict expected = make(i);
    CHECK(all[i].documents == expected.documents);
    CHECK(all[i].verdict == expected.verdict);
    CHECK(all[i].reasons == expected.reasons);
  }
}
