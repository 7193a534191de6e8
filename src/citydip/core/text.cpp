#include "citydip/core/text.h"

#include <cstdint>

namespace citydip {
namespace {

// Decodes one code point at `pos`; returns its length, or 0 when invalid.
std::size_t DecodeUtf8(std::string_view text, std::size_t pos, char32_t& out) {
  const auto byte = [&](std::size_t index) { return static_cast<unsigned char>(text[index]); };
  const unsigned char lead = byte(pos);
  std::size_t length = 0;
  char32_t min = 0;
  if (lead < 0x80) {
    out = lead;
    return 1;
  }
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    out = lead & 0x1F;
    min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    out = lead & 0x0F;
    min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    out = lead & 0x07;
    min = 0x10000;
  } else {
    return 0;
  }
  if (pos + length > text.size()) {
    return 0;
  }
  for (std::size_t index = 1; index < length; ++index) {
    const unsigned char next = byte(pos + index);
    if ((next & 0xC0) != 0x80) {
      return 0;
    }
    out = (out << 6) | (next & 0x3F);
  }
  if (out < min || out > 0x10FFFF || (out >= 0xD800 && out <= 0xDFFF)) {
    return 0;
  }
  return length;
}

bool IsWide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
         (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
         (c >= 0xA960 && c <= 0xA97F) || (c >= 0xAC00 && c <= 0xD7A3) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
         (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) ||
         (c >= 0x1F300 && c <= 0x1F64F) || (c >= 0x20000 && c <= 0x3FFFD);
}

bool IsCombining(char32_t c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1160 && c <= 0x11FF) ||
         (c >= 0x200B && c <= 0x200F) || (c >= 0xFE00 && c <= 0xFE0F);
}

}  // namespace

std::optional<std::size_t> FindInvalidUtf8(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    char32_t code_point = 0;
    const std::size_t length = DecodeUtf8(text, pos, code_point);
    if (length == 0) {
      return pos;
    }
    pos += length;
  }
  return std::nullopt;
}

std::size_t DisplayWidth(std::string_view text) {
  std::size_t width = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    char32_t code_point = 0;
    std::size_t length = DecodeUtf8(text, pos, code_point);
    if (length == 0) {
      length = 1;
      code_point = '?';
    }
    pos += length;
    if (IsCombining(code_point)) {
      continue;
    }
    width += IsWide(code_point) ? 2 : 1;
  }
  return width;
}

std::string PadRight(std::string_view text, std::size_t width) {
  std::string out(text);
  const std::size_t have = DisplayWidth(text);
  if (have < width) {
    out.append(width - have, ' ');
  }
  return out;
}

std::string PadLeft(std::string_view text, std::size_t width) {
  const std::size_t have = DisplayWidth(text);
  std::string out;
  if (have < width) {
    out.append(width - have, ' ');
  }
  out += text;
  return out;
}

std::string_view Trim(std::string_view text) {
  const auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
  };
  while (!text.empty() && is_space(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_space(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

std::vector<std::string> SplitList(std::string_view cell) {
  std::vector<std::string> parts;
  while (true) {
    const std::size_t semicolon = cell.find(';');
    const std::string_view part = Trim(cell.substr(0, semicolon));
    if (!part.empty()) {
      parts.emplace_back(part);
    }
    if (semicolon == std::string_view::npos) {
      break;
    }
    cell.remove_prefix(semicolon + 1);
  }
  return parts;
}

std::string JoinList(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& value : values) {
    if (!out.empty()) {
      out += "; ";
    }
    out += value;
  }
  return out;
}

std::string ToLowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

}  // namespace citydip
