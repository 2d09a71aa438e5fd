#include "analysis/setup_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "analysis/discover.h"
#include "containers/container.h"
#include "source/loader.h"

namespace gdl::analysis {

namespace fs = std::filesystem;

namespace {

// One spelling per file, to tell the same file named twice (./a.json, a.json, /abs/a.json).
std::string identity(const std::string& path) {
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(path, ec);
  return ec ? fs::path(path).lexically_normal().string() : canonical.string();
}

using detail::directory_of;
using detail::is_terraform_file_name;
std::string_view plain_name(std::string_view path);

// identity() for many files: a directory's identity is resolved once, and a file's is its
// directory's plus its name unless the file is itself a symbolic link (resolving every path
// anew cost a readlink per path component per file, a tenth of a large scan). Likewise a
// directory that is not a link, named by a plain name, is its parent's identity plus that name:
// one lstat per directory instead of a readlink per component (canonical(parent/name) is
// canonical(parent)/name when name is neither a link nor "." or ".."); anything else is
// resolved whole.
class Identities {
 public:
  std::string of_file(const std::string& path) { return of_file(path, directory_of(path)); }
  // `dir` is directory_of(path), when the caller has it already.
  std::string of_file(const std::string& path, const std::string& dir) {
    const std::string_view name = plain_name(path);
    std::error_code ec;
    if (name.empty() || fs::is_symlink(path, ec) || ec) return identity(path);
    // canonical(dir)/name, as fs::path's operator/ joins them, without building paths.
    const std::string& dir_id = of_directory(dir);
    std::string id;
    id.reserve(dir_id.size() + 1 + name.size());
    id = dir_id;
    if (!id.empty() && id.back() != '/') id += '/';
    id += name;
    return id;
  }
  // The reference stays valid while this lives (a map's nodes do not move).
  const std::string& of_directory(const std::string& dir) {
    auto it = directories_.find(dir);
    if (it == directories_.end()) {
      std::string resolved = resolve_directory(dir);
      // Most directories are their own identity: held once (a scan has one per directory).
      if (resolved == dir) resolved.clear();
      it = directories_.emplace(dir, std::move(resolved)).first;
    }
    return it->second.empty() ? it->first : it->second;
  }

 private:
  std::string resolve_directory(const std::string& dir) {
    const fs::path p(dir);
    const fs::path name = p.filename();
    const fs::path parent = p.parent_path();
    if (parent.empty() || parent == p || name.empty() || name == "." || name == "..")
      return identity(dir);
    std::error_code ec;
    if (fs::symlink_status(p, ec).type() != fs::file_type::directory || ec) return identity(dir);
    return (fs::path(of_directory(parent.string())) / name).string();
  }

  std::map<std::string, std::string, std::less<>> directories_;  // empty: the same as the key
};

}  // namespace

// fs::path(path).parent_path(), "." for none. A scan's paths (no doubled or trailing separator)
// are split by hand: building paths for each file was most of planning's cost per file.
std::string detail::directory_of(const std::string& path) {
  if (path.find("//") == std::string::npos && !path.ends_with('/')) {
    const std::size_t slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? std::string("/") : path.substr(0, slash);
  }
  std::string parent = fs::path(path).parent_path().string();
  return parent.empty() ? std::string(".") : parent;
}

namespace {

// The file name a path ends with, empty when it ends with a separator, "." or "..".
std::string_view plain_name(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return name == "." || name == ".." ? std::string_view() : name;
}

// The regular files directly in `directory` that a scan would take, spelled as `directory/name`.
std::vector<std::string> siblings(const std::string& directory,
                                  const std::function<bool(const std::string&)>& filter) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(directory, ec)) {
    // A link to nothing is listed too: reading it fails, and says so, as a scan does.
    std::error_code file_ec;
    if (!entry.is_regular_file(file_ec) && !is_dangling_link(entry)) continue;
    const std::string path = directory == "." && !fs::path(directory).is_absolute()
                                 ? entry.path().filename().string()
                                 : (fs::path(directory) / entry.path().filename()).string();
    if (!filter || filter(path)) files.push_back(path);
  }
  std::sort(files.begin(), files.end());
  return files;
}

// A 128-bit digest of a file's identity (two independent 64-bit hashes; a collision is about as
// likely as 1 in 10^29 for a million files): the identities themselves cost more memory than the
// rest of a 100,000-file scan's plan.
using Digest = std::pair<std::uint64_t, std::uint64_t>;
Digest digest_of(std::string_view id) {
  std::uint64_t fnv = 14695981039346656037ULL;
  for (const char c : id) fnv = (fnv ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return {fnv, std::hash<std::string_view>{}(id)};
}

// The named files already placed.
class PlacedFiles {
 public:
  // False when the file was placed already (in the item it was placed in first).
  bool insert(std::string_view id, std::uint32_t item) {
    return items_.try_emplace(digest_of(id), item).second;
  }
  [[nodiscard]] bool contains(const Digest& digest) const { return items_.contains(digest); }
  // The item the file was placed in, when it was.
  [[nodiscard]] std::optional<std::uint32_t> item_of(const Digest& digest) const {
    const auto it = items_.find(digest);
    return it == items_.end() ? std::nullopt : std::optional<std::uint32_t>(it->second);
  }

 private:
  struct DigestHash {
    std::size_t operator()(const Digest& d) const { return d.first ^ (d.second << 1); }
  };
  std::unordered_map<Digest, std::uint32_t, DigestHash> items_;
};

// Where a scanned file goes: its directory's item. 24 bytes a file, against a hash set's node
// and bucket (48) for the same test.
struct Placement {  // 32-bit positions: four billion files would not fit in memory anyway
  Digest digest;
  std::uint32_t index = 0;  // in the scanned list
  std::uint32_t item = 0;   // in the directory items
  bool operator<(const Placement& other) const {
    return std::tie(digest, index) < std::tie(other.digest, other.index);
  }
};

}  // namespace

