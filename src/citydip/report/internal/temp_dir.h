// A private temporary directory, removed with everything in it when the object goes away.
#pragma once

#include <string>
#include <utility>

#include "citydip/core/result.h"

namespace citydip::report::internal {

class TempDir {
 public:
  /// Creates a fresh directory under the system's temporary directory ($TMPDIR or /tmp).
  [[nodiscard]] static Result<TempDir> Create();
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

/// Reads a whole file; kUnavailable when it cannot be read.
[[nodiscard]] Result<std::string> ReadFileBytes(const std::string& path);
/// Writes a whole file; kUnavailable ("cannot write the file", where = path) when it cannot.
[[nodiscard]] Status WriteFileBytes(const std::string& path, const std::string& bytes);

}  // namespace citydip::report::internal
