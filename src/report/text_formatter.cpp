// Compiler-style text: "path:line:col: severity: message [ID name]", the source line, a caret
// underline, then notes and the fix. Every piece of input text is escaped for the terminal.

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "report/report.h"
#include "util/text.h"

namespace gdl {
namespace {

struct Palette {
  bool on;
  [[nodiscard]] std::string paint(std::string_view code, std::string_view text) const {
    if (!on) return std::string(text);
    return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
  }
};

// A replacement shown inside single quotes, line breaks written as \n.
std::string shown_text(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return fmt::format("'{}'", escape_for_terminal(out));
}

std::string location_prefix(const Location& loc) {
  return fmt::format("{}:{}:{}", escape_for_terminal(loc.file), loc.start.line, loc.start.column);
}

constexpr std::size_t kMaxSnippetColumns = 120;
constexpr std::size_t kSnippetContext = 40;

// The byte offset of the `n`th code point of `text` (its size when there are fewer).
std::size_t byte_of_code_point(std::string_view text, std::size_t n) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (seen++ == n) return i;
  }
  return text.size();
}

void write_snippet(const SourceFile& source, const Location& loc, const Palette& palette,
                   std::ostream& out) {
  const std::string_view line = source.lines().line_text(loc.start.line);
  const std::string shown = escape_for_terminal(line);
  // Escaping changes widths; measure the caret position in the escaped text.
  const std::size_t line_start = source.lines().line_start(loc.start.line);
  const std::size_t prefix_bytes =
      std::min(loc.span.begin - std::min(loc.span.begin, line_start), line.size());
  std::size_t caret = count_code_points(escape_for_terminal(line.substr(0, prefix_bytes)));
  std::size_t width = 1;
  if (loc.end.line == loc.start.line && loc.span.end > loc.span.begin) {
    const std::size_t end_bytes = std::min(loc.span.end - line_start, line.size());
    width = std::max<std::size_t>(1, count_code_points(escape_for_terminal(
                                         line.substr(prefix_bytes, end_bytes - prefix_bytes))));
  } else if (loc.end.line != loc.start.line) {
    width = std::max<std::size_t>(
        1, count_code_points(shown) - std::min(caret, count_code_points(shown)));
  }
  // A long line (a policy in a JSON string, a minified file) is shown as a window around the
  // finding, so the caret stays on screen.
  std::string window = shown;
  const std::size_t columns = count_code_points(shown);
  if (columns > kMaxSnippetColumns) {
    const std::size_t from = caret > kSnippetContext ? caret - kSnippetContext : 0;
    const std::size_t length = std::min(columns - from, kMaxSnippetColumns);
    const std::size_t begin = byte_of_code_point(shown, from);
    window = shown.substr(begin, byte_of_code_point(shown, from + length) - begin);
    if (from > 0) window = "..." + window;
    if (from + length < columns) window += "...";
    caret = caret - from + (from > 0 ? 3 : 0);
    width = std::min(width, length - std::min(length, caret - (from > 0 ? 3 : 0)));
    width = std::max<std::size_t>(width, 1);
  }
  const std::string gutter = fmt::format("{:>5}", loc.start.line);
  out << gutter << " | " << window << '\n';
  out << std::string(gutter.size(), ' ') << " | " << std::string(caret, ' ')
      << palette.paint("1;32", fmt::format("^{}", std::string(width - 1, '~'))) << '\n';
}

}  // namespace

// ", 12 files without a policy skipped" for scans and pre-commit runs.
// A clean summary must not hide what was not judged: statements holding values known only
// when a template or module is deployed, and what a module that is not read may add.
static std::string partly_judged_text(const Summary& s) {
  if (s.partly_judged == 0) return {};
  return fmt::format(
      " ({} judged in part: what rests on values known only when deployed, or on a module "
      "that is not read, was not; -v says which)",
      s.partly_judged == 1 ? "1 policy was" : fmt::format("{} policies were", s.partly_judged));
}

static std::string skipped_text(const Summary& s) {
  std::vector<std::string> parts;
  if (s.skipped > 0)
    parts.push_back(
        fmt::format("{} file{} without a policy skipped", s.skipped, s.skipped == 1 ? "" : "s"));
  if (s.suppressed > 0)
    parts.push_back(fmt::format("{} suppressed in the project configuration", s.suppressed));
  if (s.baselined > 0) {
    parts.push_back(fmt::format("{} known finding{} hidden by the baseline", s.baselined,
                                s.baselined == 1 ? "" : "s"));
  }
  if (parts.empty()) return {};
  return fmt::format(" ({})", fmt::join(parts, "; "));
}

namespace {

class TextStream final : public ReportStream {
 public:
  TextStream(const FormatOptions& options, std::ostream& out)
      : options_(options), palette_{options.color}, out_(out) {}

