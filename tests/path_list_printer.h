#pragma once
// How doctest prints a PathList or a PathSelection in a failed check: its paths, quoted.

#include <doctest/doctest.h>

#include <string>

#include "util/path_list.h"

namespace doctest {
template <typename List>
struct PathListMaker {
  static String convert(const List& list) {
    std::string text = "{";
    for (const std::string_view path : list) {
      if (text.size() > 1) text += ", ";
      text += '"';
      text += path;
      text += '"';
    }
    text += '}';
    return text.c_str();
  }
};
template <>
struct StringMaker<gdl::PathList> : PathListMaker<gdl::PathList> {};
template <>
struct StringMaker<gdl::PathSelection> : PathListMaker<gdl::PathSelection> {};
}  // namespace doctest