std::vector<WorkItem> plan_setups(PlanInput input) {
  // The scan's list, held once: the directory items take positions in it.
  const auto scanned = std::make_shared<const PathList>(std::move(input.scanned));
  // Which configured setups each file belongs to (a shared key can be in several).
  std::multimap<std::string, std::size_t> in_setup;
  for (std::size_t i = 0; i < input.configured.size(); ++i) {
    for (const std::string& doc : input.configured[i].documents) in_setup.emplace(identity(doc), i);
  }
  std::set<std::string> sibling_directories;  // directories whose siblings were added
  std::set<std::size_t> setups_touched;
  // identity (held by `identities`) -> index in directory_items
  std::map<std::string_view, std::uint32_t> directories;
  std::vector<WorkItem> directory_items;
  PlacedFiles named_placed;  // identities of named files placed
  // Siblings of named files, as (identity, spelling, item): placed once every directory's are
  // known, so that which spelling is reported does not depend on the order of the paths.
  std::vector<std::tuple<std::string, std::string, std::uint32_t>> read_as_context;
  std::vector<WorkItem> alone;  // standard input
  Identities identities;

  // The item of the directory `dir`, made on first sight (keyed by its identity, as
  // `identities` holds it).
  auto directory_item = [&](const std::string& dir) {
    const std::string& dir_id = identities.of_directory(dir);
    const auto [it, fresh] =
        directories.try_emplace(dir_id, static_cast<std::uint32_t>(directory_items.size()));
    if (fresh) {
      WorkItem& item = directory_items.emplace_back();
      item.label = dir;
      item.directory = true;
      item.paths = PathSelection(scanned);
    }
    return it->second;
  };
  // A file in a configured setup is checked there (and only there).
  auto in_configured_setup = [&](const std::string& id) {
    const auto [from, to] = in_setup.equal_range(id);
    for (auto it = from; it != to; ++it) setups_touched.insert(it->second);
    return from != to;
  };

  // Named files whose name no include glob takes, read only when they begin like JSON unless
  // another spelling of the same file (a link's target, named or scanned) has a name it takes.
  struct ByContent {
    std::uint32_t item;
    std::string path;
    std::string id;
  };
  std::vector<ByContent> by_content;
  std::set<std::string> taken_ids;
  for (const std::string& path : input.named) {
    if (path == "-") {
      alone.push_back({"<stdin>", {path}, {}, false, std::nullopt, {path}, {}, {}, {}, {}, {}});
      continue;
    }
    const std::string dir = directory_of(path);
    const std::string id = identities.of_file(path, dir);
    if (in_configured_setup(id)) continue;
    const std::string& dir_id = identities.of_directory(dir);
    const std::uint32_t index = directory_item(dir);
    if (named_placed.insert(id, index)) directory_items[index].paths.push_back(path);
    directory_items[index].named.push_back(path);
    if (input.name_filter && !input.name_filter(path)) {
      by_content.push_back({index, path, id});
    } else {
      taken_ids.insert(id);
    }
    // A named file is checked within its setup: the other inputs of its directory (listed once
    // per directory, however many of its files are named).
    if (!sibling_directories.insert(dir_id).second) continue;
    for (const std::string& sibling : siblings(dir, input.scan_filter)) {
      std::string sid = identities.of_file(sibling);
      if (!in_setup.contains(sid)) read_as_context.emplace_back(std::move(sid), sibling, index);
    }
  }
  // A file beside several named files' directories (through a link) is read as context by the
  // first spelling and is a linked file of the other directories' setups, its document findings
  // reported once.
  std::sort(read_as_context.begin(), read_as_context.end());
  std::vector<std::uint32_t> items_of_file;  // the items the current file is in already
  for (std::size_t i = 0; i < read_as_context.size(); ++i) {
    const auto& [sid, sibling, index] = read_as_context[i];
    if (i == 0 || std::get<0>(read_as_context[i - 1]) != sid) {
      items_of_file = {index};
      directory_items[index].context.push_back(sibling);
    } else if (std::find(items_of_file.begin(), items_of_file.end(), index) ==
               items_of_file.end()) {
      items_of_file.push_back(index);
      if (!is_terraform_file_name(sibling)) directory_items[index].linked.push_back(sibling);
    }
  }

  // Scanned files in two passes, so that each item's list is made at its final size (grown by
  // doubling, the lists of a 100,000-file scan held 40% more than their paths): first where each
  // file goes, then its place in the scan's list. The first spelling of a file placed is the one
  // kept.
  std::vector<Placement> placements;
  placements.reserve(scanned->size());
  std::string path;  // one buffer for every scanned path
  for (std::size_t i = 0; i < scanned->size(); ++i) {
    path.assign((*scanned)[i]);
    const std::string dir = directory_of(path);
    const std::string id = identities.of_file(path, dir);
    if (in_configured_setup(id)) continue;
    const std::uint32_t item = directory_item(dir);
    const Digest digest = digest_of(id);
    if (named_placed.contains(digest)) {
      if (!by_content.empty()) taken_ids.insert(id);
      continue;
    }
    placements.push_back({digest, static_cast<std::uint32_t>(i), item});
  }
  for (ByContent& named : by_content) {
    if (!taken_ids.contains(named.id))
      directory_items[named.item].named_by_content.push_back(std::move(named.path));
  }
  std::sort(placements.begin(), placements.end());
  const auto first_spelling = [&](std::size_t k) {
    return k == 0 || placements[k].digest != placements[k - 1].digest;
  };
  std::vector<std::size_t> sizes(directory_items.size());
  for (std::size_t k = 0; k < placements.size(); ++k) {
    if (first_spelling(k)) ++sizes[placements[k].item];
  }
  for (std::size_t i = 0; i < directory_items.size(); ++i)
    directory_items[i].paths.reserve(sizes[i]);
  std::size_t kept = 0;  // the first spelling of the current file
  for (std::size_t k = 0; k < placements.size(); ++k) {
    if (first_spelling(k)) {
      kept = k;
      directory_items[placements[k].item].paths.push_shared(placements[k].index);
      continue;
    }
    // A link in another directory to a file kept elsewhere (one key policy shared by two
    // accounts' setups) is still part of its own directory's setup: read there for context.
    const std::string_view spelling = (*scanned)[placements[k].index];
    if (placements[k].item != placements[kept].item && !is_terraform_file_name(spelling))
      directory_items[placements[k].item].linked.emplace_back(spelling);
  }
  // The item that reports a sibling of a named file that is also named or scanned.
  const auto reported_in = [&](const std::string& sibling) -> std::optional<std::uint32_t> {
    const Placement probe{digest_of(identities.of_file(sibling)), 0, 0};
    if (auto item = named_placed.item_of(probe.digest)) return item;
    const auto at = std::lower_bound(placements.begin(), placements.end(), probe);
    if (at != placements.end() && at->digest == probe.digest) return at->item;
    return std::nullopt;
  };

  std::vector<WorkItem> items;
  items.reserve(setups_touched.size() + directories.size() + alone.size());
  for (const std::size_t i : setups_touched) {
    const ConfiguredSetup& setup = input.configured[i];
    WorkItem item{setup.name, {}, {}, false, i, {}, {}, {}, {}, {}, {}};
    for (const std::string& document : setup.documents) item.paths.push_back(document);
    items.push_back(std::move(item));
  }
  for (const auto& entry : directories) {
    const std::uint32_t index = entry.second;  // a plain variable: lambdas below capture it
    WorkItem& item = directory_items[index];
    item.paths.sort();  // and sized to fit: held for the whole run
    // A sibling reported by this item is not context; one another directory reports (a link to
    // a file kept there) is still part of this directory's setup, read as a linked file.
    std::erase_if(item.context, [&](const std::string& sibling) {
      const std::optional<std::uint32_t> by = reported_in(sibling);
      if (!by) return false;
      if (*by != index && !is_terraform_file_name(sibling)) item.linked.push_back(sibling);
      return true;
    });
    // A linked spelling of a file this item reports itself (a named file whose link in another
    // directory sorts first) is not read twice.
    std::erase_if(item.linked, [&](const std::string& spelling) {
      return reported_in(spelling) == std::optional<std::uint32_t>(index);
    });
    std::sort(item.linked.begin(), item.linked.end());  // placed in digest order
    item.linked.erase(std::unique(item.linked.begin(), item.linked.end()), item.linked.end());
    item.context.insert(item.context.end(), item.linked.begin(), item.linked.end());
    items.push_back(std::move(item));
  }
  for (WorkItem& item : alone) items.push_back(std::move(item));
  return items;
}

