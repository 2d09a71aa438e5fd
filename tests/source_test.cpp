#include <doctest/doctest.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "source/loader.h"
#include "source/source_file.h"
#include "test_support.h"
#include "util/interval_index.h"
#include "util/text.h"

using gdl::LineIndex;
using gdl::Position;

TEST_CASE("line index maps offsets to 1-based line and code-point column") {
  struct Case {
    const char* text;
    std::size_t offset;
    std::uint32_t line;
    std::uint32_t column;
  };
  const Case cases[] = {
      {"", 0, 1, 1},
      {"abc", 0, 1, 1},
      {"abc", 3, 1, 4},
      {"a\nb", 2, 2, 1},
      {"a\r\nb", 3, 2, 1},
      {"a\r\nb", 1, 1, 2},     // the CR of CRLF still belongs to line 1
      {"a\rb", 2, 2, 1},       // a lone CR ends a line
      {"\t\tx", 2, 1, 3},      // a tab is one character
      {"\xC3\xA9x", 2, 1, 2},  // é is two bytes, one column
      {"\xF0\x9F\x98\x80y", 4, 1, 2},
      {"x\n\n\ny", 4, 4, 1},
      {"abc", 99, 1, 4},  // clamped to the end
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    CAPTURE(c.offset);
    const LineIndex index(c.text);
    const Position p = index.position(c.offset);
    CHECK(p.line == c.line);
    CHECK(p.column == c.column);
  }
}

TEST_CASE("line text excludes the line break") {
  const LineIndex index("one\r\ntwo\rthree\nfour");
  CHECK(index.line_count() == 4);
  CHECK(index.line_text(1) == "one");
  CHECK(index.line_text(2) == "two");
  CHECK(index.line_text(3) == "three");
  CHECK(index.line_text(4) == "four");
  CHECK(index.line_text(5).empty());
}

TEST_CASE("line index finds every line break that a byte-by-byte reading finds") {
  // Random texts of every length 0..64 from breaks, bytes one bit away from '\n' (0x0B, 0x8A,
  // 0x0E, 0x4A) and high bytes; a third of them with CRLF (the other path). A differential test.
  std::mt19937 random(17);
  const std::string alphabet("\n\n\nab\x0B\x8A\x0E\x4A\xFF\x80 ", 12);
  for (int round = 0; round < 2000; ++round) {
    std::string text(static_cast<std::size_t>(round % 65), ' ');
    for (char& c : text) c = alphabet[random() % alphabet.size()];
    if (round % 3 == 0) text.append("\r\n");  // the other path: a CR anywhere
    std::vector<std::uint32_t> starts = {0};
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')))
        starts.push_back(static_cast<std::uint32_t>(i + 1));
    }
    CAPTURE(round);
    const LineIndex index(text);
    REQUIRE(index.line_count() == starts.size());
    for (std::uint32_t line = 1; line <= starts.size(); ++line)
      CHECK(index.line_start(line) == starts[line - 1]);
  }
}

TEST_CASE("code points and line breaks are counted as a byte-by-byte reading counts them") {
  // The counts go in blocks of 255 bytes into a one-byte counter: lengths around the block's size,
  // texts of nothing but counted bytes (a block's count at its most), and random mixtures.
  std::mt19937 random(23);
  const std::string alphabet(
      "\n\xC3\xA9\xF0\x9F\x98\x80"
      "a\x80\xBF",
      10);
  const std::size_t lengths[] = {0, 1, 254, 255, 256, 509, 510, 511, 1024, 3000};
  for (const std::size_t length : lengths) {
    for (const int kind : {0, 1, 2}) {
      std::string text(length, kind == 0 ? '\n' : 'x');
      if (kind == 2) {
        for (char& c : text) c = alphabet[random() % alphabet.size()];
      }
      CAPTURE(length);
      CAPTURE(kind);
      std::size_t code_points = 0;
      std::size_t breaks = 0;
      for (const char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) ++code_points;
        if (c == '\n') ++breaks;
      }
      CHECK(gdl::count_code_points(text) == code_points);
      CHECK(LineIndex(text).line_count() == breaks + 1);
    }
  }
}

TEST_CASE("UTF-8 validation rejects overlong, surrogate, truncated and out-of-range sequences") {
  CHECK(gdl::valid_utf8_sequence_length("a") == 1);
  CHECK(gdl::valid_utf8_sequence_length("\xC3\xA9") == 2);
  CHECK(gdl::valid_utf8_sequence_length("\xE2\x82\xAC") == 3);
  CHECK(gdl::valid_utf8_sequence_length("\xF0\x9F\x98\x80") == 4);
  CHECK(gdl::valid_utf8_sequence_length("\xC0\xAF") == 0);          // overlong '/'
  CHECK(gdl::valid_utf8_sequence_length("\xED\xA0\x80") == 0);      // UTF-16 surrogate
  CHECK(gdl::valid_utf8_sequence_length("\xE2\x82") == 0);          // truncated
  CHECK(gdl::valid_utf8_sequence_length("\xF4\x90\x80\x80") == 0);  // above U+10FFFF
  CHECK(gdl::valid_utf8_sequence_length("\x80") == 0);              // stray continuation
  CHECK(gdl::sanitize_utf8("a\xFFz") == "a\xEF\xBF\xBDz");
  // is_valid_utf8 says exactly when sanitize_utf8 changes nothing.
  for (const std::string_view text : {"", "plain", "caf\xC3\xA9", "\xF0\x9F\x98\x80!", "a\xFFz",
                                      "\xC0\xAF", "\xED\xA0\x80", "ends \xE2\x82", "\x80"}) {
    CAPTURE(text);
    CHECK(gdl::is_valid_utf8(text) == (gdl::sanitize_utf8(text) == text));
  }
}

