// MD5 of many files at once. MD5 is a chain: one file's blocks cannot be hashed in parallel, and
// one chain runs at about 500 MB/s on our machines. But the chains of different files are
// independent, so they can share the lanes of one SIMD register: 16 files per AVX-512 register,
// 8 per AVX2 register, each lane running RFC 1321's block function on its own file. Several daily
// or 15-minute GDELT files then cost about what one costs. Internal to the GDELT reader; see
// docs/decisions/0004-multi-buffer-md5.md for why this is written here.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "citydip/core/result.h"

namespace citydip::ingest::gdelt::internal {

inline constexpr int kMd5MaxLanes = 16;

enum class Md5Kernel : std::uint8_t {
  kAuto,    // the widest this CPU has (one file: the scalar one)
  kScalar,  // OpenSSL, one file after the other
  kAvx2,    // 8 lanes
  kAvx512,  // 16 lanes
};

/// True when this CPU can run `kernel`.
[[nodiscard]] bool Md5KernelSupported(Md5Kernel kernel);

/// What hashing one file found.
struct FileDigest {
  std::string md5;            // 32 lowercase hex digits
  std::uint64_t size = 0;     // bytes hashed (to EOF)
  std::int64_t mtime_ns = 0;  // modification time when opened
};

/// The MD5 of each file of `paths` (same order); a file that cannot be opened or read gets its
/// error, the others are unaffected. Reads each file once, in 256 KiB chunks per lane.
/// `bytes_read`, when given, is increased as bytes are hashed.
[[nodiscard]] std::vector<Result<FileDigest>> Md5OfFiles(
    const std::vector<std::string>& paths,
    Md5Kernel kernel = Md5Kernel::kAuto,
    std::atomic<std::uint64_t>* bytes_read = nullptr);

/// The MD5 of `size` bytes, in lowercase hex (for tests and small inputs).
[[nodiscard]] std::string Md5Hex(const void* data, std::size_t size);

}  // namespace citydip::ingest::gdelt::internal
