#include "util/diff.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <vector>

namespace gdl {

namespace {

// Lines with their terminators, so that a missing last newline is a difference too.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::size_t length = end == std::string_view::npos ? text.size() : end + 1;
    lines.push_back(text.substr(0, length));
    text.remove_prefix(length);
  }
  return lines;
}

enum class Op { keep, remove, insert };

// Myers' O((N+M)D) shortest edit script. The fixes this serves change a few lines of a file, so
// D is small and the trace (one vector per step) stays small even for a large file.
std::vector<Op> edit_script(const std::vector<std::string_view>& a,
                            const std::vector<std::string_view>& b) {
  const auto n = static_cast<std::ptrdiff_t>(a.size());
  const auto m = static_cast<std::ptrdiff_t>(b.size());
  const std::ptrdiff_t max = n + m;
  const std::ptrdiff_t offset = max + 1;
  std::vector<std::ptrdiff_t> v(static_cast<std::size_t>(2 * max + 3), 0);
  std::vector<std::vector<std::ptrdiff_t>> trace;
  std::ptrdiff_t found_d = 0;
  for (std::ptrdiff_t d = 0; d <= max; ++d) {
    trace.push_back(v);
    bool done = false;
    for (std::ptrdiff_t k = -d; k <= d; k += 2) {
      std::ptrdiff_t x = 0;
      if (k == -d || (k != d && v[static_cast<std::size_t>(offset + k - 1)] <
                                    v[static_cast<std::size_t>(offset + k + 1)])) {
        x = v[static_cast<std::size_t>(offset + k + 1)];
      } else {
        x = v[static_cast<std::size_t>(offset + k - 1)] + 1;
      }
      std::ptrdiff_t y = x - k;
      while (x < n && y < m && a[static_cast<std::size_t>(x)] == b[static_cast<std::size_t>(y)]) {
        ++x;
        ++y;
      }
      v[static_cast<std::size_t>(offset + k)] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
    if (done) {
      found_d = d;
      break;
    }
  }
  // Walk the trace back from (n, m).
  std::vector<Op> ops;
  std::ptrdiff_t x = n;
  std::ptrdiff_t y = m;
  for (std::ptrdiff_t d = found_d; d > 0; --d) {
    const std::vector<std::ptrdiff_t>& before = trace[static_cast<std::size_t>(d)];
    const std::ptrdiff_t k = x - y;
    const bool down = k == -d || (k != d && before[static_cast<std::size_t>(offset + k - 1)] <
                                                before[static_cast<std::size_t>(offset + k + 1)]);
    const std::ptrdiff_t previous_k = down ? k + 1 : k - 1;
    const std::ptrdiff_t previous_x = before[static_cast<std::size_t>(offset + previous_k)];
    const std::ptrdiff_t previous_y = previous_x - previous_k;
    while (x > previous_x && y > previous_y) {
      ops.push_back(Op::keep);
      --x;
      --y;
    }
    ops.push_back(down ? Op::insert : Op::remove);
    x = previous_x;
    y = previous_y;
  }
  while (x > 0 && y > 0) {
    ops.push_back(Op::keep);
    --x;
    --y;
  }
  std::reverse(ops.begin(), ops.end());
  return ops;
}

void append_line(std::string& out, char mark, std::string_view line) {
  out += mark;
  out += line;
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

// "start,count" as unified diffs write a range (a count of 0 names the line before it).
std::string range(std::size_t start, std::size_t count) {
  if (count == 1) return fmt::format("{}", start + 1);
  return fmt::format("{},{}", count == 0 ? start : start + 1, count);
}

}  // namespace

std::string unified_diff(std::string_view before, std::string_view after, std::string_view old_name,
                         std::string_view new_name, std::size_t context) {
  if (before == after) return {};
  // Common head and tail lines are trimmed first: the edit script only sees what changed.
  const std::vector<std::string_view> a_all = split_lines(before);
  const std::vector<std::string_view> b_all = split_lines(after);
  std::size_t head = 0;
  while (head < a_all.size() && head < b_all.size() && a_all[head] == b_all[head]) ++head;
  std::size_t tail = 0;
  while (tail < a_all.size() - head && tail < b_all.size() - head &&
         a_all[a_all.size() - 1 - tail] == b_all[b_all.size() - 1 - tail])
    ++tail;
  const std::vector<std::string_view> a(a_all.begin() + static_cast<std::ptrdiff_t>(head),
                                        a_all.end() - static_cast<std::ptrdiff_t>(tail));
  const std::vector<std::string_view> b(b_all.begin() + static_cast<std::ptrdiff_t>(head),
                                        b_all.end() - static_cast<std::ptrdiff_t>(tail));
  std::vector<Op> ops(head, Op::keep);
  for (Op op : edit_script(a, b)) ops.push_back(op);
  ops.insert(ops.end(), tail, Op::keep);

  std::string out = fmt::format("--- {}\n+++ {}\n", old_name, new_name);
  // Each op's position in both files, then hunks: runs of changes with `context` lines around,
  // merged when their contexts touch.
  std::vector<std::size_t> at_a(ops.size() + 1);
  std::vector<std::size_t> at_b(ops.size() + 1);
  for (std::size_t i = 0; i < ops.size(); ++i) {
    at_a[i + 1] = at_a[i] + (ops[i] != Op::insert ? 1 : 0);
    at_b[i + 1] = at_b[i] + (ops[i] != Op::remove ? 1 : 0);
  }
  std::size_t i = 0;
  while (i < ops.size()) {
    while (i < ops.size() && ops[i] == Op::keep) ++i;
    if (i == ops.size()) break;
    const std::size_t start = i >= context ? i - context : 0;
    std::size_t end = i;  // one past the last change of the hunk
    std::size_t j = i;
    while (j < ops.size()) {
      if (ops[j] != Op::keep) {
        end = j + 1;
        ++j;
        continue;
      }
      std::size_t run = j;
      while (run < ops.size() && ops[run] == Op::keep) ++run;
      if (run == ops.size() || run - j > 2 * context) break;
      j = run;
    }
    const std::size_t stop = std::min(ops.size(), end + context);
    out += fmt::format("@@ -{} +{} @@\n", range(at_a[start], at_a[stop] - at_a[start]),
                       range(at_b[start], at_b[stop] - at_b[start]));
    for (std::size_t k = start; k < stop; ++k) {
      switch (ops[k]) {
        case Op::keep:
          append_line(out, ' ', a_all[at_a[k]]);
          break;
        case Op::remove:
          append_line(out, '-', a_all[at_a[k]]);
          break;
        case Op::insert:
          append_line(out, '+', b_all[at_b[k]]);
          break;
      }
    }
    i = stop;
  }
  return out;
}

}  // namespace gdl
