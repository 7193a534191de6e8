#include "citydip/ingest/gdelt/internal/md5_lanes.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <system_error>

#include <openssl/evp.h>
#include <sys/stat.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace citydip::ingest::gdelt::internal {
namespace {

constexpr std::size_t kChunk = std::size_t{256} * 1024;  // read per lane at a time; 64 | kChunk
constexpr std::size_t kLaneBytes = kChunk + 128;         // + up to two padding blocks
constexpr std::array<std::uint32_t, 4> kInit = {0x67452301U, 0xefcdab89U, 0x98badcfeU, 0x10325476U};

using State = std::uint32_t[4][kMd5MaxLanes];
using BlockFn = void (*)(State&, const std::uint8_t*, const std::int32_t*, std::size_t);

}  // namespace

// ---- one block function per instruction set -----------------------------------------------------

#if defined(__x86_64__)
#pragma GCC push_options
#pragma GCC target("avx2")
namespace avx2 {
struct V {
  using R = __m256i;
  static constexpr int kLanes = 8;
  static R Set1(std::uint32_t x) { return _mm256_set1_epi32(static_cast<int>(x)); }
  static R Add(R x, R y) { return _mm256_add_epi32(x, y); }
  template <int S>
  static R Rotl(R x) {
    return _mm256_or_si256(_mm256_slli_epi32(x, S), _mm256_srli_epi32(x, 32 - S));
  }
  static R F(R b, R c, R d) {
    return _mm256_xor_si256(d, _mm256_and_si256(b, _mm256_xor_si256(c, d)));
  }
  static R G(R b, R c, R d) {
    return _mm256_xor_si256(c, _mm256_and_si256(d, _mm256_xor_si256(b, c)));
  }
  static R H(R b, R c, R d) { return _mm256_xor_si256(_mm256_xor_si256(b, c), d); }
  static R I(R b, R c, R d) {
    return _mm256_xor_si256(c, _mm256_or_si256(b, _mm256_xor_si256(d, _mm256_set1_epi32(-1))));
  }
  static R Load(const std::uint32_t* p) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  }
  static void Store(std::uint32_t* p, R x) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), x);
  }
  static R LoadIndex(const std::int32_t* p) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  }
  static R Gather(R index, const std::uint8_t* base) {
    return _mm256_i32gather_epi32(reinterpret_cast<const int*>(base), index, 4);
  }
};
#include "citydip/ingest/gdelt/internal/md5_kernel.inc"
void Blocks(State& state, const std::uint8_t* base, const std::int32_t* words, std::size_t n) {
  Compress(state, base, words, n);
}
}  // namespace avx2
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx512f")
// GCC 12's own _mm512_rol_epi32 and _mm512_i32gather_epi32 start from _mm512_undefined_epi32(),
// which -Wmaybe-uninitialized reports (GCC bug 105593).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
namespace avx512 {
struct V {
  using R = __m512i;
  static constexpr int kLanes = 16;
  static R Set1(std::uint32_t x) { return _mm512_set1_epi32(static_cast<int>(x)); }
  static R Add(R x, R y) { return _mm512_add_epi32(x, y); }
  template <int S>
  static R Rotl(R x) {
    return _mm512_rol_epi32(x, S);
  }
  // Round functions as truth tables of (b, c, d) = (0xF0, 0xCC, 0xAA).
  static R F(R b, R c, R d) { return _mm512_ternarylogic_epi32(b, c, d, 0xCA); }
  static R G(R b, R c, R d) { return _mm512_ternarylogic_epi32(b, c, d, 0xE4); }
  static R H(R b, R c, R d) { return _mm512_ternarylogic_epi32(b, c, d, 0x96); }
  static R I(R b, R c, R d) { return _mm512_ternarylogic_epi32(b, c, d, 0x39); }
  static R Load(const std::uint32_t* p) { return _mm512_loadu_si512(p); }
  static void Store(std::uint32_t* p, R x) { _mm512_storeu_si512(p, x); }
  static R LoadIndex(const std::int32_t* p) { return _mm512_loadu_si512(p); }
  static R Gather(R index, const std::uint8_t* base) {
    return _mm512_i32gather_epi32(index, base, 4);
  }
};
#include "citydip/ingest/gdelt/internal/md5_kernel.inc"
void Blocks(State& state, const std::uint8_t* base, const std::int32_t* words, std::size_t n) {
  Compress(state, base, words, n);
}
}  // namespace avx512
#pragma GCC diagnostic pop
#pragma GCC pop_options
#endif

namespace {

std::string Hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * size);
  for (std::size_t i = 0; i < size; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 15];
  }
  return out;
}

Error ErrnoError(const std::string& what, int error, const std::string& path) {
  return Error{error == ENOENT ? ErrorCode::kNotFound : ErrorCode::kUnavailable,
               what + ": " + std::system_category().message(error), path};
}

