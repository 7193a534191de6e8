// The citydip command line: `citydip [--db PATH] COMMAND ...` (docs/cli.md).
#pragma once

#include <ostream>

namespace citydip::cli {

/// Parses and runs one command line. Returns the exit code: 0 ok, 1 bad input or not found,
/// 2 usage error, 3 unavailable, 4 internal error.
[[nodiscard]] int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace citydip::cli
