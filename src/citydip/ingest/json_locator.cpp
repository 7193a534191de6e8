#include "citydip/ingest/json_locator.h"

#include "citydip/core/text.h"

namespace citydip::ingest {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

}  // namespace

std::size_t JsonElementLocation::LineOf(std::string_view key) const {
  for (const auto& [name, key_line] : key_lines) {
    if (name == key) {
      return key_line;
    }
  }
  return line;
}

std::vector<JsonElementLocation> LocateJsonArrayElements(std::string_view text) {
  std::vector<JsonElementLocation> elements;
  std::size_t pos = 0;
  std::size_t line = 1;
  int depth = 0;
  bool seen_top = false;
  bool expect_element = false;
  bool element_is_object = false;
  const std::size_t size = text.size();
  while (pos < size) {
    const char c = text[pos];
    if (c == '\n') {
      ++line;
      ++pos;
      continue;
    }
    if (IsSpace(c)) {
      ++pos;
      continue;
    }
    if (!seen_top) {
      if (c != '[') {
        return {};
      }
      seen_top = true;
      depth = 1;
      expect_element = true;
      ++pos;
      continue;
    }
    if (depth == 1 && expect_element && c != ']') {
      elements.push_back({line, {}});
      expect_element = false;
      element_is_object = c == '{';
    }
    if (c == '"') {
      std::string value;
      ++pos;
      while (pos < size && text[pos] != '"') {
        if (text[pos] == '\\' && pos + 1 < size) {
          ++pos;  // keep the escaped character; enough for the plain keys we look up
        }
        if (text[pos] == '\n') {
          ++line;
        }
        value += text[pos];
        ++pos;
      }
      ++pos;  // the closing quote
      if (depth == 2 && element_is_object) {
        std::size_t next = pos;
        while (next < size && IsSpace(text[next])) {
          ++next;
        }
        if (next < size && text[next] == ':' && !elements.empty()) {
          elements.back().key_lines.emplace_back(std::move(value), line);
        }
      }
      continue;
    }
    if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      --depth;
      if (depth == 0) {
        break;
      }
    } else if (c == ',' && depth == 1) {
      expect_element = true;
    }
    ++pos;
  }
  return elements;
}

std::pair<std::size_t, std::size_t> LineAndColumnOf(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  std::size_t column = 1;
  if (offset > text.size()) {
    offset = text.size();
  }
  std::size_t i = 0;
  while (i < offset) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n' || (byte == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++line;
      column = 1;
      ++i;
      continue;
    }
    if (byte == '\r') {
      ++i;  // the CR of a CRLF
      continue;
    }
    // One column per code point; an invalid byte counts as one column of its own.
    std::size_t length = byte < 0x80    ? 1
                         : byte >= 0xF0 ? 4
                         : byte >= 0xE0 ? 3
                         : byte >= 0xC0 ? 2
                                        : 1;
    if (length > 1 && (i + length > text.size() || FindInvalidUtf8(text.substr(i, length)))) {
      length = 1;
    }
    i += length;
    ++column;
  }
  return {line, column};
}

}  // namespace citydip::ingest
