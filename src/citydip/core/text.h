// Text helpers used across modules: UTF-8 validation, terminal display width (Korean and
// Chinese characters take two columns), splitting multi-valued cells and trimming.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace citydip {

/// The byte offset of the first invalid UTF-8 sequence in `text`, or nullopt when valid.
[[nodiscard]] std::optional<std::size_t> FindInvalidUtf8(std::string_view text);

/// Terminal columns `text` occupies: East Asian wide and fullwidth characters count 2,
/// combining marks 0, others 1. Assumes valid UTF-8.
[[nodiscard]] std::size_t DisplayWidth(std::string_view text);

/// Pads `text` with spaces to `width` display columns (left-aligned).
[[nodiscard]] std::string PadRight(std::string_view text, std::size_t width);
/// Pads `text` with spaces to `width` display columns (right-aligned).
[[nodiscard]] std::string PadLeft(std::string_view text, std::size_t width);

/// Removes leading and trailing ASCII white space.
[[nodiscard]] std::string_view Trim(std::string_view text);

/// Splits a multi-valued cell on ';' and trims each part; empty parts are dropped.
/// "a; b;c" → {"a", "b", "c"}.
[[nodiscard]] std::vector<std::string> SplitList(std::string_view cell);
/// Joins values with "; ", the canonical multi-value separator.
[[nodiscard]] std::string JoinList(const std::vector<std::string>& values);

/// ASCII lower-casing (names and codes are compared case-insensitively in searches).
[[nodiscard]] std::string ToLowerAscii(std::string_view text);

}  // namespace citydip