namespace {

using CallGraph = std::map<std::string, std::set<std::string>>;  // directory identity -> called

// The directories the calls of `from` reach, directly or through other modules (a directory
// among `from` only when a cycle leads back to it).
std::set<std::string> reached_from(const CallGraph& calls, std::vector<std::string> from) {
  std::set<std::string> reached;
  while (!from.empty()) {
    const std::string at = from.back();
    from.pop_back();
    const auto it = calls.find(at);
    if (it == calls.end()) continue;
    for (const std::string& target : it->second) {
      if (reached.insert(target).second) from.push_back(target);
    }
  }
  return reached;
}

}  // namespace

void fold_called_modules(std::vector<WorkItem>& items, const ReadModuleFile& read_module_file) {
  Identities identities;
  CallGraph calls;
  std::set<std::string> called;
  // A caller's findings may name the module files of every module it reaches (listed in their
  // own items or not).
  std::map<std::string, std::vector<std::string>> module_files;  // directory identity -> files
  for (const WorkItem& item : items) {
    if (!item.directory) continue;
    bool module = false;  // the item reads its directory's module
    const auto add = [&](std::string_view path) {
      if (!is_terraform_file_name(path)) return;
      const TerraformFile file = read_module_file(std::string(path));
      if (!file.module_file) return;
      module = true;
      const std::string& id = identities.of_directory(item.label);
      module_files[id].emplace_back(path);
      for (const std::string& dir : file.calls) {
        const std::string& target = identities.of_directory(dir);
        if (target == id) continue;
        calls[id].insert(target);
        called.insert(target);
      }
    };
    for (const std::string_view path : item.paths) add(path);
    // A named module file's siblings are its module's files, read with it: their calls are its
    // calls (`check modules/x/main.tf live/variables.tf` reads x through live/main.tf's call).
    if (module) {
      for (const std::string& path : item.context) add(path);
    }
  }
  if (called.empty()) return;
  for (WorkItem& item : items) {
    if (!item.directory) continue;
    const std::string& id = identities.of_directory(item.label);
    if (!calls.contains(id)) continue;
    for (const std::string& dir : reached_from(calls, {id})) {
      const auto files = module_files.find(dir);
      if (dir != id && files != module_files.end())
        item.reads.insert(item.reads.end(), files->second.begin(), files->second.end());
    }
  }
  // What the roots (scanned modules nobody calls) reach is read through them.
  std::vector<std::string> roots;
  for (const auto& [caller, targets] : calls) {
    if (!called.contains(caller)) roots.push_back(caller);
  }
  const std::set<std::string> reached = reached_from(calls, std::move(roots));
  // Only the module's files: a policy file beside them is still checked there. A module file
  // named beside its caller is read through the call too (as a scan of both reads it: named a
  // second time on its own, it was judged twice, once with its inputs unknown); named without
  // its caller, nothing reaches it and it is checked on its own.
  for (WorkItem& item : items) {
    if (!item.directory) continue;
    const std::string& id = identities.of_directory(item.label);
    const auto files = module_files.find(id);
    if (!reached.contains(id) || files == module_files.end()) continue;
    const std::set<std::string_view> dropped(files->second.begin(), files->second.end());
    item.paths.erase_if([&dropped](std::string_view path) { return dropped.contains(path); });
    // A named module file's other inputs beside it (a policy file) are what a scan of its
    // directory checks once the module is read through its caller: checked here as such.
    // (Not those of a caller's module, named only to be read through: callers_in_work_tree.)
    if (item.paths.empty() && item.named.size() > item.callers.size()) {
      for (const std::string& path : item.context) {
        if (!is_terraform_file_name(path)) item.paths.push_back(path);
      }
      item.context.clear();
    }
  }
  std::erase_if(items, [](const WorkItem& item) { return item.directory && item.paths.empty(); });
}

