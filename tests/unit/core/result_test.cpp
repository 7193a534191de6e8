#include "citydip/core/result.h"

#include <gtest/gtest.h>

namespace citydip {
namespace {

Result<int> Half(int value) {
  if (value % 2 != 0) {
    return Fail(ErrorCode::kInvalidArgument, "'" + std::to_string(value) + "' is odd", "arg");
  }
  return value / 2;
}

TEST(ResultTest, CarriesValueOrError) {
  EXPECT_EQ(Half(4).value(), 2);
  const auto odd = Half(3);

  ASSERT_FALSE(odd.has_value());
  EXPECT_EQ(odd.error().ToString(), "arg: '3' is odd");
}

TEST(ResultTest, EveryCodeMapsToOneExitCodeAndHttpStatus) {
  EXPECT_EQ(ExitCodeFor(ErrorCode::kInvalidArgument), 1);
  EXPECT_EQ(ExitCodeFor(ErrorCode::kNotFound), 1);
  EXPECT_EQ(ExitCodeFor(ErrorCode::kUnavailable), 3);
  EXPECT_EQ(ExitCodeFor(ErrorCode::kInternal), 4);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kInvalidData), 422);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kConflict), 409);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kResourceExhausted), 429);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kUnavailable), 503);
  EXPECT_EQ(ErrorCodeName(ErrorCode::kFailedPrecondition), "failed_precondition");
}

}  // namespace
}  // namespace citydip
