#pragma once
// The cells of one string dimension of a request (an action, a resource, one condition key's
// value): the policy's patterns for that dimension split all strings into classes whose members
// every pattern treats alike. One witness per non-empty class is enough to decide any question
// over that dimension, because the evaluator sees a string only through those patterns.
//
// Witnesses come from a breadth-first search over the product of the patterns' automata, over the
// characters the patterns mention plus one fresh character: every other character behaves like
// the fresh one in every pattern, so this alphabet reaches every class (the stratified
// abstraction of IAM Access Analyzer, "Stratified Abstraction of Access Control Policies",
// CAV 2020). The search has a state budget; past it the cells are not known to be complete.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace gdl::iam {

struct CellPattern {
  enum class Mode {
    literal,  // equal to the text (StringEquals)
    glob,     // `*` any run of characters, `?` any one (StringLike, Action, Resource)
    arn,      // ArnLike/ArnEquals: six components, `*` and `?` do not cross ':' in the first five
  };
  std::string text;
  Mode mode = Mode::glob;
  bool fold_case = false;  // StringEqualsIgnoreCase, Action names
};

struct CellOptions {
  // Patterns every witness must match (e.g. "inside the export prefix").
  std::vector<CellPattern> required;
  // Strings tried first, so a class is shown by a real-looking value where one is known (a real
  // action name, the configured bucket's ARN) rather than by the shortest string.
  std::vector<std::string> preferred;
  std::size_t state_budget = 10000;
};

struct Cell {
  std::string witness;
  std::vector<bool> matches;  // one per pattern, in the order given
};

struct CellSet {
  std::vector<Cell> cells;
  bool complete = true;  // false: there may be more classes, for this reason:
  std::string incomplete_reason = "too many patterns";
};

// Whether `text` matches `pattern` (the same semantics the search uses).
bool cell_pattern_matches(const CellPattern& pattern, std::string_view text);

// One witness per non-empty class of strings that match every `required` pattern, classes told
// apart by which of `patterns` they match (including the class matching none of them).
CellSet string_cells(const std::vector<CellPattern>& patterns, const CellOptions& options = {});

}  // namespace gdl::iam