void name_modules_of_variable_files(std::vector<std::string>& named,
                                    const std::function<bool(const std::string&)>& scan_filter,
                                    std::vector<std::string>& notes, std::size_t& skipped) {
  std::vector<std::string> out;
  out.reserve(named.size());
  for (std::string& path : named) {
    const std::string_view name = plain_name(path);
    if (path == "-" || !(name.ends_with(".tfvars") || name.ends_with(".tfvars.json"))) {
      out.push_back(std::move(path));
      continue;
    }
    std::vector<std::string> module = siblings(directory_of(path), scan_filter);
    std::erase_if(module, [](const std::string& file) { return !is_terraform_file_name(file); });
    std::error_code ec;
    if (module.empty() || !fs::is_regular_file(path, ec)) {  // (one that is not: said so)
      out.push_back(std::move(path));
      continue;
    }
    // Terraform loads these by itself ("Variable Definitions (.tfvars) Files").
    if (name == "terraform.tfvars" || name == "terraform.tfvars.json" ||
        name.ends_with(".auto.tfvars") || name.ends_with(".auto.tfvars.json")) {
      for (std::string& file : module) out.push_back(std::move(file));
      continue;
    }
    ++skipped;
    notes.push_back(fmt::format(
        "{}: a variable file Terraform reads only when given with -var-file: not read (check its "
        "module with `--var-file {}`)",
        path, path));
  }
  named = std::move(out);
}

namespace {

// `dir` spelled from `from`, a directory below it or `dir` itself ("modules/x/../.." is "."), so
// that the paths a walk of it gives are spelled as the user spells `from`'s.
std::string spelled_from(const std::string& from, const fs::path& absolute, const fs::path& dir) {
  fs::path spelled(from);
  for (const auto& part : absolute.lexically_relative(dir)) {
    if (!part.empty() && part != ".") spelled /= "..";
  }
  return spelled.lexically_normal().string();
}

}  // namespace

