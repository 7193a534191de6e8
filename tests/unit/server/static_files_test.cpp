// Resolving dashboard paths: files below the root are served, anything leaving it is refused.
#include "citydip/server/internal/static_files.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "test_support.h"

namespace citydip::server::internal {
namespace {

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.ok());
    std::filesystem::create_directories(dir_.File("web/css"));
    std::ofstream(dir_.File("web/index.html")) << "index";
    std::ofstream(dir_.File("web/css/site.css")) << "body{}";
    std::ofstream(dir_.File("web/.env")) << "hidden";
    std::ofstream(dir_.File("outside.txt")) << "outside";
    std::filesystem::create_symlink(dir_.File("outside.txt"), dir_.File("web/link.txt"));
    auto root = CanonicalWebRoot(dir_.File("web"));
    ASSERT_TRUE(root) << root.error().ToString();
    root_ = *root;
  }

  testing::TempDir dir_;
  std::string root_;
};

TEST_F(StaticFilesTest, ServesFilesBelowTheRoot) {
  auto index = ReadStaticFile(root_, "/");
  ASSERT_TRUE(index) << index.error().ToString();
  EXPECT_EQ(index->content, "index");
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  auto css = ReadStaticFile(root_, "/css/site.css");
  ASSERT_TRUE(css);
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
}

TEST_F(StaticFilesTest, RefusesEverythingThatLeavesTheRoot) {
  for (const char* path :
       {"/../outside.txt", "/css/../../outside.txt", "/./index.html", "/css/..", "/.env",
        "//outside.txt", "/css\\..\\..\\outside.txt", "relative.txt", "/link.txt"}) {
    auto file = ReadStaticFile(root_, path);
    ASSERT_FALSE(file) << path;
    EXPECT_EQ(file.error().code, ErrorCode::kInvalidArgument) << path;
  }
  auto nul = ReadStaticFile(root_, std::string_view("/index.html\0.png", 16));
  EXPECT_FALSE(nul);
}

TEST_F(StaticFilesTest, MissingFilesAndDirectoriesAreNotFound) {
  EXPECT_EQ(ReadStaticFile(root_, "/nope.html").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ReadStaticFile(root_, "/css").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(CanonicalWebRoot(dir_.File("missing")).error().code, ErrorCode::kNotFound);
}

TEST(ContentTypeTest, KnownAndUnknownExtensions) {
  EXPECT_EQ(ContentTypeFor("app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("openapi.json"), "application/json");
  EXPECT_EQ(ContentTypeFor("font.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("archive.tar.gz"), "application/octet-stream");
}

}  // namespace
}  // namespace citydip::server::internal
