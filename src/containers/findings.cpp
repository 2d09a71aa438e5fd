#include "containers/findings.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

#include "containers/hcl_suggestion.h"
#include "containers/json_string.h"
#include "containers/terraform_json_syntax.h"
#include "diag/rule_catalog.h"
#include "export/setup.h"
#include "hcl/parser.h"
#include "util/interval_index.h"
#include "util/text.h"

namespace gdl::containers {

namespace {

// IAM's action wildcards (`*`, `?`), case-insensitive as action names are.
bool action_matches(std::string_view pattern, std::string_view action) {
  std::size_t p = 0, a = 0, star = std::string_view::npos, resume = 0;
  while (a < action.size()) {
    if (p < pattern.size() &&
        (pattern[p] == '?' || std::tolower(static_cast<unsigned char>(pattern[p])) ==
                                  std::tolower(static_cast<unsigned char>(action[a])))) {
      ++p;
      ++a;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = a;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      a = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool contains(Span outer, Span inner) {
  return inner.begin >= outer.begin && inner.begin < outer.end;
}

// Whether a finding's span touches an unknown value: a finding about a string that holds one
// (or a statement that does) would be a guess.
bool overlaps(Span unknown, Span finding) {
  if (finding.end <= finding.begin) return contains(unknown, finding);
  return finding.begin < unknown.end && unknown.begin < finding.end;
}

// The placements of each container file by the bytes they can speak for: the hull of their
// outer span, unknown values and uncertain statements. Every test adapt_findings makes of a
// finding against a placement needs the finding to be in that file and its span to meet that
// hull (overlaps() and contains() above), so only those placements are tried.
FileIntervalIndex index_placements(const std::vector<Placement>& placements) {
  FileIntervalIndex index;
  for (std::size_t i = 0; i < placements.size(); ++i) {
    const Placement& p = placements[i];
    std::size_t low = std::min(p.outer.begin, p.outer.end);
    std::size_t high = std::max(p.outer.begin, p.outer.end);
    auto widen = [&low, &high](Span s) {
      low = std::min({low, s.begin, s.end});
      high = std::max({high, s.begin, s.end});
    };
    for (const Span s : p.unknown_spans) widen(s);
    for (const Placement::Uncertain& u : p.uncertain) widen(u.where);
    index.add(p.file, low, high, i);
  }
  index.build();
  return index;
}

// The placements of the finding's file that its span may meet, into `ids`.
const std::vector<std::size_t>& near(const FileIntervalIndex& index, const Location& at,
                                     std::vector<std::size_t>& ids) {
  index.meeting(at.file, at.span.begin, std::max(at.span.begin, at.span.end), ids);
  return ids;
}

// A quoted JSON string on one line is also a valid YAML scalar, so such an edit applies to both.
bool is_json_scalar_line(std::string_view text) {
  // A boolean is written alike in JSON, YAML and HCL (an inverted aws:SecureTransport's repair).
  if (text == "true" || text == "false") return true;
  return text.size() >= 2 && text.front() == '"' && text.back() == '"' &&
         text.find('\n') == std::string_view::npos;
}

// A multi-line suggestion on one line: line breaks and the indentation after them go.
std::string one_line(std::string_view text) {
  std::string out;
  bool in_break = false;
  for (const char c : text) {
    if (c == '\n' || c == '\r') {
      in_break = true;
      continue;
    }
    if (in_break && c == ' ') continue;
    if (in_break && !out.empty() && out.back() != '{' && out.back() != '[' && c != '}' && c != ']')
      out += ' ';
    in_break = false;
    out += c;
  }
  return out;
}

// The indentation of the line `at` is on.
std::string_view indentation_at(std::string_view text, std::size_t at) {
  at = std::min(at, text.size());
  const std::size_t line = text.find_last_of("\r\n", at == 0 ? 0 : at - 1);  // lone CR too
  const std::size_t begin = line == std::string_view::npos || at == 0 ? 0 : line + 1;
  const std::size_t end = text.find_first_not_of(" \t", begin);
  return text.substr(begin, (end == std::string_view::npos ? text.size() : end) - begin);
}

// An edit to a policy written as Terraform blocks: a value for a value, or a list for a list,
// stays an edit (a list argument stays a list: `resources = ["*"]`, never `resources = "*"`);
// statements, conditions and principals are suggested as the blocks that write them. Returns
// whether the edit is kept.
bool write_as_blocks(Diagnostic& d, TextEdit& edit, const Placement& place, bool suggest_only) {
  const Span at = edit.location.span;
  const std::string_view target = at.end > at.begin && at.end <= place.text.size()
                                      ? place.text.substr(at.begin, at.size())
                                      : std::string_view();
  const bool list_target = target.starts_with("[");
  const std::string_view indent = indentation_at(place.text, at.begin);
  // A string put in place of one value (an element of a list, an expression) stays one string:
  // rendered as blocks it would become a list inside the list.
  const auto blocks = is_json_scalar_line(edit.replacement) && !list_target && at.size() > 0
                          ? std::optional<std::string>(edit.replacement)
                          : policy_fragment_as_blocks(edit.replacement, indent);
  // An element appended to a list as written (`, "arn:..."` after its last one) is HCL as it is.
  if (!suggest_only && at.size() == 0 && edit.replacement.starts_with(", ") &&
      is_json_scalar_line(std::string_view(edit.replacement).substr(2)))
    return true;
  if (!suggest_only && is_json_scalar_line(edit.replacement)) {
    if (list_target) {
      edit.replacement = "[" + edit.replacement + "]";
      return true;
    }
    // A string for a string, or for an HCL boolean (`values = [true]`, which the provider
    // renders as the string "true").
    if (target.starts_with("\"") || target == "true" || target == "false") return true;
  }
  if (!suggest_only && list_target && blocks && blocks->starts_with("[")) {
    edit.replacement = *blocks;
    return true;
  }
  // A statement appended after the last one, an element after a statement's last: the blocks
  // on lines of their own, at the indentation of the line they follow.
  if (!suggest_only && at.size() == 0 && blocks && !blocks->starts_with("[")) {
    edit.replacement = fmt::format("\n{}{}", indent, *blocks);
    return true;
  }
  if (blocks) {
    d.notes.push_back(
        at.end > at.begin
            ? fmt::format("suggested text for line {} (in place of what is there):\n{}{}",
                          edit.location.start.line, indent, *blocks)
            : fmt::format("suggested text after line {}:\n{}{}", edit.location.start.line, indent,
                          *blocks));
  } else {
    d.notes.push_back(fmt::format("suggested text at line {}: {}", edit.location.start.line,
                                  one_line(edit.replacement)));
  }
  return false;
}

// The column of `offset` in `text` (bytes since the line's start).
std::size_t column_of(std::string_view text, std::size_t offset) {
  const std::size_t line_start = text.find_last_of("\r\n", offset == 0 ? 0 : offset - 1);
  return line_start == std::string_view::npos ? offset : offset - line_start - 1;
}

// A string for Fn::Sub: its IAM policy variables (${aws:username}) written ${!aws:username}, which
// Fn::Sub leaves as ${aws:username}; the template's own symbols are substituted.
std::string sub_escaped(std::string_view literal) {
  std::string out;
  for (std::size_t at = 0; at < literal.size();) {
    const std::size_t open = literal.find("${", at);
    if (open == std::string_view::npos) {
      out.append(literal.substr(at));
      break;
    }
    const std::size_t close = literal.find('}', open);
    out.append(literal.substr(at, open - at));
    if (close != std::string_view::npos &&
        is_policy_variable(literal.substr(open + 2, close - open - 2))) {
      out += "${!";
      out.append(literal.substr(open + 2, close - open - 1));
      at = close + 1;
    } else {
      out += "${";
      at = open + 2;
    }
  }
  return out;
}

// JSON text with each string literal that holds a template symbol (${AWS::AccountId},
// ${FindingsBucket}: the stand-ins written back) rewritten by `wrap`: CloudFormation substitutes
// symbols only in a !Sub (Fn::Sub), never in a plain string, which it compares literally.
template <typename Wrap>
std::string with_symbolic_strings(std::string_view json, Wrap wrap) {
  std::string out;
  for (std::size_t i = 0; i < json.size(); ++i) {
    if (json[i] != '"') {
      out += json[i];
      continue;
    }
    std::size_t end = i + 1;
    while (end < json.size() && json[end] != '"') end += json[end] == '\\' ? 2U : 1U;
    const std::string_view literal = json.substr(i, std::min(end + 1, json.size()) - i);
    out += literal.find("${") != std::string_view::npos ? wrap(sub_escaped(literal))
                                                        : std::string(literal);
    i = end;
  }
  return out;
}

// For a YAML flow value: !Sub "...".
std::string with_sub_tags(std::string_view json) {
  return with_symbolic_strings(json, [](std::string_view s) { return "!Sub " + std::string(s); });
}

// For a JSON template: {"Fn::Sub": "..."}.
std::string with_fn_sub(std::string_view json) {
  return with_symbolic_strings(
      json, [](std::string_view s) { return fmt::format("{{\"Fn::Sub\": {}}}", s); });
}

// A JSON edit that appends to a block-style YAML policy, written as YAML: a statement
// (",\n    {...}" after the last one) becomes a "- {...}" item at its siblings' indentation, and
// an element (",\n      \"Condition\": {...}" after a statement's last one) a "Condition:
// {...}" line at its siblings'. JSON is YAML's flow syntax, so the value stays JSON on one
// line. False when the edit is not such an append (it is then a suggestion).
bool write_as_yaml(TextEdit& edit, const Placement& place, bool symbolic) {
  const std::string_view text = place.text;
  const Span at = edit.location.span;
  if (at.size() != 0 || at.begin > text.size()) return false;
  std::string_view replacement = edit.replacement;
  if (!replacement.starts_with(',')) return false;
  replacement.remove_prefix(1);
  while (!replacement.empty() && (replacement.front() == '\n' || replacement.front() == ' '))
    replacement.remove_prefix(1);
  if (replacement.empty()) return false;
  for (const Span statement : place.statements) {
    if (statement.begin >= text.size() || text[statement.begin] == '{') continue;  // flow style
    if (replacement.front() == '{' && statement.end == at.begin) {
      // The statement's "- " marks the sequence's indentation.
      std::size_t dash = statement.begin;
      while (dash > 0 && text[dash - 1] == ' ') --dash;
      if (dash == 0 || text[dash - 1] != '-') return false;
      const std::string value = one_line(replacement);
      edit.replacement = fmt::format("\n{}- {}", std::string(column_of(text, dash - 1), ' '),
                                     symbolic ? with_sub_tags(value) : value);
      return true;
    }
    if (replacement.front() == '"' && statement.begin < at.begin && at.begin <= statement.end) {
      const std::size_t colon = replacement.find("\":");
      if (colon == std::string_view::npos) return false;
      const std::string_view key = replacement.substr(1, colon - 1);
      std::string_view value = replacement.substr(colon + 2);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      const std::string flow = one_line(value);
      edit.replacement =
          fmt::format("\n{}{}: {}", std::string(column_of(text, statement.begin), ' '), key,
                      symbolic ? with_sub_tags(flow) : flow);
      return true;
    }
  }
  return false;
}

// Where a statement appended to a Terraform object's Statement list is written. The fix appends
// after the last statement, but a statement written elsewhere (a local listed last) ends in that
// local, where the new statement would break the local's object. It goes after the list's last
// element as written. Unplaceable when the list is not written as one (`concat(...)`, a
// for expression): the edit is then only suggested.
enum class HclAppend { other_edit, moved, unplaceable };

HclAppend place_hcl_append(TextEdit& edit, const Placement& place) {
  const Span at = edit.location.span;
  if (at.size() != 0 || !edit.replacement.starts_with(',') || place.statements.empty() ||
      !place.statement_list || at.begin != place.statements.back().end)
    return HclAppend::other_edit;
  // The list as written decides, not the last statement's span: a statement from a local of
  // another file is placed at the list (its bytes are not in this file).
  const Span list = *place.statement_list;
  if (list.end > place.text.size() || place.container == nullptr) return HclAppend::unplaceable;
  const SourceFile written(place.file, std::string(place.text.substr(list.begin, list.size())));
  const hcl::ExpressionResult parsed = hcl::parse_expression(written);
  if (!parsed.expr || !parsed.diagnostics.empty() || parsed.expr->kind != hcl::ExprKind::tuple ||
      parsed.expr->children.empty()) {
    const std::size_t close = list.end - std::min<std::size_t>(list.size(), 1);
    edit.location = make_location(*place.container, {close, close});  // for the suggestion
    return HclAppend::unplaceable;
  }
  const std::size_t end = list.begin + parsed.expr->children.back()->span.end;
  edit.location = make_location(*place.container, {end, end});
  return HclAppend::moved;
}

// Whether `edit` lands in a statement that this file does not write as an object: one taken
// from a local or variable of another file is placed where it is referred to (`local.gd_put`), so
// an element added "after its last one" would land after the reference.
bool in_statement_written_elsewhere(const Placement& place, const TextEdit& edit) {
  const std::size_t at = edit.location.span.begin;
  return std::any_of(place.statements.begin(), place.statements.end(), [&](Span statement) {
    return statement.begin <= at && at <= statement.end &&
           (statement.begin >= place.text.size() || place.text[statement.begin] != '{');
  });
}

// Whether the Terraform file still reads as HCL with `edit` applied: a fix computed on the
// policy's JSON model may land where HCL takes no such text (a condition after a statement that
// is a reference to a local of another file, an element inside a for expression). Such an edit
// is a suggestion, never written. (Syntax errors the file already had do not count.)
bool still_hcl(const Placement& place, const TextEdit& edit) {
  if (place.container == nullptr) return false;
  const Span at = edit.location.span;
  const std::string_view text = place.text;
  if (at.begin > at.end || at.end > text.size()) return false;
  // One value put in place of another cannot change the syntax around it.
  if (at.size() > 0 && is_json_scalar_line(edit.replacement)) return true;
  // The document's own text is read (an expression: jsonencode's object; or the data source's
  // block), not the whole file: a module of thousands of policies is not parsed per edit.
  const Span outer = place.outer;
  const bool inside = outer.begin <= at.begin && at.end <= outer.end && outer.end <= text.size();
  const Span window = inside ? outer : Span{0, text.size()};
  const std::string_view written = text.substr(window.begin, window.size());
  std::string changed(written.substr(0, at.begin - window.begin));
  changed += edit.replacement;
  changed.append(written.substr(at.end - window.begin));
  const bool expression = inside && place.quoting == Quoting::hcl_object;
  auto errors = [&](std::string bytes) {
    const SourceFile file(place.container->path(), std::move(bytes));
    return expression ? hcl::parse_expression(file).diagnostics.size()
                      : hcl::parse(file).diagnostics.size();
  };
  return errors(std::move(changed)) <= errors(std::string(written));
}

// Whether the document's own text refers to `name` (`var.bucket_name`, `aws_s3_bucket.b`) as a
// whole reference, not as the start of a longer one (`var.bucket_name_prefix`).
bool document_refers_to(const Placement& place, std::string_view name) {
  if (place.outer.end > place.text.size() || name.empty()) return false;
  const std::string_view written = place.text.substr(place.outer.begin, place.outer.size());
  auto identifier = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
  };
  for (std::size_t at = written.find(name); at != std::string_view::npos;
       at = written.find(name, at + 1)) {
    const std::size_t end = at + name.size();
    if ((at == 0 || (!identifier(written[at - 1]) && written[at - 1] != '.')) &&
        (end == written.size() || !identifier(written[end])))
      return true;
  }
  return false;
}

// Replaces `value` with `symbol` where, in a quoted string of `text`, it is the whole string or
// whole fields of an ARN after its service (the Region, the account, the resource's parts: a
// bucket's name in arn:aws:s3:::NAME/*): never a word of other text (a variable whose value is
// "guardduty" is not the service in arn:aws:guardduty:... nor in guardduty.amazonaws.com).
bool replace_in_values(std::string& text, std::string_view value, std::string_view symbol) {
  std::string out;
  std::size_t copied = 0;  // text before this is in `out`
  for (std::size_t open = text.find('"'); open != std::string::npos;) {
    std::size_t close = open + 1;
    while (close < text.size() && text[close] != '"') close += text[close] == '\\' ? 2U : 1U;
    if (close >= text.size()) break;
    const std::string_view string(text.data() + open + 1, close - open - 1);
    const bool arn = string.starts_with("arn:");
    for (std::size_t at = string.find(value); at != std::string_view::npos;
         at = string.find(value, at + 1)) {
      const std::size_t end = at + value.size();
      auto field_edge = [&](std::size_t i) { return string[i] == ':' || string[i] == '/'; };
      const bool whole = at == 0 && end == string.size();
      const bool field =
          arn && at > 0 && field_edge(at - 1) && (end == string.size() || field_edge(end)) &&
          std::count(string.begin(), string.begin() + static_cast<std::ptrdiff_t>(at), ':') >= 3;
      const std::size_t from = open + 1 + at;
      if ((!whole && !field) || from < copied) continue;
      out.append(text, copied, from - copied);
      out.append(symbol);
      copied = from + value.size();
    }
    open = text.find('"', close + 1);
  }
  if (copied == 0) return false;
  out.append(text, copied);
  text = std::move(out);
  return true;
}

// Writes, in an edit of a Terraform or template document, the expressions the document itself
// spells its values with (`${var.bucket_name}` for the bucket's name given with --var): a reusable
// module must not be given one deployment's value. Only HCL takes the expression as it stands; a
// template's own structure takes it in an Fn::Sub.
bool spell_as_written(std::string& replacement, const Placement& place) {
  if (place.fix_symbols == nullptr ||
      (place.quoting != Quoting::hcl_object && place.quoting != Quoting::hcl_blocks &&
       !place.cloudformation))
    return false;
  bool spelled = false;
  for (const Extraction::FixSymbol& f : *place.fix_symbols) {
    if (!f.symbol.empty() && replacement.find(f.value) != std::string::npos &&
        (f.module_files.empty() || std::find(f.module_files.begin(), f.module_files.end(),
                                             place.container) != f.module_files.end()) &&
        (f.referred_as.empty() || document_refers_to(place, f.referred_as)))
      spelled = replace_in_values(replacement, f.value, f.symbol) || spelled;
  }
  return spelled;
}

// Writes `arn:${AWS::Partition}:` for each `arn:<partition>:` of `text` that `opens` accepts
// (the character before it, or '\0' at the start). True when it wrote one.
template <typename Opens>
bool write_partition_symbol_in(std::string& text, Opens opens) {
  bool wrote = false;
  for (std::size_t at = text.find("arn:"); at != std::string::npos;
       at = text.find("arn:", at + 1)) {
    const std::size_t colon = text.find(':', at + 4);
    if (colon == std::string::npos || !opens(at == 0 ? '\0' : text[at - 1]) ||
        !exportcfg::is_partition(std::string_view(text).substr(at + 4, colon - at - 4)))
      continue;
    text.replace(at + 4, colon - at - 4, "${AWS::Partition}");
    wrote = true;
  }
  return wrote;
}

// How a template writes its partition; read once per container and extraction (a template may
// be megabytes, and every finding in it is adapted).
struct PartitionStyle {
  // A partition-neutral template (one that writes AWS::Partition, as every CDK one does) whose
  // Region is a stand-in (${AWS::Region}, no --region): the partition of every ARN the run
  // resolved or built for it is the simulated Region's, a stand-in too. The ARNs a symbolic
  // edit writes are written ${AWS::Partition} as the template writes them, rather than the
  // simulated Region's "arn:aws:", which GuardDuty in aws-us-gov or aws-cn never sends (a
  // condition on it would deny the export there).
  bool symbol_in_edits = false;
  // The same in a finding's words ("an upload to arn:aws:s3:::${Bucket}/*" would show the
  // stand-in partition as a fact), only where the template writes no partition literally (no
  // "arn:aws:..."), so that an ARN a message quotes from the template is never misquoted.
  bool symbol_in_messages = false;
};

PartitionStyle partition_style(const Placement& place) {
  PartitionStyle style;
  style.symbol_in_edits = place.stand_ins != nullptr &&
                          place.text.find("AWS::Partition") != std::string_view::npos &&
                          std::any_of(place.stand_ins->begin(), place.stand_ins->end(),
                                      [](const auto& s) { return s.second == "${AWS::Region}"; });
  if (!style.symbol_in_edits) return style;
  const std::string_view text = place.text;
  for (std::size_t at = text.find("arn:"); at != std::string_view::npos;
       at = text.find("arn:", at + 1)) {
    const std::size_t colon = text.find(':', at + 4);
    if (colon != std::string_view::npos &&
        exportcfg::is_partition(text.substr(at + 4, colon - at - 4)))
      return style;
  }
  style.symbol_in_messages = true;
  return style;
}

void show_partition_symbol(Diagnostic& d) {
  const auto word_start = [](char before) {
    return before == '\0' || (std::isalnum(static_cast<unsigned char>(before)) == 0 &&
                              before != '_' && before != '-' && before != ':');
  };
  write_partition_symbol_in(d.message, word_start);
  for (std::string& note : d.notes) write_partition_symbol_in(note, word_start);
  for (RelatedLocation& r : d.related) write_partition_symbol_in(r.message, word_start);
  if (d.fix) write_partition_symbol_in(d.fix->description, word_start);
}

// Findings about a document inside a container: stand-ins shown as the template's symbols,
// edits written the way the container writes the document (escaped in a JSON string; as a
// suggestion only where the document is YAML or the edit holds a symbol).
void adapt_to_container(Diagnostic& d, const Placement& place, PartitionStyle partition = {}) {
  // In a called module's file, the module's own resources are named as it names them:
  // ${module.b.aws_s3_bucket.this.id} from the root is ${aws_s3_bucket.this.id} there.
  const std::string own_prefix =
      place.module_address.empty() ? std::string() : "${" + place.module_address;
  auto localize = [&](std::string& text) {
    if (!own_prefix.empty()) replace_all(text, own_prefix, "${");
  };
  auto restore = [&](std::string& text) {
    const bool restored = replace_whole_words_each(text, *place.stand_ins);
    localize(text);
    return restored;
  };
  if (place.stand_ins != nullptr && !place.stand_ins->empty()) {
    restore(d.message);
    for (std::string& note : d.notes) restore(note);
    for (RelatedLocation& r : d.related) restore(r.message);
  }
  if (partition.symbol_in_messages) show_partition_symbol(d);
  if (!d.fix) return;
  if (place.stand_ins != nullptr) restore(d.fix->description);
  // In Terraform's JSON syntax an edit is written only inside a policy held in a plain string
  // (JSON-escaped, as in a .json policy); any other would be written in the native syntax's forms
  // (an object constructor, a block), and one in a string holding an interpolation could land in
  // the ${...}, which is computed, not written.
  const auto interpolated = [&place](const TextEdit& edit) {
    const std::string_view text = place.text;
    std::size_t open = std::min(edit.location.span.begin, text.size());
    // The string the edit is in: back to its opening quote (one no odd run of backslashes
    // escapes), then on to its closing one.
    const auto escaped = [&text](std::size_t quote) {
      std::size_t backslashes = 0;
      while (quote > backslashes && text[quote - backslashes - 1] == '\\') ++backslashes;
      return backslashes % 2 == 1;
    };
    while (open > 0 && !(text[open - 1] == '"' && !escaped(open - 1))) --open;
    std::size_t close = std::max(open, std::min(edit.location.span.end, text.size()));
    while (close < text.size() && !(text[close] == '"' && !escaped(close))) ++close;
    const std::string_view string = text.substr(open, close - open);
    return open == 0 || string.find("${") != std::string_view::npos ||
           string.find("%{") != std::string_view::npos;
  };
  const bool unwritable_json =
      place.terraform_json && (place.quoting != Quoting::json_string ||
                               std::any_of(d.fix->edits.begin(), d.fix->edits.end(), interpolated));
  if (unwritable_json) {
    if (!d.fix->edits.empty()) {
      d.notes.push_back(
          "no edit is written for this fix: the module is written in Terraform's JSON syntax "
          "(.tf.json), and fixes are written in its native syntax only");
    }
    d.fix->edits.clear();
    return;
  }
  // An edit that cannot be written where it goes is shown as text for the user to put there.
  auto suggest = [&d](const TextEdit& edit, std::string_view text) {
    d.notes.push_back(fmt::format("suggested text at line {}: {}", edit.location.start.line, text));
  };
  std::vector<TextEdit> kept;
  for (TextEdit& edit : d.fix->edits) {
    // A symbol restored from a stand-in, or one the fix wrote as its value's origin said (a
    // template's ${AWS::AccountId}, checked as the one account the template names).
    // The document's own expressions first: a stand-in's symbol restored before could hold a
    // variable's value as a word (${aws_s3_bucket.findings.id} and var.name = "findings").
    // They are declared in the document's own module or template: written as they stand in
    // HCL, as an Fn::Sub in a template.
    const bool spelled = spell_as_written(edit.replacement, place);
    // Whether the edit holds a symbol the file does not declare: in a called module's file, one
    // of the calling module's (anything but the module's own resources).
    bool foreign = place.called_module_file;
    bool restored_here = false;
    if (place.stand_ins != nullptr) {
      restored_here = replace_whole_words_each(edit.replacement, *place.stand_ins);
      if (restored_here && !own_prefix.empty()) {
        foreign = std::any_of(place.stand_ins->begin(), place.stand_ins->end(),
                              [&](const auto& stand_in) {
                                return !stand_in.second.starts_with(own_prefix) &&
                                       edit.replacement.find(stand_in.second) != std::string::npos;
                              });
      }
      localize(edit.replacement);
    }
    const bool restored = restored_here || (spelled && place.cloudformation);
    const bool symbolic = restored || ((place.cloudformation || place.verbatim_string) &&
                                       edit.replacement.find("${AWS::") != std::string::npos);
    if (symbolic && place.cloudformation && partition.symbol_in_edits)
      write_partition_symbol_in(edit.replacement, [](char before) { return before == '"'; });
    if (symbolic && foreign) {
      d.notes.push_back(
          "no edit is written for this fix: it would write a value of the calling module (a "
          "symbol it declares) into a file of the module it calls, where it is not declared");
      continue;
    }
    if (symbolic && place.verbatim_string) {
      d.notes.push_back(
          "no edit is written for this fix: it would write a template symbol into a policy held "
          "in a plain string, which CloudFormation passes as written (only an Fn::Sub "
          "substitutes ${...})");
      continue;
    }
    if (place.unwritable != nullptr) {
      // A symbol restored from a stand-in, or a placeholder the fix wrote itself (<ACCOUNT_ID>
      // for an account only the key's owner suggests) that the container cannot name either.
      std::vector<std::string> needed;
      for (const auto& [symbol, why] : *place.unwritable) {
        if ((symbolic || symbol.starts_with('<')) &&
            edit.replacement.find(symbol) != std::string::npos)
          needed.push_back(fmt::format("{} ({})", symbol, why));
      }
      if (!needed.empty()) {
        // Written as it stands, the edit would not be valid where it goes: it is left to the
        // user, who knows which value to pass (a stand-in is never written into a fix).
        d.notes.push_back(fmt::format("no edit is written for this fix: it would need {}",
                                      fmt::join(needed, " and ")));
        continue;
      }
    }
    if (place.quoting == Quoting::hcl_object) {
      const HclAppend append = place_hcl_append(edit, place);
      if (append == HclAppend::unplaceable) {
        d.notes.push_back(
            fmt::format("suggested text at the end of the Statement list (line {}): {}",
                        edit.location.start.line, one_line(edit.replacement)));
        continue;
      }
      // Written as terraform fmt writes the list's other objects (or the statement's other
      // members), at their indentation.
      const std::string_view indent = indentation_at(place.text, edit.location.span.begin);
      if (append == HclAppend::moved) {
        if (auto object = statement_as_hcl_object(edit.replacement, indent))
          edit.replacement = std::move(*object);
      } else if (edit.location.span.size() == 0 && !in_statement_written_elsewhere(place, edit)) {
        if (auto members = members_as_hcl_object(edit.replacement, indent))
          edit.replacement = std::move(*members);
      }
      if (append == HclAppend::other_edit && in_statement_written_elsewhere(place, edit)) {
        d.notes.push_back(fmt::format(
            "no edit is written for this fix: the statement is written elsewhere (a local or "
            "variable of another file) and only referred to here; suggested text: {}",
            one_line(edit.replacement)));
        continue;
      }
    }
    const Span at = edit.location.span;
    const bool computed = std::any_of(
        place.computed_spans.begin(), place.computed_spans.end(),
        [&](Span c) { return at.begin < c.end && c.begin < std::max(at.end, at.begin + 1); });
    if (place.quoting == Quoting::hcl_blocks) {
      // A restored symbol (${data.aws_caller_identity.current.account_id}) is an HCL template
      // expression as it stands: only computed values leave the fix a suggestion.
      if (!write_as_blocks(d, edit, place, computed)) continue;
      if (still_hcl(place, edit)) {
        kept.push_back(std::move(edit));
      } else {
        suggest(edit, one_line(edit.replacement));
      }
      continue;
    }
    if (place.quoting == Quoting::json_string && !computed) {
      edit.replacement = escape_json_string(edit.replacement);
    } else if (place.quoting == Quoting::not_json && !computed &&
               !is_json_scalar_line(edit.replacement) && write_as_yaml(edit, place, symbolic)) {
      // appended as YAML
    } else if ((place.quoting == Quoting::not_json && !is_json_scalar_line(edit.replacement)) ||
               (symbolic && place.quoting != Quoting::hcl_object) || computed ||
               (place.quoting == Quoting::hcl_object && at.end > at.begin &&
                (at.end > place.text.size() ||
                 !is_literal_hcl(place.text.substr(at.begin, at.size()))))) {
      // A JSON statement cannot be pasted into YAML (nor a symbol into a template value as-is):
      // it is shown as a suggestion on one line instead of an edit, a template's symbols in
      // the strings CloudFormation substitutes.
      std::string suggestion = one_line(edit.replacement);
      if (symbolic && place.cloudformation)
        suggestion = place.quoting == Quoting::not_json ? with_sub_tags(suggestion)
                                                        : with_fn_sub(suggestion);
      suggest(edit, suggestion);
      continue;
    }
    // (Terraform blocks were settled above.)
    if (place.quoting == Quoting::hcl_object && !still_hcl(place, edit)) {
      suggest(edit, one_line(edit.replacement));
      continue;
    }
    kept.push_back(std::move(edit));
  }
  if (!kept.empty() && kept.size() < d.fix->edits.size()) {
    // A fix is one change: where some of its edits can only be suggested (or not written at
    // all), writing the others would apply part of it (a condition on one of two grants).
    for (const TextEdit& edit : kept) suggest(edit, one_line(edit.replacement));
    kept.clear();
  }
  d.fix->edits = std::move(kept);
}

// The account a stack or module is deployed in: CloudFormation's pseudo parameter, Terraform's
// aws_caller_identity.
bool is_account_symbol(std::string_view symbol) {
  return symbol == "${AWS::AccountId}" || symbol.starts_with("${data.aws_caller_identity.") ||
         symbol == "<ACCOUNT_ID>";  // a module that declares no aws_caller_identity
}

// The Region a module is deployed in (not a template's: its key's home is its own).
bool is_module_region_symbol(std::string_view symbol) {
  return symbol.starts_with("${data.aws_region.") || symbol == "<REGION>";
}

// Whether a statement holding unknown values may cover a request the rule concludes about:
// yes unless its Action element is known and covers none of them.
bool may_cover(const Placement::Uncertain& u, const RuleInfo* rule,
               const std::vector<std::string>& guardduty_principals) {
  if (rule != nullptr && rule->requested_by_service && u.service_free) return false;
  // A grant to guardduty.us-east-1.amazonaws.com cannot cover GuardDuty's request in us-east-1
  // (it calls as guardduty.amazonaws.com there), whatever its unknown condition holds.
  if (rule != nullptr && rule->requested_by_service && u.services &&
      !guardduty_principals.empty() &&
      std::none_of(u.services->begin(), u.services->end(), [&](const std::string& service) {
        return service.find('*') != std::string::npos ||
               std::any_of(guardduty_principals.begin(), guardduty_principals.end(),
                           [&](const std::string& p) { return iequals(service, p); });
      }))
    return false;
  if (rule != nullptr && rule->requested_by_others && u.guardduty_only) return false;
  if (rule == nullptr || rule->requests.empty() || !u.actions) return true;
  return std::any_of(rule->requests.begin(), rule->requests.end(), [&](const std::string& action) {
    const bool listed =
        std::any_of(u.actions->begin(), u.actions->end(),
                    [&](const std::string& pattern) { return action_matches(pattern, action); });
    return listed != u.not_action;
  });
}

}  // namespace

Placement place(const EmbeddedDocument& document, const Extraction& extraction,
                const std::string& path) {
  Placement p;
  p.outer = container_span(*document.source, document.tree->span);
  p.file = path;
  p.quoting = document.source->embedding() != nullptr ? document.source->embedding()->quoting
                                                      : document.quoting;
  const SourceFile* container = document.source;
  while (container->embedding() != nullptr) container = container->embedding()->container;
  p.text = container->text();
  p.container = container;
  p.terraform_json =
      extraction.format == Format::terraform_source && tf::is_json_syntax_file(container->path());
  p.unknown_spans = document.unknown_spans;
  p.computed_spans = document.computed_spans;
  if (!document.passed_to_unread_module.empty()) {
    // A Deny the module may add: written nowhere, covering any action.
    Placement::Uncertain added;
    added.where = {std::string::npos, std::string::npos};
    added.deny = true;
    p.uncertain.push_back(std::move(added));
  }
  p.stand_ins = &extraction.stand_ins;
  p.unwritable = &extraction.unwritable;
  p.fix_symbols = &extraction.fix_symbols;
  // A policy held in a string (a `!Sub |` block) is text: its ${...} are the string's own.
  p.cloudformation =
      extraction.format == Format::cloudformation && document.source->embedding() == nullptr;
  p.called_module_file =
      std::any_of(extraction.files.begin(), extraction.files.end(),
                  [&](const std::shared_ptr<const SourceFile>& f) { return f.get() == container; });
  if (p.called_module_file) p.module_address = document.module_address;
  p.verbatim_string =
      (extraction.format == Format::cloudformation && document.source->embedding() != nullptr &&
       p.quoting == Quoting::json_string) ||
      document.plain_template_string;
  return p;
}

void mark_uncertain_statements(Placement& placement, const policy::Policy& policy,
                               const SourceFile& source) {
  for (const policy::Statement& statement : policy.statements)
    placement.statements.push_back(container_span(source, statement.span));
  if (policy.statement_present)
    placement.statement_list = container_span(source, policy.statement_span);
  if (placement.unknown_spans.empty()) return;
  // An unknown value outside every statement is a statement itself (`!If [c, {...},
  // AWS::NoValue]`) or the list of them: it may be an Allow or a Deny.
  for (const Span unknown : placement.unknown_spans) {
    const bool in_statement = std::any_of(
        policy.statements.begin(), policy.statements.end(), [&](const policy::Statement& st) {
          return overlaps(container_span(source, st.span), unknown);
        });
    if (!in_statement) placement.unknown_statements = true;
  }
  auto holds_unknown = [&](Span span) {
    const Span where = container_span(source, span);
    return std::any_of(placement.unknown_spans.begin(), placement.unknown_spans.end(),
                       [&](Span u) { return overlaps(where, u); });
  };
  for (const policy::Statement& statement : policy.statements) {
    if (!holds_unknown(statement.span)) continue;
    Placement::Uncertain u;
    u.where = container_span(source, statement.span);
    // An unknown Effect may be either.
    u.deny = statement.effect == policy::Effect::deny;
    if (statement.effect == policy::Effect::invalid && statement.effect_text &&
        holds_unknown(statement.effect_text->span))
      placement.unknown_statements = true;
    if (statement.action.present && !holds_unknown(statement.action.span)) {
      u.actions.emplace();
      for (const policy::Text& a : statement.action.items) u.actions->push_back(a.value);
      u.not_action = statement.action_negated;
    }
    const policy::PrincipalElement& principal = statement.principal;
    u.service_free = principal.present && !principal.everyone && !statement.principal_negated &&
                     !principal.entries.empty() &&
                     std::all_of(principal.entries.begin(), principal.entries.end(),
                                 [&](const policy::PrincipalEntry& e) {
                                   if (!holds_unknown(e.value.span) && !holds_unknown(e.type_span))
                                     return e.type == "AWS" && e.value.value != "*";
                                   return e.type == "AWS" && !holds_unknown(e.type_span) &&
                                          e.value.value.starts_with("arn:");
                                 });
    if (principal.present && !principal.everyone && !statement.principal_negated &&
        !principal.entries.empty() &&
        std::all_of(principal.entries.begin(), principal.entries.end(),
                    [&](const policy::PrincipalEntry& e) {
                      return !holds_unknown(e.value.span) && !holds_unknown(e.type_span) &&
                             e.type == "Service";
                    })) {
      u.services.emplace();
      for (const policy::PrincipalEntry& e : principal.entries)
        u.services->push_back(e.value.value);
    }
    u.guardduty_only = principal.present && !principal.everyone && !statement.principal_negated &&
                       !principal.entries.empty() &&
                       std::all_of(principal.entries.begin(), principal.entries.end(),
                                   [&](const policy::PrincipalEntry& e) {
                                     return !holds_unknown(e.value.span) &&
                                            !holds_unknown(e.type_span) && e.type == "Service" &&
                                            exportcfg::is_guardduty_principal(e.value.value);
                                   });
    placement.uncertain.push_back(std::move(u));
  }
}

void adapt_findings(std::vector<Diagnostic>& diagnostics, const std::vector<Placement>& placements,
                    const std::vector<const SourceFile*>& sources,
                    const std::vector<Extraction>& extractions, bool drop_uncertain,
                    const std::vector<std::string>& guardduty_principals) {
  // Conclusions that would rest on values unknown offline are dropped: they would be guesses.
  // Those about the values themselves or their statements, and those that need every Allow
  // (a permission is missing) or every Deny (a protection is missing) of a document in which
  // an Allow or a Deny holds an unknown value. Each rule says what it needs in its metadata.
  const FileIntervalIndex index = index_placements(placements);
  std::vector<std::size_t> ids;  // reused by every query
  std::erase_if(diagnostics, [&](const Diagnostic& d) {
    if (!drop_uncertain) return false;
    const RuleInfo* rule = find_rule(d.rule_id);
    const RuleNeeds needs = rule != nullptr ? rule->needs : RuleNeeds::setup;
    const std::vector<std::size_t>& candidates = near(index, d.location, ids);
    return std::any_of(candidates.begin(), candidates.end(), [&](std::size_t i) {
      const Placement& p = placements[i];  // of the finding's file
      const Span at = d.location.span;
      const auto touches = [&](Span s) { return overlaps(s, at) || contains(s, at); };
      if (std::any_of(p.unknown_spans.begin(), p.unknown_spans.end(), touches)) return true;
      // Grammar findings are about values that are known; the conclusions of simulations may
      // rest on the unknown ones.
      if (needs == RuleNeeds::document) return false;
      // A finding inside a statement holding unknowns rests on them, except that "nothing
      // allows it" or "nothing denies it" only points at a statement (the closest, or the first
      // of the document when Statement is one object): that one decides only if it is an Allow
      // (a Deny) that may cover the request. "Someone else's request is allowed" points at the
      // Allow that admits it (GD313's witness): an unknown there (an organization id resolved
      // at deployment) may be what admits it, and a Deny holding one may refuse it.
      const bool deny = needs == RuleNeeds::every_deny || needs == RuleNeeds::allowed;
      const bool absence = needs == RuleNeeds::every_allow || deny;
      if (std::any_of(p.uncertain.begin(), p.uncertain.end(), [&](const Placement::Uncertain& u) {
            if (!contains(u.where, at)) return false;
            if (!absence || (needs == RuleNeeds::allowed && !u.deny)) return true;
            return u.deny == deny && may_cover(u, rule, guardduty_principals);
          }))
        return true;
      if (!contains(p.outer, at) && p.outer.begin != at.begin) return false;
      if (!absence) return false;
      if (p.unknown_statements) return true;
      return std::any_of(p.uncertain.begin(), p.uncertain.end(),
                         [&](const Placement::Uncertain& u) {
                           return u.deny == deny && may_cover(u, rule, guardduty_principals);
                         });
    });
  });
  std::map<std::pair<const SourceFile*, const void*>, PartitionStyle> styles;
  auto style_of = [&styles](const Placement& p) {
    const auto key = std::make_pair(p.container, static_cast<const void*>(p.stand_ins));
    auto it = styles.find(key);
    if (it == styles.end()) it = styles.emplace(key, partition_style(p)).first;
    return it->second;
  };
  for (Diagnostic& d : diagnostics) {
    bool placed = false;
    for (const std::size_t i : near(index, d.location, ids)) {
      const Placement& p = placements[i];  // of the finding's file
      if (contains(p.outer, d.location.span) || p.outer.begin == d.location.span.begin) {
        adapt_to_container(d, p, style_of(p));
        placed = true;
        break;
      }
    }
    if (placed) continue;
    // Findings outside a policy (a template's publishing destination) show symbols too: those
    // of the extraction that read the file (a Terraform module's extraction reads several).
    for (std::size_t i = 0; i < sources.size(); ++i) {
      const Extraction& e = extractions[i];
      const bool read_here =
          sources[i]->path() == d.location.file ||
          std::any_of(placements.begin(), placements.end(), [&](const Placement& p) {
            return p.file == d.location.file && p.stand_ins == &e.stand_ins;
          });
      if (!read_here || e.stand_ins.empty()) continue;
      Placement symbols_only;
      symbols_only.stand_ins = &e.stand_ins;
      adapt_to_container(d, symbols_only);
      break;
    }
  }
}

void report_contradictions(const exportcfg::ExportSettings& stated,
                           const exportcfg::ExportSettings& given, std::vector<Diagnostic>& out) {
  auto compare = [&](const exportcfg::Value& in_file, const exportcfg::Value& flag,
                     std::string_view what) {
    if (!in_file.known() || !flag.known() || in_file.get() == flag.get() ||
        !in_file.origin.location || in_file.origin.stand_in)
      return;
    Diagnostic d = make_diagnostic(
        "GD007", *in_file.origin.location,
        fmt::format("this file's publishing destination gives the {} as {}, but {} gives {}; "
                    "the checks use {}",
                    what, in_file.get(), flag.origin.detail, flag.get(), flag.get()));
    d.severity = Severity::warning;
    out.push_back(std::move(d));
  };
  compare(stated.bucket, given.bucket, "bucket");
  compare(stated.prefix, given.prefix, "prefix");
  compare(stated.key_arn, given.key_arn, "KMS key ARN");
  compare(stated.detector_id, given.detector_id, "detector id");
}

}  // namespace gdl::containers

namespace gdl::containers {

namespace {

// Matches `given` against `symbolic`, in which each stand-in token stands for any non-empty
// text (the same text wherever it recurs); records what each token stands for. Literal runs are
// compared in a loop; only tokens branch, and values longer than any bucket name or key ARN are
// not matched at all (a hostile template's name must not cost time).
bool match_symbolic(std::string_view symbolic, std::string_view given,
                    const std::vector<std::pair<std::string, std::string>>& tokens,
                    std::map<std::string, std::string>& bound, int depth = 0) {
  if (depth > 8 || symbolic.size() > 2048 || given.size() > 2048) return false;
  while (true) {
    if (symbolic.empty()) return given.empty();
    const std::pair<std::string, std::string>* token = nullptr;
    for (const auto& t : tokens) {
      if (!t.first.empty() && symbolic.starts_with(t.first)) {
        token = &t;
        break;
      }
    }
    if (token != nullptr) {
      const std::string& name = token->first;
      const std::string_view rest = symbolic.substr(name.size());
      if (auto it = bound.find(name); it != bound.end()) {
        if (!given.starts_with(it->second)) return false;
        symbolic = rest;
        given.remove_prefix(it->second.size());
        continue;
      }
      for (std::size_t n = 1; n <= given.size(); ++n) {
        bound[name] = std::string(given.substr(0, n));
        if (match_symbolic(rest, given.substr(n), tokens, bound, depth + 1)) return true;
      }
      bound.erase(name);
      return false;
    }
    if (given.empty() || symbolic.front() != given.front()) return false;
    symbolic.remove_prefix(1);
    given.remove_prefix(1);
  }
}

}  // namespace

bool matches_with_stand_ins(std::string_view symbolic, std::string_view given,
                            const std::vector<std::pair<std::string, std::string>>& stand_ins) {
  std::map<std::string, std::string> bound;
  return symbolic == given || match_symbolic(symbolic, given, stand_ins, bound);
}

namespace {

void replace_in_tree(json::Value& root, const std::string& from, const std::string& to) {
  json::for_each_value(root, [&](json::Value& v) {
    if (v.is_string()) replace_whole_words(v.text, from, to);
  });
}

// Whether `token` is written in an aws:SourceAccount or aws:SourceArn value of the tree.
bool in_source_condition(const json::Value& root, const std::string& token) {
  bool found = false;
  json::for_each_value(root, [&](const json::Value& at) {
    for (const json::Member& m : at.members) {
      if (found || (!iequals(m.key, "aws:SourceAccount") && !iequals(m.key, "aws:SourceArn")))
        continue;
      json::for_each_value(m.value, [&](const json::Value& v) {
        std::string text = v.text;
        if (v.is_string() && replace_whole_words(text, token, "")) found = true;
      });
    }
  });
  return found;
}

// Where the key ARNs in the Resource of `doc`'s statements say the key is: the Regions named
// (in order) and the one account named, when they are concrete (not a stand-in, not a pattern).
struct KeyHome {
  std::vector<std::string> regions;
  std::optional<std::string> account;       // unset when none or several are named
  bool account_from_administrator = false;  // the one account root allowed to manage the key
};

KeyHome key_home(const EmbeddedDocument& doc,
                 const std::vector<std::pair<std::string, std::string>>& tokens) {
  KeyHome home;
  std::set<std::string> accounts;
  const json::Member* member = doc.tree ? doc.tree->find("Statement") : nullptr;
  if (member == nullptr) return home;
  auto is_token = [&](std::string_view text) {
    return std::any_of(tokens.begin(), tokens.end(),
                       [&](const auto& t) { return t.first == text; });
  };
  auto consider = [&](const json::Value& v) {
    if (!v.is_string() || !v.text.starts_with("arn:")) return;
    // arn:PARTITION:kms:REGION:ACCOUNT:key/...
    const std::vector<std::string_view> parts = split_arn_fields(v.text);
    if (parts.size() != 6 || parts[2] != "kms" || !parts[5].starts_with("key/")) return;
    const std::string_view region = parts[3];
    if (!region.empty() && region.find_first_of("*?$") == std::string_view::npos &&
        !is_token(region) &&
        std::find(home.regions.begin(), home.regions.end(), region) == home.regions.end())
      home.regions.emplace_back(region);
    if (exportcfg::is_account_id(parts[4]) && !is_token(parts[4])) accounts.emplace(parts[4]);
  };
  const auto each_statement = [&](const json::Value& st) {
    const json::Member* found = st.is_object() ? st.find("Resource") : nullptr;
    if (found == nullptr) return;
    if (found->value.is_array()) {
      for (const json::Value& r : found->value.items) consider(r);
    } else {
      consider(found->value);
    }
  };
  // Without a key ARN in the Resource, the account the policy lets manage the key: the default
  // key policy's one statement "gives the AWS account that owns the KMS key permission to use
  // IAM policies to allow access to all AWS KMS operations" (its root, kms:*; KMS Developer
  // Guide, Default key policy), and KMS refuses a policy that would lock its creator out (the
  // lockout safety check), so one account root allowed kms:* or kms:PutKeyPolicy is the key's.
  std::set<std::string> administrators;
  const auto administrator = [&](const json::Value& st) {
    const json::Member* effect = st.is_object() ? st.find("Effect") : nullptr;
    const json::Member* principal = st.is_object() ? st.find("Principal") : nullptr;
    const json::Member* action = st.is_object() ? st.find("Action") : nullptr;
    if (effect == nullptr || effect->value.text != "Allow" || principal == nullptr ||
        action == nullptr || !principal->value.is_object())
      return;
    bool manages = false;
    const auto action_manages = [&](const json::Value& a) {
      manages =
          manages || (a.is_string() && (iequals(a.text, "kms:*") ||
                                        iequals(a.text, "kms:PutKeyPolicy") || a.text == "*"));
    };
    if (action->value.is_array()) {
      for (const json::Value& a : action->value.items) action_manages(a);
    } else {
      action_manages(action->value);
    }
    const json::Member* aws = principal->value.find("AWS");
    if (!manages || aws == nullptr) return;
    const auto root_account = [&](const json::Value& p) {
      if (!p.is_string()) return;
      if (exportcfg::is_account_id(p.text) && !is_token(p.text)) administrators.insert(p.text);
      const std::vector<std::string_view> parts = split_arn_fields(p.text);
      if (parts.size() == 6 && parts[2] == "iam" && parts[5] == "root" &&
          exportcfg::is_account_id(parts[4]) && !is_token(parts[4]))
        administrators.emplace(parts[4]);
    };
    if (aws->value.is_array()) {
      for (const json::Value& p : aws->value.items) root_account(p);
    } else {
      root_account(aws->value);
    }
  };
  if (member->value.is_array()) {
    for (const json::Value& st : member->value.items) {
      each_statement(st);
      administrator(st);
    }
  } else {
    each_statement(member->value);
    administrator(member->value);
  }
  if (accounts.size() == 1) {
    home.account = *accounts.begin();
  } else if (accounts.empty() && administrators.size() == 1) {
    home.account = *administrators.begin();
    home.account_from_administrator = true;
  }
  return home;
}

void bind_key_home(Extraction& extraction,
                   const std::vector<std::pair<std::string, std::string>>& tokens,
                   std::map<std::string, std::string>& bound) {
  std::string region_token, account_token;
  for (const auto& [token, symbol] : tokens) {
    if (is_module_region_symbol(symbol)) region_token = token;
    if (is_account_symbol(symbol) && symbol != "${AWS::AccountId}") account_token = token;
  }
  const bool account_open = !account_token.empty() && !bound.contains(account_token);
  const bool region_open = !region_token.empty() && !bound.contains(region_token);
  if (!account_open && !region_open) return;
  for (const EmbeddedDocument& doc : extraction.documents) {
    // Only a key the module creates: its id is a stand-in.
    const bool own_key = doc.kind == documents::Kind::key_policy && doc.simulate &&
                         std::any_of(tokens.begin(), tokens.end(),
                                     [&](const auto& t) { return t.first == doc.belongs_to; });
    if (!own_key) continue;
    const KeyHome home = key_home(doc, tokens);
    std::vector<std::string> said;
    if (account_open && home.account) {
      bound[account_token] = *home.account;
      said.push_back(fmt::format("the account as {}", *home.account));
    }
    if (region_open && !home.regions.empty()) {
      // A key policy naming several Regions serves a module deployed in each: the key is in
      // one of them, and the first is checked.
      bound[region_token] = home.regions.front();
      said.push_back(home.regions.size() == 1
                         ? fmt::format("the Region as {}", home.regions.front())
                         : fmt::format("the Region as {} (one of {})", home.regions.front(),
                                       fmt::join(home.regions, ", ")));
    }
    if (said.empty()) continue;
    const bool by_administrator = account_open && home.account && home.account_from_administrator;
    const bool by_resource = !by_administrator || (region_open && !home.regions.empty());
    extraction.notes.push_back(fmt::format(
        "{}: the module is checked with {}, {} (give --bucket-account, --region or --key-arn to "
        "use yours)",
        doc.label, fmt::join(said, " and "),
        by_administrator && by_resource
            ? "where the policy's Resource and its one administrator account say its key is"
        : by_administrator ? "the one account whose root the key policy lets manage the key"
                           : "where the policy's Resource says its key is"));
    return;
  }
}

// The one detector id the user gave (for every Region, or the same in each), if any.
std::optional<std::string> one_given_detector(const exportcfg::ExportSettings& given) {
  std::optional<std::string> one;
  if (given.detector_id.known()) one = given.detector_id.get();
  for (const auto& [region, id] : given.detector_ids) {
    if (!id.known()) continue;
    if (one && *one != id.get()) return std::nullopt;
    one = id.get();
  }
  return one;
}

// The Region of each aws:SourceArn value naming `token` as its detector
// (arn:PARTITION:guardduty:REGION:ACCOUNT:detector/TOKEN): empty when none, or several, do.
std::string region_naming_detector(const Extraction& extraction, const std::string& token) {
  std::string region;
  bool several = false;
  for (const EmbeddedDocument& doc : extraction.documents) {
    if (!doc.tree) continue;
    json::for_each_value(*doc.tree, [&](const json::Value& v) {
      if (!v.is_string() || v.text.find(token) == std::string::npos) return;
      const std::vector<std::string_view> parts = split_arn_fields(v.text);
      if (parts.size() != 6 || parts[2] != "guardduty" || parts[5] != "detector/" + token) return;
      if (!region.empty() && region != parts[3]) several = true;
      region = std::string(parts[3]);
    });
  }
  return several ? std::string() : region;
}

// A detector the module or template creates (aws_guardduty_detector, AWS::GuardDuty::Detector)
// has an id only once deployed; the policies name it in aws:SourceArn. GuardDuty allows one
// detector per account and Region (GuardDuty API Reference, CreateDetector: "You can have only
// one detector per account per Region"), so the one a setup creates in a Region is the detector
// the user names for that Region. Left apart, its stand-in id would "differ" from the given one
// and every request fail. One created detector takes the one id given for every Region;
// detectors created per Region (for_each over the Regions: each instance has its own stand-in)
// each take the id given for the Region whose aws:SourceArn names it.
void bind_created_detectors(const Extraction& extraction, const exportcfg::ExportSettings& given,
                            const std::vector<std::pair<std::string, std::string>>& tokens,
                            std::map<std::string, std::string>& bound) {
  std::vector<std::string> open;
  for (const auto& [token, symbol] : tokens) {
    if (!bound.contains(token) && exportcfg::is_detector_id(token)) open.push_back(token);
  }
  if (open.empty()) return;
  if (open.size() == 1) {
    if (const std::optional<std::string> one = one_given_detector(given)) {
      bound[open.front()] = *one;
      return;
    }
  }
  for (const std::string& token : open) {
    const std::string region = region_naming_detector(extraction, token);
    if (region.empty()) continue;
    if (std::string id = given.detector_for(region); !id.empty()) bound[token] = std::move(id);
  }
}

}  // namespace

void bind_stand_ins(Extraction& extraction, const exportcfg::ExportSettings& given) {
  auto& tokens = extraction.stand_ins;
  if (tokens.empty()) return;
  std::map<std::string, std::string> bound;
  // At most two symbols a value is built from are solved for (a bucket named
  // "${Prefix}-${AWS::AccountId}"): more would make matching combinatorial, and no real name
  // needs it.
  auto solvable = [&](std::string_view stated) {
    int open = 0;
    for (const auto& [token, symbol] : tokens) {
      if (!bound.contains(token) && stated.find(token) != std::string_view::npos) ++open;
    }
    return open <= 2;
  };
  auto bind_text = [&](const std::string& stated, const exportcfg::Value& user) {
    if (stated.empty() || !user.known() || stated == user.get() || !solvable(stated)) return;
    std::map<std::string, std::string> trial = bound;
    if (match_symbolic(stated, user.get(), tokens, trial)) bound = std::move(trial);
  };
  auto bind = [&](const exportcfg::Value& stated, const exportcfg::Value& user) {
    if (stated.known()) bind_text(stated.get(), user);
  };
  // The bucket and key the export uses: the user's, else those the container's own publishing
  // destination names when they are facts (a variable given a value), not symbols. A bucket or
  // key the module creates under a symbolic name is that one as surely as when the user names
  // it; left apart, a generated name would "differ" from the named one and every request fail.
  auto holds_token = [&](const std::string& text) {
    return std::any_of(tokens.begin(), tokens.end(),
                       [&](const auto& t) { return text.find(t.first) != std::string::npos; });
  };
  auto export_value = [&](const exportcfg::Value& user,
                          const exportcfg::Value& stated) -> const exportcfg::Value& {
    return !user.known() && stated.known() && !holds_token(stated.get()) ? stated : user;
  };
  const exportcfg::Value& export_bucket = export_value(given.bucket, extraction.settings.bucket);
  const exportcfg::Value& export_key = export_value(given.key_arn, extraction.settings.key_arn);
  // The export's identity first: the bucket and key the user named are the template's when its
  // names are symbolic (generated, a parameter without default, built from ${AWS::AccountId}).
  bind(extraction.settings.bucket, export_bucket);
  for (const EmbeddedDocument& doc : extraction.documents) {
    if (doc.kind == documents::Kind::bucket_policy && doc.simulate)
      bind_text(doc.belongs_to, export_bucket);
  }
  bind(extraction.settings.key_arn, export_key);
  if (export_key.known()) {
    // The policy of a key with a symbolic id (a module's aws_kms_key, a template's
    // AWS::KMS::Key) is the given key's when it is the only such key: of several, which one is
    // the export's cannot be told, and binding each would make them all the given key.
    const std::string& arn = export_key.get();
    const std::size_t slash = arn.rfind("key/");
    const EmbeddedDocument* only = nullptr;
    std::size_t symbolic_keys = 0;
    for (const EmbeddedDocument& doc : extraction.documents) {
      if (doc.kind != documents::Kind::key_policy || !doc.simulate || doc.belongs_to.empty())
        continue;
      if (!holds_token(doc.belongs_to)) continue;
      ++symbolic_keys;
      only = &doc;
    }
    if (symbolic_keys == 1 && slash != std::string::npos) {
      exportcfg::Value part = export_key;
      if (!only->belongs_to.starts_with("arn:")) {
        part.value = arn.substr(slash + 4);
        bind_text(only->belongs_to, part);
        // A module creates its key in its own account and Region: when they are stand-ins, they
        // are the export key's (arn:PARTITION:kms:REGION:ACCOUNT:key/ID).
        const std::vector<std::string_view> user = split_arn_fields(arn);
        for (const auto& [token, symbol] : tokens) {
          if (bound.contains(token) || user.size() != 6) continue;
          const bool account = is_account_symbol(symbol) && symbol != "${AWS::AccountId}";
          if (!account && !is_module_region_symbol(symbol)) continue;
          const std::string_view field = user[account ? 4 : 3];
          if (account ? exportcfg::is_account_id(field) : !field.empty())
            bound[token] = std::string(field);
        }
      } else {
        // Field by field (Region, account, key/ID): an ARN whose three fields are all symbolic
        // is still solved, each field holding at most one symbol.
        const std::vector<std::string_view> stated = split_arn_fields(only->belongs_to);
        const std::vector<std::string_view> user = split_arn_fields(arn);
        if (stated.size() == 6 && user.size() == 6) {
          for (std::size_t i = 3; i < 6; ++i) {
            part.value = std::string(user[i]);
            bind_text(std::string(stated[i]), part);
            // A stand-in that happens to be the given value (the stand-in Region is the key's)
            // is the user's fact now: shown as itself, not as its symbol.
            for (const auto& [token, symbol] : tokens) {
              if (token == stated[i] && token == user[i]) bound.try_emplace(token, token);
            }
          }
        }
      }
    }
  }
  bind(extraction.settings.detector_id, given.detector_id);
  bind_created_detectors(extraction, given, tokens, bound);
  // A parameter without default that the source conditions compare with the exporting account
  // is, for the export to work, that account: checked as the one the user gave.
  for (const auto& [token, symbol] : tokens) {
    if (bound.contains(token) || !given.account.known() || is_account_symbol(symbol) ||
        !exportcfg::is_account_id(token))
      continue;
    const std::string& value = token;  // (clang 14 cannot capture a structured binding)
    const bool in_condition = std::any_of(
        extraction.documents.begin(), extraction.documents.end(), [&](const EmbeddedDocument& doc) {
          return doc.tree && in_source_condition(*doc.tree, value);
        });
    if (!in_condition) continue;
    bound[token] = given.account.get();
    extraction.notes.push_back(fmt::format(
        "{} has no default; it is checked as the exporting account {}, with which the policies "
        "compare it",
        symbol, given.account.get()));
  }
  // A module's own key is created in the module's account and Region; a policy of that key
  // whose Resource names one account and Region (`arn:aws:kms:ca-central-1:1234...:key/*`)
  // says which those are, more surely than assuming the exporting account.
  bind_key_home(extraction, tokens, bound);
  // A stack that holds the key or bucket is most often deployed in the exporting account.
  for (const auto& [token, symbol] : tokens) {
    if (is_account_symbol(symbol) && !bound.contains(token) && given.account.known()) {
      bound[token] = given.account.get();
      extraction.notes.push_back(fmt::format(
          "{} is checked as the exporting account {} (give --bucket-account when the stack or "
          "module is deployed in another account)",
          symbol, given.account.get()));
    }
  }
  if (bound.empty()) return;
  // The reader's notes on those stand-ins ("checked as 409732615928") no longer hold.
  std::erase_if(extraction.notes, [&](const std::string& note) {
    return std::any_of(bound.begin(), bound.end(), [&](const auto& b) {
      std::string copy = note;
      return replace_whole_words(copy, b.first, "");
    });
  });
  extraction.bound.assign(bound.begin(), bound.end());
  if (extraction.format == Format::cloudformation) {
    // A template's symbol bound to a value the user gave (${AWS::AccountId} to --account) is
    // still the template's: fixes of a policy referring to it write the symbol, and a name
    // built from it (a bucket's) is the user's value inside.
    for (Extraction::FixSymbol& f : extraction.fix_symbols) {
      for (const auto& [token, value] : bound) replace_whole_words(f.value, token, value);
    }
    for (const auto& [token, symbol] : tokens) {
      const auto value = bound.find(token);
      // Not the stack's account or Region: bound to the exporting ones, they are a guess for a
      // stack that only holds the bucket or key (it may be a log archive's); the reader records
      // them for a stack that exports from where it is deployed.
      if (value == bound.end() || value->second == token || !symbol.starts_with("${") ||
          !symbol.ends_with("}") || is_account_symbol(symbol) || symbol == "${AWS::Region}")
        continue;
      const std::string inner = symbol.substr(2, symbol.size() - 3);
      extraction.fix_symbol(value->second, symbol, inner.substr(0, inner.find('.')), {});
    }
  }
  for (const auto& [token, value] : bound) {
    for (EmbeddedDocument& doc : extraction.documents) {
      if (doc.tree) replace_in_tree(*doc.tree, token, value);
      replace_whole_words(doc.belongs_to, token, value);
    }
    for (exportcfg::Value* v :
         {&extraction.settings.account, &extraction.settings.bucket, &extraction.settings.key_arn,
          &extraction.settings.detector_id, &extraction.settings.prefix}) {
      if (v->known()) replace_whole_words(*v->value, token, value);
    }
    for (std::string& region : extraction.settings.regions)
      replace_whole_words(region, token, value);
  }
  // What the user gave is a fact: findings show it, not a symbol.
  std::erase_if(tokens, [&](const auto& pair) { return bound.contains(pair.first); });
}

void apply_bindings(const Extraction& extraction, json::Value& tree) {
  for (const auto& [token, value] : extraction.bound) replace_in_tree(tree, token, value);
}

}  // namespace gdl::containers