ModuleCallers callers_in_work_tree(const std::vector<std::string>& named,
                                   const std::vector<std::string>& scanned_roots,
                                   const ScanOptions& options,
                                   const ReadModuleFile& read_module_file) {
  Identities identities;
  // What each work tree's callers must reach (a named module's directory, or any below a scanned
  // directory), by the tree's spelling.
  struct Target {
    std::string id;
    bool subtree = false;
    bool matches(const std::string& dir) const {
      return dir == id || (subtree && dir.size() > id.size() && dir.starts_with(id) &&
                           (id.ends_with('/') || dir[id.size()] == '/'));
    }
  };
  std::map<std::string, std::vector<Target>> targets;
  // Adds `dir` to its work tree's targets, unless it is in none or (a scanned directory) is the
  // whole of one: a scan of a work tree's root reads every caller already.
  const auto add_target = [&](const std::string& dir, bool subtree) {
    std::error_code ec;
    const fs::path absolute = fs::absolute(dir, ec).lexically_normal();
    if (ec) return;
    const fs::path tree = work_tree_of(absolute);
    const std::string& id = identities.of_directory(dir);
    if (tree.empty() || (subtree && identities.of_directory(tree.string()) == id)) return;
    if (subtree) {
      // Only a directory that holds Terraform source has modules to be called.
      bool terraform = false;
      std::vector<InputError> unread;  // the scan itself says what it cannot read
      walk_root(
          dir, options,
          [&terraform](const DirectoryListing::File& listed) {
            terraform = terraform || is_terraform_file_name(listed.path.native());
          },
          unread);
      if (!terraform) return;
    }
    targets[spelled_from(dir, absolute, tree)].push_back({id, subtree});
  };
  for (const std::string& path : named) {
    if (path == "-" || !is_terraform_file_name(path)) continue;
    const TerraformFile file = read_module_file(path);
    if (!file.module_file) continue;
    add_target(directory_of(path), false);
  }
  for (const std::string& root : scanned_roots) add_target(root, true);

  std::error_code cwd_ec;
  const fs::path here = fs::current_path(cwd_ec);  // (empty when unknown: paths as walked)
  ModuleCallers out;
  std::set<std::string> already(named.begin(), named.end());
  for (const auto& [tree_spelling, tree_targets] : targets) {
    // (A lambda cannot capture a structured binding.)
    const std::string& tree = tree_spelling;
    const std::vector<Target>& wanted = tree_targets;
    // The work tree's module files that call local modules. Every one: a call reads its module
    // whatever --exclude says; only a root (a module nobody calls) must be one a scan takes.
    CallGraph calls;
    std::set<std::string> taken;  // directories with a file a scan of the tree takes
    std::map<std::string, std::vector<std::string>> files_of;  // directory identity -> files
    std::vector<InputError> unread;  // the run's own reading says what it cannot read
    ScanOptions terraform;
    terraform.include = {"*.tf", "*.tf.json"};
    walk_root(
        tree, terraform,
        [&](const DirectoryListing::File& listed) {
          if (listed.dangling) return;
          // Spelled as a scan of the tree's root would spell it ("modules/x", not "./modules/x"),
          // and from the current directory ("main.tf", not "../../modules/b/main.tf").
          std::string path = shortest_from(listed.path.lexically_normal(), here).string();
          const TerraformFile file = read_module_file(path);
          if (!file.module_file || file.calls.empty()) return;
          const std::string& id = identities.of_directory(directory_of(path));
          for (const std::string& dir : file.calls) {
            const std::string& target = identities.of_directory(dir);
            if (target == id) continue;
            calls[id].insert(target);
          }
          if (scan_accepts(options, listed.path.lexically_relative(tree).generic_string()))
            taken.insert(id);
          files_of[id].push_back(std::move(path));
        },
        unread);
    const auto wanted_here = [&](const std::string& dir) {
      return std::any_of(wanted.begin(), wanted.end(),
                         [&dir](const Target& t) { return t.matches(dir); });
    };
    // What the scan of the tree reads on its own: its modules a taken file calls are read
    // through those calls (fold_called_modules), from the modules no taken file calls, and any
    // other (one only a cycle of calls reaches) is read as its own root.
    CallGraph taken_calls;
    for (const std::string& dir : taken) {
      if (const auto it = calls.find(dir); it != calls.end()) taken_calls.emplace(dir, it->second);
    }
    std::set<std::string> called_by_taken;
    for (const auto& [dir, to] : taken_calls) called_by_taken.insert(to.begin(), to.end());
    std::vector<std::string> true_roots;
    for (const auto& [dir, to] : taken_calls) {
      if (!called_by_taken.contains(dir)) true_roots.push_back(dir);
    }
    const std::set<std::string> through_roots = reached_from(taken_calls, std::move(true_roots));
    // The directories a module's reading reaches, `kMaxModuleDepth` calls deep at most (the
    // reader reads no deeper), each with the modules on the way.
    const auto reading_of = [&calls](const std::string& root) {
      std::map<std::string, std::string> came_from{{root, ""}};
      std::vector<std::string> level{root};
      for (int depth = 0; depth < containers::kMaxModuleDepth && !level.empty(); ++depth) {
        std::vector<std::string> next;
        for (const std::string& dir : level) {
          const auto it = calls.find(dir);
          if (it == calls.end()) continue;
          for (const std::string& to : it->second) {
            if (came_from.try_emplace(to, dir).second) next.push_back(to);
          }
        }
        level = std::move(next);
      }
      return came_from;
    };
    bool found = false;
    std::set<std::string> callees;  // what the wanted modules read: their findings are theirs
    for (const auto& entry : taken_calls) {
      const std::string& caller = entry.first;  // (a lambda cannot capture a binding)
      // A module the scan reads as a root that is not itself named or scanned.
      if (through_roots.contains(caller) || wanted_here(caller)) continue;
      const std::map<std::string, std::string> reading = reading_of(caller);
      std::set<std::string> between;  // the modules on the way to a wanted one
      for (const auto& [dir, from] : reading) {
        if (dir == caller || !wanted_here(dir)) continue;
        for (std::string at = from; !at.empty() && at != caller; at = reading.at(at))
          between.insert(at);
        for (const auto& [below, unused] : reading_of(dir)) callees.insert(below);
      }
      if (std::none_of(reading.begin(), reading.end(), [&](const auto& read) {
            return read.first != caller && wanted_here(read.first);
          }))
        continue;
      found = true;
      // Its module files with calls and those of the modules between it and the wanted ones
      // (their other files are read with them, as their siblings): each a planned item, so
      // that the modules it reads are read through it only.
      between.insert(caller);
      for (const std::string& dir : between) {
        if (wanted_here(dir)) continue;
        for (const std::string& path : files_of[dir]) {
          if (already.insert(path).second) out.files.push_back(path);
        }
      }
    }
    if (!found) continue;
    for (const Target& t : wanted) out.shown.push_back(t.subtree ? t.id + "/" : t.id);
    out.shown.insert(out.shown.end(), callees.begin(), callees.end());
  }
  std::sort(out.files.begin(), out.files.end());
  return out;
}

