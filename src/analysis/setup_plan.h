#pragma once
// Which documents are checked together as one export setup. One rule, whatever way the files
// are passed (a directory scan, named files, the pre-commit hook's changed files):
//   - the project configuration's `setups` pair documents explicitly;
//   - otherwise a CloudFormation template or a Terraform plan is a setup on its own, and the
//     other inputs of one directory (policies, CLI output, publishing-destination output,
//     Terraform source) form one setup.
// A named file is checked within its whole setup: its siblings are read too, and findings in
// them are reported when they are the setup's export documents.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/discover.h"
#include "analysis/results.h"
#include "export/settings.h"
#include "util/path_list.h"

namespace gdl::analysis {

// A configured setup: its documents (as paths to open) and its own settings.
struct ConfiguredSetup {
  std::string name;
  std::vector<std::string> documents;
  exportcfg::ExportSettings settings;
};

struct WorkItem {
  std::string label;    // the directory, or the configured setup's name
  PathSelection paths;  // files to read and report on (a scan's: in the scan's shared list)
  // Files beside a named one, read because they belong to its setup: their findings are
  // reported when they are among the setup's export documents (the key and bucket policy the
  // named file is checked with), not otherwise.
  std::vector<std::string> context;
  // A directory's files: each template or plan among them is a setup of its own, the rest one.
  bool directory = false;
  std::optional<std::size_t> configured;  // index into the configured setups
  std::vector<std::string> named;         // the paths among `paths` named on the command line
  // The .tf and .tf.json files of the local modules this item's calls read
  // (fold_called_modules): its findings may name them, so they are not final until this item is
  // done.
  std::vector<std::string> reads;
  // Named files whose name a scan would not take (README.md, case.expect, policy.txt): the name
  // does not say they are policies, so they are read only when they begin like JSON. `check
  // DIR/*` then checks what `check DIR` does.
  std::vector<std::string> named_by_content;
  // Those of `context` that are links to a file another item of the run reports (one key policy
  // shared by two accounts' setups): only this setup's findings on them are reported here.
  std::vector<std::string> linked;
  // Those of `named` named only as callers of named or scanned modules (callers_in_work_tree),
  // and its `shown` directories: the callers are read for their calls and reported as context
  // is (their findings when they are an export's documents); of the modules they read, the
  // findings in the shown directories are reported.
  std::vector<std::string> callers;
  std::vector<std::string> shown_modules;
};

struct PlanInput {
  std::vector<std::string> named;  // files named on the command line ("-" is standard input)
  PathList scanned;                // files found in named directories
  std::vector<ConfiguredSetup> configured;
  // Whether a sibling of a named file would be scanned (include and exclude globs).
  std::function<bool(const std::string& path)> scan_filter;
  // Whether a scan would take a file of this name (include globs only).
  std::function<bool(const std::string& path)> name_filter;
};

// The work, in a stable order (configured setups, then directories by path).
// The input is consumed: the directory items hold positions in its scanned list, which they
// share (the paths are not copied).
std::vector<WorkItem> plan_setups(PlanInput input);

// A Terraform module in a scanned directory that another scanned module calls with a local
// source is read through that call, with its arguments (a bucket name, a policy): checked on
// its own as well, it would be read with every variable unknown and its findings given twice.
// Such directories' module files are dropped from their items unless a file there was named;
// `read_module_file(path)` says whether the .tf or .tf.json file at `path` is its module's (a
// template saved as *.tf.json is not: it stays in its item) and which directories it calls.
// Directories only reachable through a cycle of calls (which Terraform rejects) are kept.
struct TerraformFile {
  bool module_file = true;
  std::vector<std::string> calls;  // the directories of the local modules it calls
};
using ReadModuleFile = std::function<TerraformFile(const std::string&)>;
void fold_called_modules(std::vector<WorkItem>& items, const ReadModuleFile& read_module_file);

// A Terraform variable file named on the command line (the pre-commit hook passes a changed
// terraform.tfvars) holds values of its directory's root module, and no policy: one Terraform
// loads by itself (terraform.tfvars, *.auto.tfvars and their .json forms) stands for the
// module's .tf and .tf.json files a scan would take (their reading loads it, and its errors are
// reported there); another is read only with -var-file, which a run cannot tell: it is dropped
// with a note (`notes`) saying how to check it, and counted in `skipped`. Files without a
// module beside them stay named.
void name_modules_of_variable_files(std::vector<std::string>& named,
                                    const std::function<bool(const std::string&)>& scan_filter,
                                    std::vector<std::string>& notes, std::size_t& skipped);

// A Terraform module is read through the modules that call it, with their arguments: a module
// file named without its caller (a pre-commit hook passes only the changed files), or a scanned
// directory's module whose callers are elsewhere in the repository, was read on its own, its
// variables taking their defaults (`bucket_name = ""` made "arn:aws:s3:::", an error no scan of
// the repository showed). For each named module file, and each scanned directory below a git
// work tree's root that holds Terraform source, this walks the work tree's .tf and .tf.json
// files (all of them: a call reads its module whatever --exclude says) and finds the modules a
// scan of the work tree reads as roots: those no module it takes calls, and those only a cycle
// of calls reaches. Each such root, neither named nor scanned, whose calls reach a named module's
// directory (or one below a scanned directory) within kMaxModuleDepth calls is a caller.
// `files` are the module files with calls of the callers and of the modules between them and
// the named ones (those not named already), to name with the others; `shown`, the resolved
// directories whose .tf findings the callers' items report: the named or scanned modules (a
// scanned one with a '/' after it: everything below it) and what they call. Outside a git work
// tree, none.
struct ModuleCallers {
  std::vector<std::string> files;  // sorted
  std::vector<std::string> shown;
};
ModuleCallers callers_in_work_tree(const std::vector<std::string>& named,
                                   const std::vector<std::string>& scanned_roots,
                                   const ScanOptions& options,
                                   const ReadModuleFile& read_module_file);

// A scan of one directory planned as it is walked (no file named beside it): the items
// plan_setups and fold_called_modules make of it, in the same order and with the same files,
// made one at a time, so that the plan's memory does not grow with the number of files.
//   - A first walk counts the files and says what discover() says of unreadable directories;
//     it keeps only what the plan needs whole: the configured setups the scan touches, the
//     identities of symbolic links among the files (the only files that can be a second
//     spelling of another in one root), and the module files, whose calls are folded first.
//   - The second walk makes a directory's item when the directory comes in the items' order:
//     by identity, which within one root is byte order of the directories' paths ("a" < "a-b"
//     < "a-b/c" < "a/c"), so a directory's own item and its subtree are two steps.
// Memory is the walk's frames (a directory's subdirectory names), the links and the modules.
class StreamedPlan {
 public:
  StreamedPlan(const std::string& root, const ScanOptions& options,
               std::vector<ConfiguredSetup> configured, const ReadModuleFile& read_module_file);
  ~StreamedPlan();
  StreamedPlan(const StreamedPlan&) = delete;
  StreamedPlan& operator=(const StreamedPlan&) = delete;

  // What the first walk found wrong (unreadable directories), in discover()'s order.
  std::vector<InputError> take_errors();
  // About how many files the items list in all, for the progress shown (second spellings of a
  // linked file other than .tf files are counted).
  [[nodiscard]] std::size_t files() const;
  // Whether the scan holds Terraform source (.tf, .tf.json), whose file() and templatefile()
  // may read files other items list.
  [[nodiscard]] bool has_terraform() const;
  // The next item; nullopt once there is none.
  std::optional<WorkItem> next();
  // Every path an item still to come lists is at least this (nullopt: none is to come).
  [[nodiscard]] std::optional<std::string_view> lower_bound() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

namespace detail {
// The directory a file's item is labelled with: fs::path(path).parent_path(), "." for none.
std::string directory_of(const std::string& path);
// A Terraform configuration file by its name (.tf, .tf.json): a module is its directory's
// configuration files, read together, and a called module's are read through the call.
inline bool is_terraform_file_name(std::string_view path) {
  return path.ends_with(".tf") || path.ends_with(".tf.json");
}
}  // namespace detail

}  // namespace gdl::analysis