// Opens `path` for hashing; fills size 0 and the modification time.
Result<int> OpenRegular(const std::string& path, FileDigest& digest) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Fail(ErrnoError("cannot open the file", errno, path));
  }
  struct stat info {};
  if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    close(fd);
    return Fail(ErrorCode::kInvalidArgument, "not a regular file", path);
  }
  digest.mtime_ns = static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000000000 +
                    static_cast<std::int64_t>(info.st_mtim.tv_nsec);
  return fd;
}

// Reads until `want` bytes or the end of the file; the byte count, or -errno.
ssize_t ReadFull(int fd, std::uint8_t* out, std::size_t want) {
  std::size_t have = 0;
  while (have < want) {
    const ssize_t got = read(fd, out + have, want - have);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got < 0) {
      return -errno;
    }
    if (got == 0) {
      break;
    }
    have += static_cast<std::size_t>(got);
  }
  return static_cast<ssize_t>(have);
}

Result<FileDigest> HashScalar(const std::string& path, std::atomic<std::uint64_t>* bytes_read) {
  FileDigest digest;
  auto fd = OpenRegular(path, digest);
  if (!fd) {
    return Fail(fd.error());
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                  &EVP_MD_CTX_free);
  EVP_DigestInit_ex(context.get(), EVP_md5(), nullptr);
  std::vector<std::uint8_t> buffer(std::size_t{1} << 20);
  while (true) {
    const ssize_t got = ReadFull(*fd, buffer.data(), buffer.size());
    if (got < 0) {
      close(*fd);
      return Fail(ErrnoError("cannot read the file", static_cast<int>(-got), path));
    }
    if (got == 0) {
      break;
    }
    EVP_DigestUpdate(context.get(), buffer.data(), static_cast<std::size_t>(got));
    digest.size += static_cast<std::uint64_t>(got);
    if (bytes_read != nullptr) {
      bytes_read->fetch_add(static_cast<std::uint64_t>(got), std::memory_order_relaxed);
    }
  }
  close(*fd);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(context.get(), out, &size);
  digest.md5 = Hex(out, size);
  return digest;
}

/// Hashes files through `lanes` lanes of `blocks`: each lane takes the next file when its own
/// ends, and all lanes advance together by as many blocks as every busy lane has read.
class LaneHasher {
 public:
  LaneHasher(const std::vector<std::string>& paths,
             int lanes,
             BlockFn blocks,
             std::atomic<std::uint64_t>* bytes_read,
             std::vector<Result<FileDigest>>& results)
      : paths_(paths),
        lanes_(static_cast<std::size_t>(lanes)),
        blocks_(blocks),
        bytes_read_(bytes_read),
        results_(results),
        arena_(lanes_.size() * kLaneBytes) {
    for (std::size_t i = 0; i < lanes_.size(); ++i) {
      lanes_[i].buffer = arena_.data() + i * kLaneBytes;
    }
  }

  void Run() {
    std::size_t busy = 0;
    for (std::size_t i = 0; i < lanes_.size(); ++i) {
      busy += Start(i) ? 1 : 0;
    }
    std::array<std::int32_t, kMd5MaxLanes> words{};
    while (busy > 0) {
      // Every busy lane gets blocks to hash (a lane whose file fails takes the next file).
      std::size_t ready = kLaneBytes / 64;
      for (std::size_t i = 0; i < lanes_.size(); ++i) {
        Lane& lane = lanes_[i];
        while (lane.busy && lane.next == lane.blocks) {
          if (!Refill(lane) && !Start(i)) {
            --busy;
          }
        }
        if (lane.busy) {
          ready = std::min(ready, lane.blocks - lane.next);
        }
      }
      if (busy == 0) {
        break;
      }
      for (std::size_t i = 0; i < lanes_.size(); ++i) {
        const Lane& lane = lanes_[i];
        // An idle lane hashes its own buffer again, unread: it stays inside the arena.
        const std::size_t offset = static_cast<std::size_t>(lane.buffer - arena_.data()) +
                                   (lane.busy ? lane.next * 64 : 0);
        words[i] = static_cast<std::int32_t>(offset / 4);
      }
      blocks_(state_, arena_.data(), words.data(), ready);
      for (std::size_t i = 0; i < lanes_.size(); ++i) {
        Lane& lane = lanes_[i];
        if (!lane.busy) {
          continue;
        }
        lane.next += ready;
        if (lane.next == lane.blocks && lane.last) {
          Finish(i);
          if (!Start(i)) {
            --busy;
          }
        }
      }
    }
  }

 private:
  struct Lane {
    bool busy = false;
    int fd = -1;
    std::size_t file = 0;
    FileDigest digest;
    std::size_t blocks = 0;  // blocks in the buffer
    std::size_t next = 0;    // the next one to hash
    bool last = false;       // the buffer ends with the padding
    std::uint8_t* buffer = nullptr;
  };