// The streamed plan. What plan_setups decides with the whole list, it decides here file by file,
// in the same order: a file of a configured setup is checked there; of two spellings of one file
// the first in the scan's order is kept (in one root only a symbolic link can be the second
// spelling of another file, so only the identities of links' targets are remembered); the .tf
// files of modules another scanned module calls are read through the call.
struct StreamedPlan::State {
  std::string root;
  ScanOptions options;
  std::vector<ConfiguredSetup> configured;
  std::multimap<std::string, std::size_t> in_setup;  // a document's identity -> its setups
  std::set<std::size_t> touched;                     // configured setups with a scanned file
  std::set<std::size_t>::const_iterator next_configured;
  // A linked file's identity -> the spelling kept: of its links and the file itself (when the
  // scan lists it), the first in the scan's order, which in one root is the least path.
  std::unordered_map<std::string, std::string> linked;
  std::set<std::string, std::less<>> folded;  // module files read through calls
  std::map<std::string, std::vector<std::string>, std::less<>> reads;  // directory -> its reads
  std::multiset<std::string, std::less<>> reads_to_come;  // the reads of items still to come
  std::vector<InputError> errors;
  std::set<std::string> unreadable;  // directories the first walk could not enter
  std::size_t files = 0;
  bool terraform = false;  // .tf or .tf.json files among the scan's

  // The second walk: a directory's own files are one item, its subdirectories another step.
  struct Frame {
    struct Entry {
      std::string key;  // the subdirectory's name; its subtree's with a '/' after it
      std::uint32_t child = 0;
      bool subtree = false;
    };
    std::string id;  // the directory's identity, when needed (empty: not resolved yet)
    std::vector<fs::path> children;
    std::vector<std::string> bounds;  // a child's path and '/': its files' paths are above it
    std::vector<std::vector<fs::path>> grandchildren;  // listed with a child's own item
    std::vector<Entry> entries;
    std::vector<std::uint32_t> min_from;  // the entry of the least bound from here on
    std::size_t next = 0;
  };
  std::vector<Frame> walk;
  bool started = false;
  std::string bound;  // lower_bound()'s text

