// The MD5 of files, with each kernel: how fast `gdelt ingest` can fingerprint its input.
//   md5_lanes [--kernel auto|scalar|avx2|avx512] FILE...
// Prints one line: "md5 kernel=<k> files=<n> bytes=<n> sec=<wall seconds> GB/s=<rate>".
#include "citydip/ingest/gdelt/internal/md5_lanes.h"

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace md5 = citydip::ingest::gdelt::internal;

int main(int argc, char** argv) {
  std::string kernel_name = "auto";
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--kernel" && i + 1 < argc) {
      kernel_name = argv[++i];
    } else {
      paths.push_back(arg);
    }
  }
  md5::Md5Kernel kernel = md5::Md5Kernel::kAuto;
  if (kernel_name == "scalar") {
    kernel = md5::Md5Kernel::kScalar;
  } else if (kernel_name == "avx2") {
    kernel = md5::Md5Kernel::kAvx2;
  } else if (kernel_name == "avx512") {
    kernel = md5::Md5Kernel::kAvx512;
  } else if (kernel_name != "auto") {
    std::fprintf(stderr, "md5_lanes: unknown kernel %s\n", kernel_name.c_str());
    return 2;
  }
  if (!md5::Md5KernelSupported(kernel)) {
    std::fprintf(stderr, "md5_lanes: this CPU cannot run %s\n", kernel_name.c_str());
    return 1;
  }
  const auto start = std::chrono::steady_clock::now();
  const auto results = md5::Md5OfFiles(paths, kernel);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::uint64_t bytes = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (!results[i]) {
      std::fprintf(stderr, "md5_lanes: %s\n", results[i].error().ToString().c_str());
      return 1;
    }
    bytes += results[i]->size;
  }
  std::printf("md5 kernel=%s files=%zu bytes=%llu sec=%.3f GB/s=%.3f\n", kernel_name.c_str(),
              paths.size(), static_cast<unsigned long long>(bytes), seconds,
              static_cast<double>(bytes) / seconds / 1e9);
  return 0;
}
