// igraph is loaded at run time (internal/igraph_util.h): the loader finds every function it needs
// in the installed library and says clearly which library it could not load.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "citydip/analytics/network/internal/igraph_util.h"

namespace citydip::analytics::network::internal {
namespace {

using ::testing::HasSubstr;

TEST(IgraphLoaderTest, LoadsEveryFunctionOfTheInstalledIgraph) {
  IgraphLock lock;
  ASSERT_TRUE(lock.ok()) << lock.status().error().ToString();
#define CITYDIP_EXPECT_LOADED(name) EXPECT_NE(Igraph().name, nullptr) << "igraph_" #name;
  CITYDIP_IGRAPH_FUNCTIONS(CITYDIP_EXPECT_LOADED)
#undef CITYDIP_EXPECT_LOADED
  IntVector vector(3);
  ASSERT_TRUE(vector.ok());
  EXPECT_EQ(vector.size(), 3U);
}

TEST(IgraphLoaderTest, NamesTheLibraryItCannotLoad) {
  auto api = LoadIgraphApi("libcitydip-no-such-igraph.so.0");
  ASSERT_FALSE(api.has_value());
  EXPECT_EQ(api.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(api.error().ToString(), HasSubstr("libcitydip-no-such-igraph.so.0"));
  EXPECT_THAT(api.error().message, HasSubstr("cannot load igraph"));
  EXPECT_THAT(api.error().message, HasSubstr("libigraph3"));
}

TEST(IgraphLoaderTest, NamesTheFunctionsALibraryLacks) {
  // libm loads but is no igraph.
  auto api = LoadIgraphApi("libm.so.6");
  ASSERT_FALSE(api.has_value());
  EXPECT_EQ(api.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(api.error().message, HasSubstr("igraph_betweenness"));
}

}  // namespace
}  // namespace citydip::analytics::network::internal
