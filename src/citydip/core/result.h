// Error values and the Result<T> type used by every fallible function in citydip, plus the one
// mapping from error codes to process exit codes and HTTP statuses.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace citydip {

/// What went wrong, from the caller's point of view. Pick the most specific code.
enum class ErrorCode : std::uint8_t {
  kInvalidArgument,     // malformed user input: a bad date, an unknown city, bad JSON
  kInvalidData,         // an input file is malformed beyond the configured tolerance
  kNotFound,            // a named entity does not exist
  kAlreadyExists,       // a duplicate record
  kConflict,            // a concurrent edit changed the record first (version mismatch)
  kFailedPrecondition,  // the current state forbids it (e.g. the schema is newer than this build)
  kUnauthenticated,     // no or bad credentials
  kPermissionDenied,    // authenticated, but the role does not allow it
  kResourceExhausted,   // a rate limit or size limit was hit
  kUnavailable,         // a database, server or file system is unreachable; retrying may help
  kInternal,            // a bug or an unexpected library failure
};

/// An error value: a code, a human message (lower-case start, no final period, names the bad
/// value and what was expected) and an optional location such as "events.csv:12:3".
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string where;

  /// "where: message" when a location is known, else the message.
  [[nodiscard]] std::string ToString() const;
};

template <typename T, typename E = Error>
using Result = tl::expected<T, E>;
template <typename E>
using Unexpected = tl::unexpected<E>;
using Status = Result<void>;

/// Builds the error half of a Result; the only way to return an error.
[[nodiscard]] Unexpected<Error> Fail(ErrorCode code, std::string message, std::string where = {});
[[nodiscard]] Unexpected<Error> Fail(Error error);

/// A success value for Status-returning functions.
[[nodiscard]] inline Status Ok() {
  return {};
}

/// The stable snake_case name of a code, used in JSON error bodies ("invalid_argument").
[[nodiscard]] std::string_view ErrorCodeName(ErrorCode code);

/// The process exit code for an error: 1 bad input or not found, 3 unavailable, 4 internal.
/// (0 is success and 2 a usage error, decided by the CLI parser.)
[[nodiscard]] int ExitCodeFor(ErrorCode code);

/// The HTTP status for an error.
[[nodiscard]] int HttpStatusFor(ErrorCode code);

}  // namespace citydip
