// Raw limits for bench/gdelt-vs-duckdb, measured in the same run as the engines:
//   gdelt_limits read FILE...                  read every file through one reused 1 MiB buffer
//                                              (page-cached read; one thread)
//   gdelt_limits inflate [--threads N] ZIP...  inflate each single-member zip whole with
//                                              libdeflate and check its CRC-32, one file per
//                                              thread (the inflate-only bound)
// Prints one line: "<mode> bytes=<uncompressed bytes> sec=<wall seconds> GB/s=<rate>".
#include <fcntl.h>
#include <libdeflate.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <sys/stat.h>

namespace {

std::uint32_t Read32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
std::uint16_t Read16(const unsigned char* p) {
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}

bool ReadAll(const char* path, std::vector<unsigned char>& out) {
  const int fd = open(path, O_RDONLY);
  if (fd < 0) {
    return false;
  }
  struct stat info {};
  fstat(fd, &info);
  out.resize(static_cast<std::size_t>(info.st_size));
  std::size_t got = 0;
  while (got < out.size()) {
    const ssize_t n = read(fd, out.data() + got, out.size() - got);
    if (n <= 0) {
      close(fd);
      return false;
    }
    got += static_cast<std::size_t>(n);
  }
  close(fd);
  return true;
}

// Inflates the single member of a zip held in `zip`; returns its size, or -1.
long long InflateZip(const std::vector<unsigned char>& zip,
                     libdeflate_decompressor* decompressor,
                     std::vector<unsigned char>& out) {
  const std::size_t n = zip.size();
  std::size_t eocd = 0;
  bool found = false;
  for (std::size_t i = n >= 22 ? n - 22 : 0; i + 65557 >= n; --i) {
    if (Read32(&zip[i]) == 0x06054b50) {
      eocd = i;
      found = true;
      break;
    }
    if (i == 0) {
      break;
    }
  }
  if (!found) {
    return -1;
  }
  const unsigned char* header = &zip[Read32(&zip[eocd + 16])];
  const std::uint32_t crc = Read32(header + 16);
  const std::size_t compressed = Read32(header + 20);
  const std::size_t size = Read32(header + 24);
  const unsigned char* local = &zip[Read32(header + 42)];
  const unsigned char* data = local + 30 + Read16(local + 26) + Read16(local + 28);
  out.resize(size);
  std::size_t actual = 0;
  if (libdeflate_deflate_decompress(decompressor, data, compressed, out.data(), size, &actual) !=
          LIBDEFLATE_SUCCESS ||
      actual != size || libdeflate_crc32(0, out.data(), size) != crc) {
    return -1;
  }
  return static_cast<long long>(size);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: gdelt_limits read FILE... | inflate [--threads N] ZIP...\n");
    return 2;
  }
  const std::string mode = argv[1];
  int first = 2;
  int threads = 1;
  if (mode == "inflate" && std::strcmp(argv[2], "--threads") == 0 && argc > 4) {
    threads = std::max(1, std::atoi(argv[3]));
    first = 4;
  }
  const auto start = std::chrono::steady_clock::now();
  std::atomic<long long> bytes{0};
  std::atomic<bool> failed{false};
  if (mode == "read") {
    std::vector<char> buffer(std::size_t{1} << 20);
    for (int i = first; i < argc; ++i) {
      const int fd = open(argv[i], O_RDONLY);
      if (fd < 0) {
        std::perror(argv[i]);
        return 1;
      }
      ssize_t n = 0;
      while ((n = read(fd, buffer.data(), buffer.size())) > 0) {
        bytes += n;
      }
      close(fd);
    }
  } else if (mode == "inflate") {
    std::atomic<int> next{first};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&] {
        libdeflate_decompressor* decompressor = libdeflate_alloc_decompressor();
        std::vector<unsigned char> zip;
        std::vector<unsigned char> out;
        for (int i = next++; i < argc; i = next++) {
          long long size = ReadAll(argv[i], zip) ? InflateZip(zip, decompressor, out) : -1;
          if (size < 0) {
            std::fprintf(stderr, "%s: cannot inflate\n", argv[i]);
            failed = true;
            size = 0;
          }
          bytes += size;
        }
        libdeflate_free_decompressor(decompressor);
      });
    }
    for (auto& worker : workers) {
      worker.join();
    }
  } else {
    std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
    return 2;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s bytes=%lld sec=%.3f GB/s=%.3f threads=%d\n", mode.c_str(), bytes.load(), seconds,
              static_cast<double>(bytes.load()) / seconds / 1e9, threads);
  return failed ? 1 : 0;
}
