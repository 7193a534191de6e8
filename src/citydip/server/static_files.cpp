#include "citydip/server/internal/static_files.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

namespace citydip::server::internal {
namespace {

namespace fs = std::filesystem;

Error NotAllowed(std::string_view url_path) {
  return {ErrorCode::kInvalidArgument,
          "path '" + std::string(url_path) +
              "' is not allowed (expected a file below the dashboard's root, without '..' or "
              "hidden names)",
          "path"};
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

Result<std::string> CanonicalWebRoot(const std::string& root) {
  std::error_code error;
  const fs::path canonical = fs::canonical(root, error);
  if (error || !fs::is_directory(canonical, error)) {
    return Fail(ErrorCode::kNotFound,
                "the dashboard directory '" + root +
                    "' does not exist (expected the build's "
                    "web/ directory; see --web-root)",
                "--web-root");
  }
  return canonical.string();
}

std::string ContentTypeFor(std::string_view name) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& [extension, type] : kTypes) {
    if (EndsWith(name, extension)) {
      return std::string(type);
    }
  }
  return "application/octet-stream";
}

Result<StaticFile> ReadStaticFile(const std::string& canonical_root, std::string_view url_path) {
  std::string relative(url_path);
  if (relative.empty() || relative == "/") {
    relative = "/index.html";
  }
  if (relative.front() != '/' || relative.find('\0') != std::string::npos ||
      relative.find('\\') != std::string::npos) {
    return Fail(NotAllowed(url_path));
  }
  // Every segment must be a plain name: no "..", no ".", no hidden files, no empty segments.
  std::size_t start = 1;
  while (start <= relative.size()) {
    const std::size_t end = std::min(relative.find('/', start), relative.size());
    const std::string_view segment(relative.data() + start, end - start);
    if (segment.empty() || segment.front() == '.') {
      return Fail(NotAllowed(url_path));
    }
    start = end + 1;
  }
  std::error_code error;
  const fs::path candidate =
      fs::weakly_canonical(fs::path(canonical_root) / relative.substr(1), error);
  const std::string resolved = candidate.string();
  if (error || resolved.size() <= canonical_root.size() ||
      resolved.compare(0, canonical_root.size(), canonical_root) != 0 ||
      resolved[canonical_root.size()] != '/') {
    return Fail(NotAllowed(url_path));
  }
  if (!fs::is_regular_file(candidate, error)) {
    return Fail(ErrorCode::kNotFound, "no file '" + std::string(url_path) + "' in the dashboard",
                "path");
  }
  std::ifstream in(candidate, std::ios::binary);
  if (!in) {
    return Fail(ErrorCode::kUnavailable, "cannot read '" + std::string(url_path) + "'", "path");
  }
  StaticFile file;
  file.content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  file.content_type = ContentTypeFor(resolved);
  return file;
}

}  // namespace citydip::server::internal