  void finding(const Diagnostic& d, const SourceFile* source) override {
    const Palette& palette = palette_;
    const FormatOptions& options = options_;
    std::ostream& out = out_;
    if (d.suppression_reason) return;  // counted in the summary; listed in JSON and SARIF
    out << palette.paint("1", fmt::format("{}:", location_prefix(d.location))) << ' '
        << palette.paint(style_of(d.severity).color, fmt::format("{}:", to_string(d.severity)))
        << ' ' << escape_for_terminal(d.message) << ' '
        << palette.paint("2", fmt::format("[{} {}]", d.rule_id, d.rule_name)) << '\n';
    if (options.quiet) return;
    if (source != nullptr) write_snippet(*source, d.location, palette, out);
    for (const RelatedLocation& r : d.related) {
      out << "  " << palette.paint("1;36", "note:") << ' ' << location_prefix(r.location) << ": "
          << escape_for_terminal(r.message) << '\n';
    }
    for (const std::string& note : d.notes) {
      // A note with a suggested block (Terraform) shows its lines as the fix's block does.
      std::string_view text = note;
      const std::size_t first = std::min(text.find('\n'), text.size());
      out << "  " << palette.paint("1;36", "note:") << ' '
          << escape_for_terminal(text.substr(0, first)) << '\n';
      text.remove_prefix(std::min(first + 1, text.size()));
      while (!text.empty()) {
        const std::size_t end = std::min(text.find('\n'), text.size());
        out << "      | " << escape_for_terminal(text.substr(0, end)) << '\n';
        text.remove_prefix(std::min(end + 1, text.size()));
      }
    }
    if (d.fix && d.fix->edits.size() == 1 &&
        d.fix->edits.front().replacement.find('\n') != std::string::npos) {
      // A multi-line insertion (a whole statement) reads best as a block.
      const TextEdit& e = d.fix->edits.front();
      out << "  " << palette.paint("1;32", "fix:") << ' ' << escape_for_terminal(d.fix->description)
          << fmt::format(" (insert at {}:{}):\n", e.location.start.line, e.location.start.column);
      std::string_view text = e.replacement;
      while (!text.empty()) {
        const std::size_t end = std::min(text.find('\n'), text.size());
        out << "      | " << escape_for_terminal(text.substr(0, end)) << '\n';
        text.remove_prefix(std::min(end + 1, text.size()));
      }
    } else if (d.fix) {
      out << "  " << palette.paint("1;32", "fix:") << ' '
          << escape_for_terminal(d.fix->description);
      for (const TextEdit& e : d.fix->edits) {
        if (e.replacement.empty()) {
          out << fmt::format(" [delete {}:{}-{}:{}]", e.location.start.line,
                             e.location.start.column, e.location.end.line, e.location.end.column);
        } else if (e.location.span.size() == 0) {
          out << fmt::format(" [insert {} at {}:{}]", shown_text(e.replacement),
                             e.location.start.line, e.location.start.column);
        } else {
          out << fmt::format(" [replace {}:{}-{}:{} with {}]", e.location.start.line,
                             e.location.start.column, e.location.end.line, e.location.end.column,
                             shown_text(e.replacement));
        }
      }
      out << '\n';
    }
  }

  void finish(const Report& report) override {
    const FormatOptions& options = options_;
    std::ostream& out = out_;
    // Inputs that could not be read are said once, on standard error (by the command), and
    // counted in the summary below.
    if (options.verbose && !report.settings.empty()) {
      out << "export settings:\n";
      // One column for the names, however long ("detector ap-southeast-4").
      std::size_t width = 15;
      for (const ReportSetting& setting : report.settings)
        width = std::max(width, setting.name.size());
      for (const ReportSetting& setting : report.settings) {
        out << fmt::format("  {:<{}} {:<60} ({})\n", setting.name, width,
                           escape_for_terminal(setting.value), escape_for_terminal(setting.origin));
      }
    }
    if (options.verbose && !report.notes.empty()) {
      out << "how the inputs were read:\n";
      for (const std::string& note : report.notes) out << "  " << escape_for_terminal(note) << '\n';
    }
    if (options.quiet) return;
    const Summary s = report.summary();
    auto plural = [](std::size_t n, std::string_view word) {
      return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
    };
    if (s.files == 0 && s.skipped == 0 && report.input_errors.empty() &&
        s.errors + s.warnings + s.notes == 0) {
      out << "nothing was checked\n";
    } else if (s.errors + s.warnings + s.notes == 0 && report.input_errors.empty()) {
      out << fmt::format("{} checked{}: no problems found{}\n", plural(s.files, "file"),
                         skipped_text(s), partly_judged_text(s));
    } else {
      out << fmt::format("{} checked{}: {}, {}, {}", plural(s.files, "file"), skipped_text(s),
                         plural(s.errors, "error"), plural(s.warnings, "warning"),
                         plural(s.notes, "note"));
      if (!report.input_errors.empty()) {
        out << fmt::format(", {} could not be read (see standard error)",
                           plural(report.input_errors.size(), "input"));
      }
      out << partly_judged_text(s) << '\n';
    }
  }

 private:
  FormatOptions options_;
  Palette palette_;
  std::ostream& out_;
};

}  // namespace

std::unique_ptr<ReportStream> open_text_stream(const FormatOptions& options, std::ostream& out) {
  return std::make_unique<TextStream>(options, out);
}

}  // namespace gdl