  [[nodiscard]] bool in_configured_setup(const std::string& id) const {
    return in_setup.contains(id);
  }
  // A file's identity as plan_setups resolves it (Identities::of_file): a link's is its target's,
  // any other file's its directory's identity and its name.
  static std::string file_identity(const DirectoryListing::File& file, std::string& dir_id,
                                   const fs::path& dir) {
    if (file.link) return identity(file.path.native());
    const std::string_view name = plain_name(file.path.native());
    if (name.empty()) return identity(file.path.native());
    if (dir_id.empty()) dir_id = identity(dir.native());
    std::string id = dir_id;
    if (!id.empty() && id.back() != '/') id += '/';
    id += name;
    return id;
  }
  // Whether the scan keeps this spelling of the file: not a configured setup's, not a second
  // spelling of a linked file (then `kept_as` is the spelling kept).
  bool keeps(const DirectoryListing::File& file, std::string& dir_id, const fs::path& dir,
             const std::string** kept_as = nullptr) const {
    if (in_setup.empty() && linked.empty()) return true;
    const std::string id = file_identity(file, dir_id, dir);
    if (in_configured_setup(id)) return false;
    const auto it = linked.find(id);
    if (it == linked.end() || it->second == file.path.native()) return true;
    if (kept_as != nullptr) *kept_as = &it->second;
    return false;
  }
  static Frame frame_of(std::vector<fs::path> children) {
    Frame frame;
    frame.children = std::move(children);
    frame.grandchildren.resize(frame.children.size());
    for (std::uint32_t i = 0; i < frame.children.size(); ++i) {
      std::string name = frame.children[i].filename().string();
      frame.entries.push_back({name + '/', i, true});
      frame.entries.push_back({std::move(name), i, false});
      frame.bounds.push_back(frame.children[i].native() + '/');
    }
    std::sort(frame.entries.begin(), frame.entries.end(),
              [](const Frame::Entry& a, const Frame::Entry& b) { return a.key < b.key; });
    frame.min_from.resize(frame.entries.size());
    for (std::size_t k = frame.entries.size(); k-- > 0;) {
      const std::uint32_t here = frame.entries[k].child;
      frame.min_from[k] =
          k + 1 == frame.entries.size() || frame.bounds[here] < frame.bounds[frame.min_from[k + 1]]
              ? here
              : frame.min_from[k + 1];
    }
    return frame;
  }
  // The item of `dir`'s own files (null when none is kept); its subdirectories in `children`.
  std::optional<WorkItem> directory_item(const fs::path& dir, std::vector<fs::path>& children) {
    // The first walk asked (access(2)) and said so; not asked again for every directory.
    if (unreadable.contains(dir.string())) return std::nullopt;
    DirectoryListing listing = list_directory(root, dir, options);
    children = std::move(listing.directories);
    WorkItem item;
    item.directory = true;
    std::string dir_id;
    std::vector<std::string> context;
    for (const DirectoryListing::File& file : listing.files) {
      const std::string* kept_as = nullptr;
      if (!keeps(file, dir_id, dir, &kept_as)) {
        // As plan_setups: a link to a file kept in another directory is read for context.
        const std::string& path = file.path.native();
        if (kept_as != nullptr && directory_of(*kept_as) != directory_of(path) &&
            !is_terraform_file_name(path))
          context.push_back(path);
        continue;
      }
      const std::string& path = file.path.native();
      if (item.paths.empty()) item.label = directory_of(path);
      if (is_terraform_file_name(path) && folded.contains(path)) continue;
      item.paths.push_back(path);
    }
    if (item.label.empty() && !listing.files.empty())
      item.label = directory_of(listing.files.front().path.native());
    if (const auto it = reads.find(item.label); it != reads.end()) {
      for (const std::string& read : it->second) reads_to_come.erase(reads_to_come.find(read));
      if (!item.paths.empty()) item.reads = std::move(it->second);
      reads.erase(it);
    }
    if (item.paths.empty()) return std::nullopt;
    item.linked = context;
    item.context = std::move(context);
    return item;
  }
};

