// Multi-buffer MD5: every kernel this CPU has gives OpenSSL's digests, for lengths around the
// padding and chunk edges, with more files than lanes (lanes take new files as theirs end), and
// with files that cannot be read in between.
#include "citydip/ingest/gdelt/internal/md5_lanes.h"

#include <atomic>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "gdelt_test_support.h"

namespace citydip::test {
namespace {

using ingest::gdelt::internal::Md5Hex;
using ingest::gdelt::internal::Md5Kernel;
using ingest::gdelt::internal::Md5KernelSupported;
using ingest::gdelt::internal::Md5OfFiles;

constexpr std::size_t kChunk = 256 * 1024;  // the hasher's read size per lane

TEST(Md5LanesTest, KnownDigests) {
  EXPECT_EQ(Md5Hex("", 0), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Md5Hex("abc", 3), "900150983cd24fb0d6963f7d28e17f72");
}

class Md5KernelTest : public ::testing::TestWithParam<Md5Kernel> {};

TEST_P(Md5KernelTest, GivesOpenSslsDigestForEveryFile) {
  if (!Md5KernelSupported(GetParam())) {
    GTEST_SKIP() << "this CPU lacks the instruction set";
  }
  TempDir dir;
  std::vector<std::size_t> sizes = {0,
                                    1,
                                    3,
                                    55,
                                    56,
                                    57,
                                    63,
                                    64,
                                    65,
                                    119,
                                    120,
                                    121,
                                    127,
                                    128,
                                    129,
                                    kChunk - 1,
                                    kChunk,
                                    kChunk + 1,
                                    kChunk + 55,
                                    kChunk + 56,
                                    2 * kChunk + 64,
                                    3 * kChunk + 17};
  std::mt19937_64 random(20261130);
  for (int i = 0; i < 20; ++i) {
    sizes.push_back(random() % (2 * kChunk));
  }
  std::vector<std::string> paths;
  std::vector<std::string> expected;
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    std::string content(sizes[i], '\0');
    for (char& c : content) {
      c = static_cast<char>(random());
    }
    paths.push_back(dir.File("f" + std::to_string(i)));
    WriteText(paths.back(), content);
    expected.push_back(Md5Hex(content.data(), content.size()));
    total += content.size();
    if (i == 7) {  // a missing file and a directory among the others
      paths.push_back(dir.File("missing"));
      expected.emplace_back("not found");
      paths.push_back(dir.path());
      expected.emplace_back("not a regular file");
    }
  }
  std::atomic<std::uint64_t> bytes{0};
  const auto results = Md5OfFiles(paths, GetParam(), &bytes);
  ASSERT_EQ(results.size(), paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i) {
    SCOPED_TRACE(paths[i]);
    if (expected[i] == "not found") {
      ASSERT_FALSE(results[i]);
      EXPECT_EQ(results[i].error().code, ErrorCode::kNotFound);
    } else if (expected[i] == "not a regular file") {
      ASSERT_FALSE(results[i]);
      EXPECT_EQ(results[i].error().code, ErrorCode::kInvalidArgument);
    } else {
      ASSERT_TRUE(results[i]) << results[i].error().ToString();
      EXPECT_EQ(results[i]->md5, expected[i]);
      EXPECT_GT(results[i]->mtime_ns, 0);
    }
  }
  EXPECT_EQ(bytes.load(), total);
}

TEST_P(Md5KernelTest, OneFileAndNoFile) {
  if (!Md5KernelSupported(GetParam())) {
    GTEST_SKIP() << "this CPU lacks the instruction set";
  }
  EXPECT_TRUE(Md5OfFiles({}, GetParam()).empty());
  TempDir dir;
  WriteText(dir.File("one"), "The quick brown fox jumps over the lazy dog");
  const auto results = Md5OfFiles({dir.File("one")}, GetParam());
  ASSERT_EQ(results.size(), 1U);
  ASSERT_TRUE(results[0]);
  EXPECT_EQ(results[0]->md5, "9e107d9d372bb6826bd81d3542a419d6");
  EXPECT_EQ(results[0]->size, 43U);
}

INSTANTIATE_TEST_SUITE_P(
    Kernels,
    Md5KernelTest,
    ::testing::Values(Md5Kernel::kAuto, Md5Kernel::kScalar, Md5Kernel::kAvx2, Md5Kernel::kAvx512),
    [](const auto& param_info) {
      switch (param_info.param) {
        case Md5Kernel::kAuto:
          return std::string("Auto");
        case Md5Kernel::kScalar:
          return std::string("Scalar");
        case Md5Kernel::kAvx2:
          return std::string("Avx2");
        case Md5Kernel::kAvx512:
          return std::string("Avx512");
      }
      return std::string("Unknown");
    });

}  // namespace
}  // namespace citydip::test
