#include "iam/cells.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <unordered_map>

#include "iam/wildcard.h"

namespace gdl::iam {

namespace {

// One position of a pattern's automaton: a character, or a wildcard that may exclude ':'.
struct Token {
  enum class Kind : std::uint8_t { literal, any_char, star };
  Kind kind = Kind::literal;
  char c = 0;
  bool no_colon = false;
};

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// A pattern as an automaton: positions 0..n, n accepting; a star at position i loops on i and
// may be skipped. An empty `tokens` with `never` set accepts nothing (an ARN pattern with fewer
// than six components, which matches no value).
struct Automaton {
  std::vector<Token> tokens;
  bool fold = false;
  bool never = false;
};

void append_part(Automaton& a, std::string_view text, bool glob, bool no_colon) {
  for (const char c : text) {
    if (glob && c == '*') {
      if (a.tokens.empty() || a.tokens.back().kind != Token::Kind::star ||
          a.tokens.back().no_colon != no_colon)
        a.tokens.push_back({Token::Kind::star, 0, no_colon});
    } else if (glob && c == '?') {
      a.tokens.push_back({Token::Kind::any_char, 0, no_colon});
    } else {
      a.tokens.push_back({Token::Kind::literal, c, false});
    }
  }
}

Automaton compile(const CellPattern& p) {
  Automaton a;
  a.fold = p.fold_case;
  switch (p.mode) {
    case CellPattern::Mode::literal:
      append_part(a, p.text, false, false);
      break;
    case CellPattern::Mode::glob:
      append_part(a, p.text, true, false);
      break;
    case CellPattern::Mode::arn: {
      if (p.text == "*") {  // matches any value, ARN or not
        append_part(a, "*", true, false);
        break;
      }
      // The first five components are split at ':'; the sixth keeps any further colons.
      std::string_view rest = p.text;
      for (int i = 0; i < 5; ++i) {
        const auto colon = rest.find(':');
        if (colon == std::string_view::npos) {
          a.never = true;
          a.tokens.clear();
          return a;
        }
        append_part(a, rest.substr(0, colon), true, true);
        a.tokens.push_back({Token::Kind::literal, ':', false});
        rest.remove_prefix(colon + 1);
      }
      append_part(a, rest, true, false);
      break;
    }
  }
  return a;
}

bool token_accepts(const Token& t, char c, bool fold) {
  switch (t.kind) {
    case Token::Kind::literal:
      return fold ? lower(t.c) == lower(c) : t.c == c;
    case Token::Kind::any_char:
    case Token::Kind::star:
      return !(t.no_colon && c == ':');
  }
  return false;
}

// A set of automaton positions, as a sorted vector (patterns are short; sets are small).
using Positions = std::vector<std::uint16_t>;

void close_over_stars(const Automaton& a, Positions& set) {
  // A star may match nothing: position i of a star also stands at i + 1.
  Positions out;
  for (std::uint16_t i : set) {
    out.push_back(i);
    while (i < a.tokens.size() && a.tokens[i].kind == Token::Kind::star) out.push_back(++i);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  set = std::move(out);
}

Positions start(const Automaton& a) {
  if (a.never) return {};
  Positions s{0};
  close_over_stars(a, s);
  return s;
}

Positions step(const Automaton& a, const Positions& from, char c) {
  Positions next;
  for (const std::uint16_t i : from) {
    if (i >= a.tokens.size()) continue;
    const Token& t = a.tokens[i];
    if (!token_accepts(t, c, a.fold)) continue;
    next.push_back(t.kind == Token::Kind::star ? i : static_cast<std::uint16_t>(i + 1));
  }
  close_over_stars(a, next);
  return next;
}

// Whether the automaton stands on a star that only stars follow: it accepts any continuation.
bool accepts_every_extension(const Automaton& a, const Positions& set) {
  for (const std::uint16_t q : set) {
    if (q >= a.tokens.size()) continue;
    bool only_stars = true;
    for (std::size_t i = q; i < a.tokens.size() && only_stars; ++i)
      only_stars = a.tokens[i].kind == Token::Kind::star && !a.tokens[i].no_colon;
    if (only_stars) return true;
  }
  return false;
}

bool accepting(const Automaton& a, const Positions& set) {
  return !set.empty() && set.back() == a.tokens.size();
}

// The product state as a string key: each automaton's positions, separated.
std::string state_key(const std::vector<Positions>& sets) {
  std::string key;
  for (const Positions& s : sets) {
    for (const std::uint16_t i : s) {
      key.push_back(static_cast<char>(i & 0xff));
      key.push_back(static_cast<char>(i >> 8));
    }
    key.push_back('\xff');
    key.push_back('\xff');
  }
  return key;
}

// The evaluator's own matchers (iam/wildcard.h), compiled once: a string's class is read with
// them, so only the search walks the automata.
class FastMatcher {
 public:
  explicit FastMatcher(const CellPattern& p) : mode_(p.mode) {
    switch (p.mode) {
      case CellPattern::Mode::literal:
        whole_ = literal(p.text, p.fold_case);
        break;
      case CellPattern::Mode::glob:
        whole_ = Pattern::glob(p.text, p.fold_case);
        break;
      case CellPattern::Mode::arn: {
        anything_ = p.text == "*";
        std::string_view parts[6];
        arn_ = split_arn(p.text, parts);
        for (int i = 0; arn_ && i < 6; ++i) parts_[i] = Pattern::glob(parts[i], false);
        break;
      }
    }
  }
  [[nodiscard]] bool matches(std::string_view text) const {
    if (mode_ != CellPattern::Mode::arn) return whole_.matches(text);
    if (anything_) return true;
    std::string_view parts[6];
    if (!arn_ || !split_arn(text, parts)) return false;
    for (int i = 0; i < 6; ++i) {
      if (!parts_[i].matches(parts[i])) return false;
    }
    return true;
  }

 private:
  static Pattern literal(std::string_view text, bool fold_case) {
    Pattern p = Pattern::glob("", fold_case);
    p.append_literal(text);
    return p;
  }
  CellPattern::Mode mode_;
  Pattern whole_;
  Pattern parts_[6];
  bool arn_ = false;
  bool anything_ = false;
};

}  // namespace

bool cell_pattern_matches(const CellPattern& pattern, std::string_view text) {
  const Automaton a = compile(pattern);
  Positions s = start(a);
  for (const char c : text) {
    if (s.empty()) return false;
    s = step(a, s, c);
  }
  return accepting(a, s);
}

CellSet string_cells(const std::vector<CellPattern>& patterns, const CellOptions& options) {
  std::vector<Automaton> automata;
  for (const CellPattern& p : patterns) automata.push_back(compile(p));
  const std::size_t n_required = options.required.size();
  for (const CellPattern& p : options.required) automata.push_back(compile(p));

  // The alphabet: every character a pattern mentions (both cases where one folds), plus one
  // character none mentions, standing for all the others.
  std::set<char> mentioned;
  // The search steps one byte at a time, where the evaluator's '?' is one character: with a
  // '?' and a character of several UTF-8 bytes both in the patterns, a class that needs that
  // character at a '?' is not reached, so the cells are not known to be complete.
  bool any_char = false;
  bool multibyte = false;
  for (const Automaton& a : automata) {
    for (const Token& t : a.tokens) {
      any_char = any_char || t.kind == Token::Kind::any_char;
      multibyte =
          multibyte || (t.kind == Token::Kind::literal && static_cast<unsigned char>(t.c) >= 0x80);
    }
  }
  const bool bytes_not_characters = any_char && multibyte;
  for (const Automaton& a : automata) {
    for (const Token& t : a.tokens) {
      if (t.kind != Token::Kind::literal) continue;
      mentioned.insert(t.c);
      if (a.fold) {
        mentioned.insert(lower(t.c));
        if (t.c >= 'a' && t.c <= 'z') mentioned.insert(static_cast<char>(t.c - 'a' + 'A'));
      }
    }
  }
  // ':' matters to ARN wildcards even when no pattern spells it out.
  mentioned.insert(':');
  std::vector<char> alphabet(mentioned.begin(), mentioned.end());
  // Any character no pattern mentions (in either case) stands for every such character.
  std::string candidates = "x0yzqXQ-_";
  for (int c = 0x21; c < 0x7f; ++c) candidates.push_back(static_cast<char>(c));
  candidates.push_back('\x7f');
  for (const char fresh : candidates) {
    if (!mentioned.contains(fresh) && !mentioned.contains(lower(fresh)) &&
        !mentioned.contains(static_cast<char>(std::toupper(static_cast<unsigned char>(fresh))))) {
      alphabet.push_back(fresh);
      break;
    }
  }

  CellSet out;
  if (bytes_not_characters) {
    out.complete = false;
    out.incomplete_reason = "a '?' beside a character of several UTF-8 bytes";
  }
  std::map<std::vector<bool>, std::size_t> seen;  // signature -> index in out.cells
  auto signature_of = [&](const std::vector<Positions>& sets, bool& admitted) {
    std::vector<bool> sig(patterns.size());
    for (std::size_t i = 0; i < patterns.size(); ++i) sig[i] = accepting(automata[i], sets[i]);
    admitted = true;
    for (std::size_t r = 0; r < n_required; ++r) {
      if (!accepting(automata[patterns.size() + r], sets[patterns.size() + r])) admitted = false;
    }
    return sig;
  };
  auto record = [&](const std::vector<Positions>& sets, std::string_view witness) {
    bool admitted = false;
    std::vector<bool> sig = signature_of(sets, admitted);
    if (!admitted || seen.contains(sig)) return;
    seen.emplace(sig, out.cells.size());
    out.cells.push_back({std::string(witness), std::move(sig)});
  };
  std::vector<FastMatcher> fast;
  for (const CellPattern& p : patterns) fast.emplace_back(p);
  std::vector<FastMatcher> fast_required;
  for (const CellPattern& p : options.required) fast_required.emplace_back(p);
  auto record_text = [&](const std::string& text) {
    for (const FastMatcher& m : fast_required) {
      if (!m.matches(text)) return;
    }
    std::vector<bool> sig(patterns.size());
    for (std::size_t i = 0; i < patterns.size(); ++i) sig[i] = fast[i].matches(text);
    if (seen.contains(sig)) return;
    seen.emplace(sig, out.cells.size());
    out.cells.push_back({text, std::move(sig)});
  };
  for (const std::string& p : options.preferred) record_text(p);
  // Each pattern read as plain text, its wildcards filled in: most classes of real policies are
  // shown this way, with values that look like the policy's own, before any search.
  for (const CellPattern& p : patterns) {
    for (const std::string_view fill : {"x", ""}) {
      std::string text;
      for (const char c : p.text) {
        if (p.mode != CellPattern::Mode::literal && (c == '*' || c == '?'))
          text += c == '?' ? std::string("x") : std::string(fill);
        else
          text += c;
      }
      record_text(text);
    }
  }

  // Bounded: a search over hundreds of automata at once costs that many steps per state; such a
  // dimension keeps the classes its patterns' own texts show and is not known to be complete.
  constexpr std::size_t kMaxAutomata = 256;
  if (automata.size() > kMaxAutomata) {
    out.complete = false;
    return out;
  }

  // Breadth first, so each class gets a shortest witness when no preferred string shows it.
  std::unordered_map<std::string, bool> visited;
  std::deque<std::pair<std::vector<Positions>, std::string>> queue;
  {
    std::vector<Positions> initial;
    for (const Automaton& a : automata) initial.push_back(start(a));
    visited.emplace(state_key(initial), true);
    queue.emplace_back(std::move(initial), std::string());
  }
  // Work, not only states, is bounded: a state costs the size of its position sets, and a
  // hostile pattern ("*a*a*a...b", thousands of stars, within a policy's size limit) makes each
  // set thousands of positions long.
  constexpr std::size_t kMaxPositionsStepped = 20'000'000;
  std::size_t stepped = 0;
  while (!queue.empty()) {
    if (visited.size() > options.state_budget || stepped > kMaxPositionsStepped) {
      out.complete = false;
      break;
    }
    // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
    std::vector<Positions> sets = std::move(queue.front().first);
    std::string witness = std::move(queue.front().second);
    queue.pop_front();
    record(sets, witness);
    // A state no required pattern can still accept leads nowhere useful.
    bool alive = true;
    for (std::size_t r = 0; r < n_required; ++r) {
      if (sets[patterns.size() + r].empty()) alive = false;
    }
    if (!alive) continue;
    // A state every automaton has decided (it can never accept again, or it accepts every
    // extension: a trailing star) has only its own class ahead of it.
    const bool decided = std::all_of(sets.begin(), sets.end(), [&](const Positions& set) {
      const std::size_t i = static_cast<std::size_t>(&set - sets.data());
      return set.empty() || accepts_every_extension(automata[i], set);
    });
    if (decided) continue;
    for (const char c : alphabet) {
      std::vector<Positions> next;
      next.reserve(sets.size());
      for (std::size_t i = 0; i < automata.size(); ++i) {
        stepped += sets[i].size();
        next.push_back(step(automata[i], sets[i], c));
      }
      std::string key = state_key(next);
      if (visited.emplace(std::move(key), true).second)
        queue.emplace_back(std::move(next), witness + c);
    }
  }
  return out;
}

}  // namespace gdl::iam
