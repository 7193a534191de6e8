// The dashboard's static files: resolving a URL path to a file below the web root, refusing
// anything that would leave it (.., hidden files, symbolic links pointing out).
#pragma once

#include <string>
#include <string_view>

#include "citydip/core/result.h"

namespace citydip::server::internal {

/// A file to send.
struct StaticFile {
  std::string content;
  std::string content_type;
};

/// The canonical form of a web root directory; kNotFound when it is not a directory.
[[nodiscard]] Result<std::string> CanonicalWebRoot(const std::string& root);

/// Reads the file a (percent-decoded) URL path names below `canonical_root`; "/" is index.html.
/// kInvalidArgument for a path with "..", ".", a hidden segment, a backslash or a NUL, or one
/// that resolves outside the root; kNotFound for a missing file or a directory.
[[nodiscard]] Result<StaticFile> ReadStaticFile(const std::string& canonical_root,
                                                std::string_view url_path);

/// The Content-Type for a file name ("text/html; charset=utf-8").
[[nodiscard]] std::string ContentTypeFor(std::string_view name);

}  // namespace citydip::server::internal
