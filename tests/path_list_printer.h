#pragma once
// How doctest prints a PathList in a failed check: its paths, quoted.

#include <doctest/doctest.h>

#include <string>

#include "util/path_list.h"

namespace doctest {
template <>
struct StringMaker<gdl::PathList> {
  static String convert(const gdl::PathList& list) {
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
}  // namespace doctest