TEST_CASE("terminal escaping makes control, C1 and bidi characters visible") {
  CHECK(gdl::escape_for_terminal("plain é") == "plain é");
  CHECK(gdl::escape_for_terminal("\x1b[31mred") == "\\x1b[31mred");
  CHECK(gdl::escape_for_terminal("a\nb\rc") == "a\\x0ab\\x0dc");
  CHECK(gdl::escape_for_terminal("\xC2\x9B") == "\\u{009b}");      // C1 CSI
  CHECK(gdl::escape_for_terminal("\xE2\x80\xAE") == "\\u{202e}");  // right-to-left override
  CHECK(gdl::escape_for_terminal("\xFF") == "\\xff");
}

TEST_CASE("atomic writes replace files, follow links, and write into devices and pipes") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / fmt::format("gdl-atomic-{}", ::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string error;
  // A file: replaced with its permissions kept.
  const fs::path file = dir / "report.json";
  std::ofstream(file) << "old";
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  REQUIRE(gdl::write_file_atomically(file.string(), "new", error));
  CHECK(gdl::test::read_file(file) == "new");
  CHECK(fs::status(file).permissions() ==
        (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
  // A symbolic link stays a link; its target gets the text.
  const fs::path link = dir / "link.json";
  fs::create_symlink(file, link);
  REQUIRE(gdl::write_file_atomically(link.string(), "through the link", error));
  CHECK(fs::is_symlink(link));
  CHECK(gdl::test::read_file(file) == "through the link");
  // A dangling link: its target is created, the link kept.
  const fs::path dangling = dir / "dangling.json";
  fs::create_symlink(dir / "created.json", dangling);
  REQUIRE(gdl::write_file_atomically(dangling.string(), "made", error));
  CHECK(fs::is_symlink(dangling));
  CHECK(gdl::test::read_file(dir / "created.json") == "made");
  // A pipe (as /dev/stdout may be) is written to, not replaced by a regular file.
  const fs::path fifo = dir / "pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::string received;
  std::thread reader([&] { received = gdl::test::read_file(fifo); });
  {
    gdl::AtomicFile out(fifo.string());
    REQUIRE(out.is_open());
    out.stream() << "streamed";
    CHECK(out.commit(error));
  }
  reader.join();
  CHECK(received == "streamed");
  CHECK(fs::is_fifo(fifo));
  // Without a commit nothing changes and no temporary file is left.
  {
    gdl::AtomicFile out(file.string());
    out.stream() << "abandoned";
  }
  CHECK(gdl::test::read_file(file) == "through the link");
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}) == 5);
  fs::remove_all(dir);
}

// The interval index answers exactly what a scan of every range answers, for ranges that nest,
// overlap, touch, stand alone or are single points, and for queries of every width.
TEST_CASE("an interval index finds exactly the ranges a full scan finds") {
  std::mt19937 random(17);
  for (int round = 0; round < 200; ++round) {
    const std::size_t count = random() % 40;
    const std::size_t extent = 1 + random() % 200;
    std::vector<std::pair<std::size_t, std::size_t>> ranges;
    gdl::IntervalIndex index;
    for (std::size_t id = 0; id < count; ++id) {
      const std::size_t low = random() % extent;
      const std::size_t high = low + (random() % 3 == 0 ? 0 : random() % (extent / 4 + 1));
      ranges.emplace_back(low, high);
      index.add(low, high, id);
    }
    index.build();
    std::vector<std::size_t> found;
    for (int query = 0; query < 50; ++query) {
      const std::size_t from = random() % (extent + 10);
      const std::size_t to = from + random() % 8;
      std::vector<std::size_t> expected;
      for (std::size_t id = 0; id < ranges.size(); ++id) {
        if (ranges[id].first <= to && ranges[id].second >= from) expected.push_back(id);
      }
      INFO("round " << round << ", query [" << from << ", " << to << "]");
      index.meeting(from, to, found);
      CHECK(found == expected);
    }
  }
}

TEST_CASE("a per-file interval index keeps each file's ranges to that file") {
  gdl::FileIntervalIndex index;
  index.add("a.json", 0, 100, 0);
  index.add("b.json", 0, 100, 1);
  index.add("a.json", 50, 60, 2);
  index.build();
  std::vector<std::size_t> found{7};  // cleared by every query
  index.meeting("a.json", 55, 55, found);
  CHECK(found == std::vector<std::size_t>{0, 2});
  index.meeting("b.json", 55, 55, found);
  CHECK(found == std::vector<std::size_t>{1});
  index.meeting("c.json", 55, 55, found);
  CHECK(found.empty());
}