  // Gives lane i the next file that opens; false when none is left.
  bool Start(std::size_t i) {
    Lane& lane = lanes_[i];
    lane.busy = false;
    while (next_file_ < paths_.size()) {
      const std::size_t file = next_file_++;
      FileDigest digest;
      auto fd = OpenRegular(paths_[file], digest);
      if (!fd) {
        results_[file] = Fail(fd.error());
        continue;
      }
      lane.busy = true;
      lane.fd = *fd;
      lane.file = file;
      lane.digest = std::move(digest);
      lane.blocks = 0;
      lane.next = 0;
      lane.last = false;
      for (int w = 0; w < 4; ++w) {
        state_[w][i] = kInit[static_cast<std::size_t>(w)];
      }
      return true;
    }
    return false;
  }

  // Reads the lane's next chunk; at the end of the file, appends MD5's padding. False (with the
  // error recorded and the file closed) when reading fails.
  bool Refill(Lane& lane) {
    const ssize_t got = ReadFull(lane.fd, lane.buffer, kChunk);
    if (got < 0) {
      results_[lane.file] =
          Fail(ErrnoError("cannot read the file", static_cast<int>(-got), paths_[lane.file]));
      close(lane.fd);
      lane.busy = false;
      return false;
    }
    const auto n = static_cast<std::size_t>(got);
    lane.digest.size += n;
    if (bytes_read_ != nullptr) {
      bytes_read_->fetch_add(n, std::memory_order_relaxed);
    }
    lane.next = 0;
    if (n == kChunk) {
      lane.blocks = kChunk / 64;
      return true;
    }
    // The end: 0x80, zeros up to 56 mod 64, the length in bits (little-endian).
    const std::size_t padded = ((n + 8) / 64 + 1) * 64;
    lane.buffer[n] = 0x80;
    std::memset(lane.buffer + n + 1, 0, padded - 8 - (n + 1));
    const std::uint64_t bits = lane.digest.size * 8;
    for (int b = 0; b < 8; ++b) {
      lane.buffer[padded - 8 + static_cast<std::size_t>(b)] =
          static_cast<std::uint8_t>(bits >> (8 * b));
    }
    lane.blocks = padded / 64;
    lane.last = true;
    return true;
  }

  void Finish(std::size_t i) {
    Lane& lane = lanes_[i];
    close(lane.fd);
    std::array<unsigned char, 16> out{};
    for (std::size_t w = 0; w < 4; ++w) {
      for (std::size_t b = 0; b < 4; ++b) {
        out[4 * w + b] = static_cast<unsigned char>(state_[w][i] >> (8 * b));
      }
    }
    lane.digest.md5 = Hex(out.data(), out.size());
    results_[lane.file] = std::move(lane.digest);
    lane.busy = false;
  }

  const std::vector<std::string>& paths_;
  std::vector<Lane> lanes_;
  BlockFn blocks_;
  std::atomic<std::uint64_t>* bytes_read_;
  std::vector<Result<FileDigest>>& results_;
  std::vector<std::uint8_t> arena_;
  State state_{};
  std::size_t next_file_ = 0;
};

}  // namespace

bool Md5KernelSupported(Md5Kernel kernel) {
  switch (kernel) {
    case Md5Kernel::kAuto:
    case Md5Kernel::kScalar:
      return true;
#if defined(__x86_64__)
    case Md5Kernel::kAvx2:
      return __builtin_cpu_supports("avx2");
    case Md5Kernel::kAvx512:
      return __builtin_cpu_supports("avx512f");
#else
    case Md5Kernel::kAvx2:
    case Md5Kernel::kAvx512:
      return false;
#endif
  }
  return false;
}

std::vector<Result<FileDigest>> Md5OfFiles(const std::vector<std::string>& paths,
                                           Md5Kernel kernel,
                                           std::atomic<std::uint64_t>* bytes_read) {
  std::vector<Result<FileDigest>> results(paths.size(), FileDigest{});
  if (kernel == Md5Kernel::kAuto) {
    // One file gains nothing from lanes: OpenSSL's scalar code is the fastest single chain.
    kernel = paths.size() <= 1                        ? Md5Kernel::kScalar
             : Md5KernelSupported(Md5Kernel::kAvx512) ? Md5Kernel::kAvx512
             : Md5KernelSupported(Md5Kernel::kAvx2)   ? Md5Kernel::kAvx2
                                                      : Md5Kernel::kScalar;
  }
  if (!Md5KernelSupported(kernel)) {
    kernel = Md5Kernel::kScalar;
  }
#if defined(__x86_64__)
  if (kernel == Md5Kernel::kAvx512 || kernel == Md5Kernel::kAvx2) {
    const bool wide = kernel == Md5Kernel::kAvx512;
    LaneHasher hasher(paths, wide ? avx512::V::kLanes : avx2::V::kLanes,
                      wide ? &avx512::Blocks : &avx2::Blocks, bytes_read, results);
    hasher.Run();
    return results;
  }
#endif
  for (std::size_t i = 0; i < paths.size(); ++i) {
    results[i] = HashScalar(paths[i], bytes_read);
  }
  return results;
}

std::string Md5Hex(const void* data, std::size_t size) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int out_size = 0;
  EVP_Digest(data, size, out, &out_size, EVP_md5(), nullptr);
  return Hex(out, out_size);
}

}  // namespace citydip::ingest::gdelt::internal
