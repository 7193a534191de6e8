// Reading GDELT's .zip files: one member, deflated (or stored), inflated in a stream with ISA-L
// into the caller's buffer so that memory stays bounded whatever the member's size. The CRC-32
// of the output is checked against the central directory, so corruption that inflate cannot see
// is still caught.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "citydip/core/result.h"

namespace citydip::ingest::gdelt {

/// The member of a single-member zip file, from its central directory and local header.
struct ZipMember {
  std::string name;
  std::uint16_t method = 0;  // 8 deflate, 0 stored
  std::uint32_t crc32 = 0;
  std::uint64_t compressed_size = 0;
  std::uint64_t uncompressed_size = 0;
  std::uint64_t data_offset = 0;  // where the compressed bytes start in the file
};

/// True when `head` starts with a zip local file header signature ("PK\3\4").
[[nodiscard]] bool LooksLikeZip(std::string_view head);

/// Reads the directory of the zip file open as `fd` (`file_size` bytes). Fails with kInvalidData
/// naming `path` when the file is truncated or not a zip, holds more or fewer than one member,
/// uses zip64 or a method other than deflate or stored, or its offsets point outside the file.
[[nodiscard]] Result<ZipMember> ReadSingleMember(int fd,
                                                 std::uint64_t file_size,
                                                 const std::string& path);

/// A streaming raw-deflate decoder (ISA-L igzip) that also computes the CRC-32 of its output.
class Inflater {
 public:
  Inflater();
  ~Inflater();
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  /// Starts a new stream.
  void Reset();
  /// Gives the decoder more compressed bytes; they must stay valid until consumed.
  void Feed(const std::uint8_t* data, std::size_t size);
  /// True when the fed bytes have all been consumed.
  [[nodiscard]] bool NeedsInput() const;
  /// Decodes into [out, out + capacity) and returns the bytes written. Fails with kInvalidData
  /// on a corrupt stream.
  [[nodiscard]] Result<std::size_t> Inflate(std::uint8_t* out, std::size_t capacity);
  /// True once the final deflate block has been decoded.
  [[nodiscard]] bool Finished() const;
  /// CRC-32 of everything decoded so far (valid when Finished()).
  [[nodiscard]] std::uint32_t Crc32() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// CRC-32 (the zip/gzip polynomial) of `size` bytes, continuing from `crc`.
[[nodiscard]] std::uint32_t Crc32(std::uint32_t crc, const std::uint8_t* data, std::size_t size);

}  // namespace citydip::ingest::gdelt