// Loading: the bytes exactly as written, whatever their size (one read, several reads, a file
// under /proc that reports no size), and a clear error for what is not a readable regular file,
// without waiting on a FIFO nobody writes to.
TEST_CASE("load_source reads regular files whole and refuses everything else") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / fmt::format("gdl-load-{}", ::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(dir / name, std::ios::binary) << bytes;
    return (dir / name).string();
  };
  std::string large(200'000, 'x');  // beyond any single read buffer
  for (std::size_t i = 0; i < large.size(); i += 97) large[i] = static_cast<char>('a' + i % 26);
  const struct {
    std::string name;
    std::string bytes;
  } files[] = {{"empty.json", ""},
               {"small.json", "{\"Version\": \"2012-10-17\"}\n"},
               {"nul.json", std::string("{\0}", 3)},
               {"large.json", large}};
  for (const auto& f : files) {
    CAPTURE(f.name);
    const gdl::LoadResult loaded = gdl::load_source(write(f.name, f.bytes));
    REQUIRE(std::holds_alternative<std::unique_ptr<gdl::SourceFile>>(loaded));
    CHECK(std::get<std::unique_ptr<gdl::SourceFile>>(loaded)->text() == f.bytes);
  }
  // /proc files report a size of 0 and still have content.
  const gdl::LoadResult proc = gdl::load_source("/proc/self/status");
  REQUIRE(std::holds_alternative<std::unique_ptr<gdl::SourceFile>>(proc));
  CHECK(std::get<std::unique_ptr<gdl::SourceFile>>(proc)->text().starts_with("Name:"));

  REQUIRE(::mkfifo((dir / "pipe").c_str(), 0600) == 0);
  const struct {
    std::string path;
    std::size_t max_bytes;
    std::string message;
  } refused[] = {
      {(dir / "missing.json").string(), gdl::kDefaultMaxInputBytes, "No such file or directory"},
      {dir.string(), gdl::kDefaultMaxInputBytes, "is a directory; name the policy files to check"},
      {(dir / "pipe").string(), gdl::kDefaultMaxInputBytes, "is not a regular file"},
      {(dir / "large.json").string(), 100'000,
       "is larger than the input size limit of 0 MB (raise it with --max-size MB)"},
  };
  for (const auto& r : refused) {
    CAPTURE(r.path);
    const gdl::LoadResult loaded = gdl::load_source(r.path, r.max_bytes);
    REQUIRE(std::holds_alternative<gdl::LoadError>(loaded));
    CHECK(std::get<gdl::LoadError>(loaded).message == r.message);
  }
  fs::remove_all(dir);
}

TEST_CASE("load_source follows no link out of the git work tree it is in") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / fmt::format("gdl-links-{}", ::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir / "repo" / ".git");
  fs::create_directories(dir / "repo" / "sub");
  fs::create_directories(dir / "loose");
  std::ofstream(dir / "outside.json") << "{\"secret\": 1}";
  std::ofstream(dir / "repo" / "inside.json") << "{\"inside\": 1}";
  const struct {
    std::string link;  // below `dir`
    fs::path target;
    bool read;
  } links[] = {
      {"repo/out.json", dir / "outside.json", false},          // absolute, out
      {"repo/sub/rel-out.json", "../../outside.json", false},  // relative, out
      {"repo/sub/in.json", "../inside.json", true},            // within the work tree
      {"repo/sub/abs-in.json", dir / "repo" / "inside.json", true},
      {"loose/out.json", dir / "outside.json", true},  // in no work tree
  };
  // A directory named through a link: judged by where it resolves.
  fs::create_directories(dir / "outside-dir");
  fs::create_symlink(dir / "outside-dir", dir / "repo" / "dlink");
  fs::create_symlink("sub", dir / "repo" / "sublink");
  CHECK(gdl::directory_leaves_work_tree((dir / "repo" / "dlink").string())
            .starts_with("resolves to " + (dir / "outside-dir").string()));
  CHECK(gdl::directory_leaves_work_tree((dir / "repo" / "dlink").string() + "/").size() > 0);
  CHECK(gdl::directory_leaves_work_tree((dir / "repo" / "sublink").string()).empty());
  CHECK(gdl::directory_leaves_work_tree((dir / "repo" / "sub").string()).empty());
  CHECK(gdl::directory_leaves_work_tree((dir / "loose").string()).empty());  // in no work tree
  for (const auto& l : links) {
    CAPTURE(l.link);
    fs::create_symlink(l.target, dir / l.link);
    const gdl::LoadResult loaded = gdl::load_source((dir / l.link).string());
    CHECK(std::holds_alternative<std::unique_ptr<gdl::SourceFile>>(loaded) == l.read);
    if (const auto* error = std::get_if<gdl::LoadError>(&loaded)) {
      CHECK(error->message.starts_with("a symbolic link to " + (dir / "outside.json").string() +
                                       ", outside the repository (" + (dir / "repo").string() +
                                       ")"));
    }
  }
  fs::remove_all(dir);
}
