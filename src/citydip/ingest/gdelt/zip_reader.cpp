#include "citydip/ingest/gdelt/zip_reader.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>

namespace citydip::ingest::gdelt {
namespace {

constexpr std::uint32_t kEndOfCentralDirectory = 0x06054b50;
constexpr std::uint32_t kCentralFileHeader = 0x02014b50;
constexpr std::uint32_t kLocalFileHeader = 0x04034b50;
constexpr std::size_t kEocdSize = 22;
constexpr std::size_t kMaxComment = 65535;

std::uint16_t Read16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
std::uint32_t Read32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

// Reads exactly `size` bytes at `offset`; false on a short read or error.
bool ReadAt(int fd, std::uint8_t* out, std::size_t size, std::uint64_t offset) {
  while (size > 0) {
    const ssize_t got = pread(fd, out, size, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got <= 0) {
      return false;
    }
    out += got;
    size -= static_cast<std::size_t>(got);
    offset += static_cast<std::uint64_t>(got);
  }
  return true;
}

}  // namespace

bool LooksLikeZip(std::string_view head) {
  return head.size() >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
}

Result<ZipMember> ReadSingleMember(int fd, std::uint64_t file_size, const std::string& path) {
  const auto corrupt = [&](const std::string& message) {
    return Fail(ErrorCode::kInvalidData, message, path);
  };
  if (file_size < kEocdSize) {
    return corrupt("truncated or not a zip file (" + std::to_string(file_size) +
                   " bytes; expected an end-of-central-directory record)");
  }
  const std::size_t tail_size =
      static_cast<std::size_t>(std::min<std::uint64_t>(file_size, kEocdSize + kMaxComment));
  std::vector<std::uint8_t> tail(tail_size);
  const std::uint64_t tail_offset = file_size - tail_size;
  if (!ReadAt(fd, tail.data(), tail_size, tail_offset)) {
    return Fail(ErrorCode::kUnavailable, "cannot read the end of the zip file", path);
  }
  std::size_t eocd = std::string::npos;
  for (std::size_t i = tail_size - kEocdSize + 1; i-- > 0;) {
    if (Read32(&tail[i]) == kEndOfCentralDirectory) {
      eocd = i;
      break;
    }
  }
  if (eocd == std::string::npos) {
    return corrupt(
        "truncated or not a zip file (no end-of-central-directory record; expected a complete "
        ".zip)");
  }
  const std::uint8_t* end_record = &tail[eocd];
  const std::uint16_t entries = Read16(end_record + 10);
  const std::uint32_t directory_size = Read32(end_record + 12);
  const std::uint32_t directory_offset = Read32(end_record + 16);
  if (entries == 0xFFFF || directory_offset == 0xFFFFFFFFU) {
    return corrupt("zip64 archives are not supported (expected a GDELT .zip under 4 GB)");
  }
  if (entries != 1) {
    return corrupt("the zip holds " + std::to_string(entries) +
                   " members (expected exactly one .CSV)");
  }
  const std::uint64_t eocd_offset = tail_offset + eocd;
  if (std::uint64_t{directory_offset} + directory_size > eocd_offset || directory_size < 46) {
    return corrupt("corrupt zip: the central directory lies outside the file");
  }
  std::vector<std::uint8_t> directory(directory_size);
  if (!ReadAt(fd, directory.data(), directory_size, directory_offset)) {
    return Fail(ErrorCode::kUnavailable, "cannot read the zip's central directory", path);
  }
  const std::uint8_t* header = directory.data();
  if (Read32(header) != kCentralFileHeader) {
    return corrupt("corrupt zip: bad central directory signature");
  }
  ZipMember member;
  member.method = Read16(header + 10);
  member.crc32 = Read32(header + 16);
  member.compressed_size = Read32(header + 20);
  member.uncompressed_size = Read32(header + 24);
  const std::uint16_t name_length = Read16(header + 28);
  const std::uint32_t local_offset = Read32(header + 42);
  if (member.compressed_size == 0xFFFFFFFFU || member.uncompressed_size == 0xFFFFFFFFU ||
      local_offset == 0xFFFFFFFFU) {
    return corrupt("zip64 members are not supported (expected a GDELT .zip under 4 GB)");
  }
  if (46U + name_length > directory_size) {
    return corrupt("corrupt zip: the member name runs past the central directory");
  }
  member.name.assign(reinterpret_cast<const char*>(header + 46), name_length);
  if (member.method != 8 && member.method != 0) {
    return corrupt("unsupported zip compression method " + std::to_string(member.method) +
                   " (expected deflate or stored)");
  }
  std::uint8_t local[30];
  if (std::uint64_t{local_offset} + sizeof(local) > file_size ||
      !ReadAt(fd, local, sizeof(local), local_offset) || Read32(local) != kLocalFileHeader) {
    return corrupt("corrupt zip: no local file header at offset " + std::to_string(local_offset));
  }
  member.data_offset = std::uint64_t{local_offset} + 30 + Read16(local + 26) + Read16(local + 28);
  if (member.data_offset + member.compressed_size > directory_offset) {
    return corrupt("corrupt zip: the member's data runs past the central directory");
  }
  return member;
}

struct Inflater::State {
  inflate_state stream;
};

Inflater::Inflater() : state_(std::make_unique<State>()) {
  Reset();
}
Inflater::~Inflater() = default;

void Inflater::Reset() {
  isal_inflate_init(&state_->stream);
  state_->stream.crc_flag = ISAL_GZIP_NO_HDR;  // raw deflate, CRC-32 of the output tracked
  state_->stream.next_in = nullptr;
  state_->stream.avail_in = 0;
}

void Inflater::Feed(const std::uint8_t* data, std::size_t size) {
  state_->stream.next_in = const_cast<std::uint8_t*>(data);  // ISA-L does not write input
  state_->stream.avail_in = static_cast<std::uint32_t>(size);
}

bool Inflater::NeedsInput() const {
  return state_->stream.avail_in == 0;
}

Result<std::size_t> Inflater::Inflate(std::uint8_t* out, std::size_t capacity) {
  inflate_state& stream = state_->stream;
  stream.next_out = out;
  stream.avail_out = static_cast<std::uint32_t>(capacity);
  const int rc = isal_inflate(&stream);
  if (rc < 0) {
    return Fail(ErrorCode::kInvalidData,
                "corrupt zip: invalid deflate data (ISA-L error " + std::to_string(rc) + ")");
  }
  return capacity - stream.avail_out;
}

bool Inflater::Finished() const {
  return state_->stream.block_state == ISAL_BLOCK_FINISH;
}

std::uint32_t Inflater::Crc32() const {
  return state_->stream.crc;
}

std::uint32_t Crc32(std::uint32_t crc, const std::uint8_t* data, std::size_t size) {
  return crc32_gzip_refl(crc, data, size);
}

}  // namespace citydip::ingest::gdelt
