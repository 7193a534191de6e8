// Where the elements of a top-level JSON array start, and where their keys are, by line: the JSON
// library does not report positions of values, and messages must name the line of a bad record.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace citydip::ingest {

/// One element of the top-level array: its first line and, for an object, the line of each key.
struct JsonElementLocation {
  std::size_t line = 0;
  std::vector<std::pair<std::string, std::size_t>> key_lines;  // key (unescaped), 1-based line

  /// The line of `key`, or the element's line when the key is not present.
  [[nodiscard]] std::size_t LineOf(std::string_view key) const;
};

/// Scans well-formed JSON text (already accepted by the parser) whose top level is an array.
/// Returns one location per element, in order; empty when the top level is not an array.
[[nodiscard]] std::vector<JsonElementLocation> LocateJsonArrayElements(std::string_view text);

/// The 1-based line and column (in code points) of a byte offset.
[[nodiscard]] std::pair<std::size_t, std::size_t> LineAndColumnOf(std::string_view text,
                                                                  std::size_t offset);

}  // namespace citydip::ingest