StreamedPlan::StreamedPlan(const std::string& root, const ScanOptions& options,
                           std::vector<ConfiguredSetup> configured,
                           const ReadModuleFile& read_module_file)
    : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.root = root;
  s.options = options;
  s.configured = std::move(configured);
  for (std::size_t i = 0; i < s.configured.size(); ++i) {
    for (const std::string& doc : s.configured[i].documents) s.in_setup.emplace(identity(doc), i);
  }
  // The first walk. The .tf files are kept with their directories, in the scan's order.
  std::vector<std::pair<std::string, bool>> tf_files;  // path, a link
  std::string last_dir;
  std::string dir_id;
  walk_root(
      root, options,
      [&](const DirectoryListing::File& file) {
        const std::string& path = file.path.native();
        if (!s.in_setup.empty()) {
          const std::string dir = directory_of(path);
          if (dir != last_dir) {
            last_dir = dir;
            dir_id.clear();
          }
          const std::string id = State::file_identity(file, dir_id, fs::path(dir));
          const auto [from, to] = s.in_setup.equal_range(id);
          for (auto it = from; it != to; ++it) s.touched.insert(it->second);
          if (from != to) return;
        }
        ++s.files;
        if (file.link) {
          const auto [it, fresh] = s.linked.try_emplace(identity(path), path);
          if (!fresh && path < it->second) it->second = path;
        }
        if (is_terraform_file_name(path)) {
          tf_files.emplace_back(path, file.link);
          s.terraform = true;
        }
      },
      s.errors, &s.unreadable);
  s.next_configured = s.touched.begin();
  // The linked files themselves, where the scan lists them (a walk more, only with links).
  if (!s.linked.empty()) {
    std::vector<InputError> again;  // said by the first walk
    walk_root(
        root, options,
        [&](const DirectoryListing::File& file) {
          if (file.link) return;
          const std::string dir = directory_of(file.path.native());
          if (dir != last_dir) {
            last_dir = dir;
            dir_id.clear();
          }
          const auto it = s.linked.find(State::file_identity(file, dir_id, fs::path(dir)));
          if (it != s.linked.end() && file.path.native() < it->second)
            it->second = file.path.native();
        },
        again);
  }
  // The modules: each directory's .tf files as plan_setups would list them, folded. (A
  // directory's .tf files are not adjacent in the walk when a subdirectory's name sorts
  // between them: "a.tf" < "b/" < "c.tf".)
  std::vector<WorkItem> modules;
  std::map<std::string, std::size_t, std::less<>> module_of;  // directory -> its item
  for (const auto& [path, link] : tf_files) {
    const std::string dir = directory_of(path);
    std::string id;
    if (!s.linked.empty()) {
      const DirectoryListing::File file{path, link, false};
      if (!s.keeps(file, id, fs::path(dir))) {
        --s.files;  // a second spelling: not listed
        continue;
      }
    }
    const auto [at, fresh] = module_of.try_emplace(dir, modules.size());
    if (fresh) {
      WorkItem& item = modules.emplace_back();
      item.label = dir;
      item.directory = true;
      // An empty path stands for the directory's other files: fold_called_modules drops an item
      // left without files, and a module that is called can call others (its reads are kept).
      item.paths.push_back("");
    }
    modules[at->second].paths.push_back(path);
  }
  std::vector<std::vector<std::string>> before;  // each module's files
  for (const WorkItem& item : modules) before.emplace_back(item.paths.begin(), item.paths.end());
  fold_called_modules(modules, read_module_file);
  for (std::size_t i = 0; i < modules.size(); ++i) {
    WorkItem& item = modules[i];
    // The files dropped are read through the calls (none of the items is: each keeps its "").
    const std::set<std::string_view> kept(item.paths.begin(), item.paths.end());
    for (std::string& path : before[i]) {
      if (kept.contains(path)) continue;
      --s.files;
      s.folded.insert(std::move(path));
    }
    if (item.reads.empty()) continue;
    for (const std::string& read : item.reads) s.reads_to_come.insert(read);
    s.reads.emplace(item.label, std::move(item.reads));
  }
}

StreamedPlan::~StreamedPlan() = default;

std::vector<InputError> StreamedPlan::take_errors() {
  return std::exchange(state_->errors, {});
}

std::size_t StreamedPlan::files() const {
  return state_->files;
}

bool StreamedPlan::has_terraform() const {
  return state_->terraform;
}

std::optional<WorkItem> StreamedPlan::next() {
  State& s = *state_;
  if (s.next_configured != s.touched.end()) {
    const std::size_t i = *s.next_configured++;
    const ConfiguredSetup& setup = s.configured[i];
    WorkItem item{setup.name, {}, {}, false, i, {}, {}, {}, {}, {}, {}};
    for (const std::string& document : setup.documents) item.paths.push_back(document);
    return item;
  }
  std::optional<WorkItem> item;
  if (!s.started) {
    s.started = true;
    std::error_code ec;
    if (!fs::is_directory(s.root, ec)) return std::nullopt;
    std::vector<fs::path> children;
    item = s.directory_item(s.root, children);
    s.walk.push_back(State::frame_of(std::move(children)));
  }
  while (!item && !s.walk.empty()) {
    State::Frame& top = s.walk.back();
    if (top.next == top.entries.size()) {
      s.walk.pop_back();
      continue;
    }
    const State::Frame::Entry entry = top.entries[top.next++];
    if (entry.subtree) {
      State::Frame inner = State::frame_of(std::move(top.grandchildren[entry.child]));
      s.walk.push_back(std::move(inner));  // `top` is not used past here
      continue;
    }
    item = s.directory_item(top.children[entry.child], top.grandchildren[entry.child]);
  }
  // What is left to walk, without the steps that make nothing (a directory without
  // subdirectories, a walked frame): lower_bound() then holds back no more than it must.
  while (!s.walk.empty()) {
    State::Frame& top = s.walk.back();
    if (top.next == top.entries.size()) {
      s.walk.pop_back();
    } else if (const State::Frame::Entry& entry = top.entries[top.next];
               entry.subtree && top.grandchildren[entry.child].empty()) {
      ++top.next;
    } else {
      break;
    }
  }
  return item;
}

std::optional<std::string_view> StreamedPlan::lower_bound() const {
  State& s = *state_;
  if (s.next_configured != s.touched.end() || !s.started) return std::string_view();
  std::optional<std::string_view> least;
  auto consider = [&least](std::string_view path) {
    if (!least || path < *least) least = path;
  };
  for (const State::Frame& frame : s.walk) {
    if (frame.next < frame.entries.size()) consider(frame.bounds[frame.min_from[frame.next]]);
  }
  if (!s.reads_to_come.empty()) consider(*s.reads_to_come.begin());
  if (!least) return std::nullopt;
  s.bound.assign(*least);  // held here: the frames move as the walk goes on
  return s.bound;
}

}  // namespace gdl::analysis
