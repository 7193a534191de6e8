// Shared by the server tests: a temporary directory and a registry with a few cities, opened
// through the real store factory (SQLite files, no mocks).
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include "citydip/app/auth_service.h"
#include "citydip/app/store_factory.h"
#include "citydip/core/model.h"

namespace citydip::testing {

/// A fresh directory under the system temp dir, removed with its contents when destroyed.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "citydip-server-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) {
      path_ = pattern;
    }
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    if (!path_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(path_, ignored);
    }
  }

  [[nodiscard]] bool ok() const { return !path_.empty(); }
  [[nodiscard]] std::string path() const { return path_.string(); }
  [[nodiscard]] std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// The cheapest Argon2id cost libsodium allows: tests log in many times; one test checks the
/// production default separately.
inline app::PasswordCost FastCost() {
  return {1, 8192};
}

inline City MakeCity(const std::string& name_en,
                     const std::string& name_ko,
                     const std::string& country) {
  City city;
  city.name_en = name_en;
  city.name_ko = name_ko;
  city.country = country;
  city.sources = {"https://example.org/" + name_en};
  return city;
}

}  // namespace citydip::testing
