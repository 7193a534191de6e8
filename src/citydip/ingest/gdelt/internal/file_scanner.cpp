#include "citydip/ingest/gdelt/internal/file_scanner.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <string>
#include <system_error>

#include <sys/stat.h>

#include "citydip/core/text.h"
#include "citydip/ingest/gdelt/internal/mapped_window.h"
#include "citydip/ingest/gdelt/zip_reader.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace citydip::ingest::gdelt::internal {
namespace {

// ---- the splitter's types ---------------------------------------------------------------------

constexpr std::uint32_t kMaxTracked = 64;  // tab positions stored per row (the rest are counted)
constexpr std::size_t kScanPadding = 64;   // readable bytes the splitter needs after the data
constexpr std::size_t kMaxLine = std::size_t{1} << 20;  // longer lines are bad rows

struct BlockMasks {
  std::uint64_t tab;
  std::uint64_t newline;
  std::uint64_t high;
};

/// One line: [row, end) without its '\n'; seps[i] is the offset (from base) of the i-th tab.
struct RowView {
  const char* row;
  const char* end;
  const char* base;
  const std::uint32_t* seps;
  std::uint32_t tabs;
  bool high;
};

}  // namespace

// ---- one splitter per instruction set -----------------------------------------------------------

namespace generic {
#if defined(__x86_64__)
inline BlockMasks Classify(const char* p) {
  BlockMasks masks{0, 0, 0};
  const __m128i tab = _mm_set1_epi8('\t');
  const __m128i newline = _mm_set1_epi8('\n');
  for (int i = 0; i < 4; ++i) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    const int shift = 16 * i;
    masks.tab |=
        std::uint64_t{static_cast<std::uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, tab)))}
        << shift;
    masks.newline |=
        std::uint64_t{static_cast<std::uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, newline)))}
        << shift;
    masks.high |= std::uint64_t{static_cast<std::uint16_t>(_mm_movemask_epi8(v))} << shift;
  }
  return masks;
}
#else
inline BlockMasks Classify(const char* p) {
  BlockMasks masks{0, 0, 0};
  for (int i = 0; i < 64; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    masks.tab |= std::uint64_t{c == '\t'} << i;
    masks.newline |= std::uint64_t{c == '\n'} << i;
    masks.high |= std::uint64_t{c >= 0x80} << i;
  }
  return masks;
}
#endif
inline std::uint64_t Tz(std::uint64_t x) {
  return x == 0 ? 64 : static_cast<std::uint64_t>(__builtin_ctzll(x));
}
#include "citydip/ingest/gdelt/internal/scan_kernel.inc"
}  // namespace generic

#if defined(__x86_64__)
#pragma GCC push_options
#pragma GCC target("avx2,bmi,bmi2,popcnt,lzcnt")
namespace avx2 {
inline BlockMasks Classify(const char* p) {
  const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
  const __m256i tab = _mm256_set1_epi8('\t');
  const __m256i newline = _mm256_set1_epi8('\n');
  const std::uint64_t tab_lo =
      static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, tab)));
  const std::uint64_t tab_hi =
      static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, tab)));
  const std::uint64_t nl_lo =
      static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, newline)));
  const std::uint64_t nl_hi =
      static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, newline)));
  const std::uint64_t high_lo = static_cast<std::uint32_t>(_mm256_movemask_epi8(a));
  const std::uint64_t high_hi = static_cast<std::uint32_t>(_mm256_movemask_epi8(b));
  return BlockMasks{tab_lo | (tab_hi << 32), nl_lo | (nl_hi << 32), high_lo | (high_hi << 32)};
}
inline std::uint64_t Tz(std::uint64_t x) {
  return _tzcnt_u64(x);
}
#include "citydip/ingest/gdelt/internal/scan_kernel.inc"
}  // namespace avx2
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx512f,avx512bw,avx512vbmi2,bmi,bmi2,popcnt,lzcnt")
// GCC 12's AVX-512 intrinsics start from _mm512_undefined_*(), which -Wmaybe-uninitialized
// reports (GCC bug 105593).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
namespace avx512 {
inline BlockMasks Classify(const char* p) {
  const __m512i v = _mm512_loadu_si512(p);
  return BlockMasks{_mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\t')),
                    _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\n')), _mm512_movepi8_mask(v)};
}
inline std::uint64_t Tz(std::uint64_t x) {
  return _tzcnt_u64(x);
}
// The positions of the set bits, 16 at a time: VBMI2's byte compress packs the indices of the
// set bits of the block, which are widened to 32 bits and offset by the block's base.
inline void StorePositions(std::uint32_t* out,
                           std::uint64_t bits,
                           std::uint32_t base,
                           std::uint32_t count) {
  const __m512i iota = _mm512_set_epi8(
      63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41,
      40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18,
      17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
  const __m512i packed = _mm512_maskz_compress_epi8(bits, iota);
  const __m512i offset = _mm512_set1_epi32(static_cast<int>(base));
  _mm512_storeu_si512(
      out, _mm512_add_epi32(_mm512_cvtepu8_epi32(_mm512_castsi512_si128(packed)), offset));
  if (count > 16) {
    for (int part = 1; part < 4 && static_cast<std::uint32_t>(16 * part) < count; ++part) {
      __m128i bytes;
      switch (part) {
        case 1:
          bytes = _mm512_extracti32x4_epi32(packed, 1);
          break;
        case 2:
          bytes = _mm512_extracti32x4_epi32(packed, 2);
          break;
        default:
          bytes = _mm512_extracti32x4_epi32(packed, 3);
          break;
      }
      _mm512_storeu_si512(out + 16 * part, _mm512_add_epi32(_mm512_cvtepu8_epi32(bytes), offset));
    }
  }
}
#define CITYDIP_SCAN_OWN_STORE_POSITIONS
#include "citydip/ingest/gdelt/internal/scan_kernel.inc"
#undef CITYDIP_SCAN_OWN_STORE_POSITIONS
}  // namespace avx512
#pragma GCC diagnostic pop
#pragma GCC pop_options
#endif

namespace {

// The splitter this run uses: the one asked for when the CPU has it, else the widest it has.
ScanKernel ResolveKernel(ScanKernel wanted) {
  if (wanted != ScanKernel::kAuto) {
    return ScanKernelSupported(wanted) ? wanted : ScanKernel::kGeneric;
  }
  if (ScanKernelSupported(ScanKernel::kAvx512)) {
    return ScanKernel::kAvx512;
  }
  return ScanKernelSupported(ScanKernel::kAvx2) ? ScanKernel::kAvx2 : ScanKernel::kGeneric;
}

template <typename Handler>
void SplitRows(const char* data,
               std::size_t size,
               Handler& handler,
               std::uint32_t tracked,
               ScanKernel kernel) {
#if defined(__x86_64__)
  switch (kernel) {
    case ScanKernel::kAvx512:
      avx512::ScanRows(data, size, handler, tracked);
      return;
    case ScanKernel::kAvx2:
      avx2::ScanRows(data, size, handler, tracked);
      return;
    default:
      break;
  }
#endif
  generic::ScanRows(data, size, handler, tracked);
}

// ---- field parsing ------------------------------------------------------------------------------

struct Field {
  const char* begin;
  const char* end;

  [[nodiscard]] bool empty() const { return begin == end; }
  [[nodiscard]] std::size_t size() const { return static_cast<std::size_t>(end - begin); }
  [[nodiscard]] std::string_view view() const { return {begin, size()}; }
};

[[gnu::always_inline]] inline Field FieldAt(const RowView& row, std::uint32_t index) {
  const char* begin = index == 0 ? row.row : row.base + row.seps[index - 1] + 1;
  const char* end = index < row.tabs ? row.base + row.seps[index] : row.end;
  return {begin, end};
}

enum class NumberStatus : std::uint8_t { kOk, kNotNumber, kOutOfRange };

// The value of `count` (0..8) ASCII digits at `p`, eight at a time (SWAR); false when one of
// them is not a digit. Reads 8 bytes at p: the splitter's padding keeps that inside the buffer.
[[gnu::always_inline]] inline bool Digits8(const char* p, std::size_t count, std::uint64_t& out) {
  if (count == 0) {
    out = 0;
    return true;
  }
  std::uint64_t raw;
  std::memcpy(&raw, p, sizeof(raw));
  if (count < 8) {
    // Keep the first `count` bytes as the low-order digits; pad with leading '0's.
    raw = (raw << (8 * (8 - count))) | (0x3030303030303030ULL >> (8 * count));
  }
  if ((raw & 0xF0F0F0F0F0F0F0F0ULL) != 0x3030303030303030ULL ||
      ((raw + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) != 0x3030303030303030ULL) {
    return false;
  }
  raw -= 0x3030303030303030ULL;
  raw = raw * 10 + (raw >> 8);
  raw = (((raw & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
         (((raw >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >>
        32;
  out = raw;
  return true;
}

constexpr std::uint64_t kPow10Int[] = {1ULL,
                                       10ULL,
                                       100ULL,
                                       1000ULL,
                                       10000ULL,
                                       100000ULL,
                                       1000000ULL,
                                       10000000ULL,
                                       100000000ULL,
                                       1000000000ULL,
                                       10000000000ULL,
                                       100000000000ULL,
                                       1000000000000ULL,
                                       10000000000000ULL,
                                       100000000000000ULL,
                                       1000000000000000ULL,
                                       10000000000000000ULL,
                                       100000000000000000ULL,
                                       1000000000000000000ULL};

// Up to 18 digits at p; false when one is not a digit.
[[gnu::always_inline]] inline bool Digits(const char* p, std::size_t count, std::uint64_t& out) {
  if (count <= 8) {
    return Digits8(p, count, out);
  }
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  const std::size_t first = count - 8;
  if (first > 8) {
    std::uint64_t top = 0;
    if (!Digits8(p, first - 8, top) || !Digits8(p + first - 8, 8, high)) {
      return false;
    }
    high += top * 100000000ULL;
  } else if (!Digits8(p, first, high)) {
    return false;
  }
  if (!Digits8(p + first, 8, low)) {
    return false;
  }
  out = high * 100000000ULL + low;
  return true;
}

[[gnu::always_inline]] inline NumberStatus ParseUnsigned(Field field, std::uint64_t& out) {
  if (field.empty() || field.size() > 18 || !Digits(field.begin, field.size(), out)) {
    return NumberStatus::kNotNumber;
  }
  return NumberStatus::kOk;
}

// NumMentions, NumSources and NumArticles above this are out of range (real values stay below a
// million): summed over at most 2^32 rows of a batch, counts this size cannot overflow 64 bits.
constexpr std::uint64_t kMaxCount = 0x7FFFFFFF;
constexpr std::string_view kCountExpected = "a count up to 2147483647";

[[gnu::always_inline]] inline NumberStatus ParseCount(Field field, std::uint64_t& out) {
  const NumberStatus status = ParseUnsigned(field, out);
  return status == NumberStatus::kOk && out > kMaxCount ? NumberStatus::kOutOfRange : status;
}

constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

[[gnu::noinline]] bool ParseDoubleSlow(Field field, double& out) {
  const char* begin = field.begin;
  if (begin < field.end && *begin == '+') {
    ++begin;
  }
  double value = 0;
  const auto [ptr, ec] = std::from_chars(begin, field.end, value, std::chars_format::general);
  if (ec != std::errc() || ptr != field.end || field.empty()) {
    return false;
  }
  if (value != value || value > 1e308 || value < -1e308) {  // NaN or infinite
    return false;
  }
  out = value;
  return true;
}

// [-+]digits[.digits] with at most 18 digits and a mantissa up to 2^53 is exact: one correctly
// rounded division of two exactly represented doubles, as strtod would give. Anything else
// (exponents, longer mantissas) goes through from_chars.
[[gnu::always_inline]] inline bool ParseDouble(Field field, double& out) {
  const char* p = field.begin;
  const char* end = field.end;
  bool negative = false;
  if (p < end && (*p == '-' || *p == '+')) {
    negative = *p == '-';
    ++p;
  }
  const char* integer_begin = p;
  std::uint64_t integer = 0;
  while (p < end && static_cast<unsigned>(*p - '0') <= 9) {
    integer = integer * 10 + static_cast<unsigned>(*p - '0');
    ++p;
  }
  const auto integer_digits = static_cast<std::size_t>(p - integer_begin);
  std::size_t decimals = 0;
  std::uint64_t fraction = 0;
  if (p < end && *p == '.') {
    ++p;
    decimals = static_cast<std::size_t>(end - p);
    if (decimals > 18 || !Digits(p, decimals, fraction)) {
      return ParseDoubleSlow(field, out);
    }
    p = end;
  }
  const std::size_t digits = integer_digits + decimals;
  if (p != end || digits == 0 || digits > 18) {
    return ParseDoubleSlow(field, out);
  }
  const std::uint64_t mantissa = integer * kPow10Int[decimals] + fraction;
  if (mantissa > (std::uint64_t{1} << 53)) {
    return ParseDoubleSlow(field, out);
  }
  const double value = static_cast<double>(mantissa) / kPow10[decimals];
  out = negative ? -value : value;
  return true;
}

// YYYYMMDD (the first 8 characters of `field`, which must have exactly `length` digits).
[[gnu::always_inline]] inline NumberStatus ParseDate(
    Field field, std::size_t length, int& year, int& month, int& day) {
  std::uint64_t value = 0;
  if (field.size() != length || !Digits(field.begin, length, value)) {
    return NumberStatus::kNotNumber;
  }
  const std::uint64_t date = length > 8 ? value / kPow10Int[length - 8] : value;
  year = static_cast<int>(date / 10000);
  month = static_cast<int>(date / 100 % 100);
  day = static_cast<int>(date % 100);
  if (year < 1800 || year > 2199 || month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(year, month)) {
    return NumberStatus::kOutOfRange;
  }
  return NumberStatus::kOk;
}

// Shows a cell in a message: at most 40 characters, control bytes escaped.
std::string Shown(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size() && i < 40; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (text.size() > 40) {
    out += "...";
  }
  return out;
}

// ---- per-file state -----------------------------------------------------------------------------

/// What the row handlers of one file share.
struct FileContext {
  const ScanConfig* config = nullptr;
  FileAggregates* out = nullptr;
  FileReport* report = nullptr;
  std::uint64_t line = 0;  // lines seen so far
  std::uint64_t good = 0;
  std::array<std::uint64_t, kBadRowReasons> bad{};
  std::array<std::size_t, kBadRowReasons> examples{};
  // The last period's totals entry: rows of a file mostly share a few periods.
  bool too_many_groups = false;
  std::size_t group_check = 0;  // CheckGroups() once the pair tables hold more groups than this
  std::int32_t memo_period = 0;
  std::uint32_t memo_index = 0;
  bool memo_valid = false;
  // The last SQLDATE (packed) and its period: rows of a file mostly share a few dates.
  std::int32_t memo_date = -1;
  std::int32_t memo_date_period = 0;

  void Reset(const ScanConfig& scan_config, FileAggregates& aggregates, FileReport& file_report) {
    config = &scan_config;
    out = &aggregates;
    report = &file_report;
    line = 0;
    good = 0;
    too_many_groups = false;
    group_check = config->permits != nullptr && !out->permit.held()
                      ? std::min(config->big_groups, config->max_file_groups)
                      : config->max_file_groups;
    bad.fill(0);
    examples.fill(0);
    memo_valid = false;
    memo_date = -1;
  }

  [[nodiscard]] std::uint64_t bad_total() const {
    std::uint64_t total = 0;
    for (auto count : bad) {
      total += count;
    }
    return total;
  }

  bool WantsExample(BadRowReason reason) const {
    return examples[static_cast<std::size_t>(reason)] < config->examples_per_reason;
  }

  // True (and the row counted bad) when the row is kMaxLine bytes or more: as the buffer does
  // when it gets such a line, for the lines of mapped files, which are scanned in place.
  bool TooLong(const RowView& row) {
    if (static_cast<std::size_t>(row.end - row.row) < kMaxLine) [[likely]] {
      return false;
    }
    LongLine();
    return true;
  }

  // A line of kMaxLine bytes or more (counted by the caller) is a bad row, whatever it holds.
  [[gnu::cold]] void LongLine() {
    AddBad(BadRowReason::kColumnCount, 0,
           "line longer than " + std::to_string(kMaxLine) + " bytes (expected a GDELT row)");
  }

  [[gnu::cold]] void AddBad(BadRowReason reason, int column, std::string message) {
    const auto index = static_cast<std::size_t>(reason);
    ++bad[index];
    if (examples[index] < config->examples_per_reason) {
      ++examples[index];
      report->examples.push_back(
          BadRowExample{report->path, line, column, reason, std::move(message)});
    }
  }

  [[gnu::cold]] void BadColumns(std::uint32_t columns, FileKind kind) {
    if (!WantsExample(BadRowReason::kColumnCount)) {
      ++bad[static_cast<std::size_t>(BadRowReason::kColumnCount)];
      return;
    }
    AddBad(BadRowReason::kColumnCount, 0,
           "found " + std::to_string(columns) + " tab-separated columns (expected " +
               std::string(ExpectedColumns(kind)) + " for a " + std::string(FileKindName(kind)) +
               " file)");
  }

  [[gnu::cold]] void BadNumber(NumberStatus status,
                               std::uint32_t column,
                               std::string_view name,
                               Field field,
                               std::string_view expected) {
    const BadRowReason reason =
        status == NumberStatus::kOutOfRange ? BadRowReason::kOutOfRange : BadRowReason::kNonNumeric;
    if (!WantsExample(reason)) {
      ++bad[static_cast<std::size_t>(reason)];
      return;
    }
    std::string message =
        "column " + std::to_string(column + 1) + " (" + std::string(name) + "): '" +
        Shown(field.view()) + "' " +
        (status == NumberStatus::kOutOfRange ? "is out of range" : "is not a number") +
        " (expected " + std::string(expected) + ")";
    AddBad(reason, static_cast<int>(column) + 1, std::move(message));
  }

  // Checks a row with bytes >= 0x80; false (and counted) when it is not UTF-8.
  [[gnu::cold]] bool Utf8Ok(const RowView& row) {
    const std::string_view text(row.row, static_cast<std::size_t>(row.end - row.row));
    const auto invalid = FindInvalidUtf8(text);
    if (!invalid) {
      return true;
    }
    const auto column =
        static_cast<int>(
            std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(*invalid), '\t')) +
        1;
    AddBad(BadRowReason::kInvalidUtf8, column,
           "column " + std::to_string(column) + ": invalid UTF-8 at byte " +
               std::to_string(*invalid + 1) + " of the row (expected UTF-8 text)");
    return false;
  }

  // The pair tables passed group_check: past max_file_groups the file fails; past big_groups it
  // waits for a permit to grow further.
  [[gnu::cold]] void CheckGroups() {
    const std::size_t groups = out->pair_groups();
    if (groups > config->max_file_groups) {
      too_many_groups = true;
      group_check = SIZE_MAX;
      return;
    }
    if (config->permits != nullptr && !out->permit.held()) {
      out->permit.Take(*config->permits);
    }
    group_check = config->max_file_groups;
  }

  std::int32_t PeriodOf(int year, int month, int day) {
    const std::int32_t date = (year * 16 + month) * 32 + day;
    if (date != memo_date) {
      memo_date = date;
      memo_date_period = PeriodStart(config->period, year, month, day);
    }
    return memo_date_period;
  }

  PeriodTotals& TotalsFor(std::int32_t period) {
    if (!memo_valid || memo_period != period) {
      memo_index = out->totals.IndexOf(period);
      memo_period = period;
      memo_valid = true;
    }
    return out->totals.At(memo_index);
  }
};

/// The values of one event row that the barometer adds up.
struct EventValues {
  double goldstein;
  double tone;
  std::uint64_t mentions;
  std::uint64_t sources;
  std::uint64_t articles;
  std::uint32_t quad;  // 1..4
  std::uint32_t root;  // 1..20
  bool is_root;
};

inline void AddEvent(PairSums& stats, const EventValues& v) {
  ++stats.events;
  stats.root_events += v.is_root ? 1 : 0;
  stats.goldstein_sum += v.goldstein;
  stats.goldstein_mentions_sum += v.goldstein * static_cast<double>(v.mentions);
  stats.tone_sum += v.tone;
  stats.mentions += static_cast<std::int64_t>(v.mentions);
  stats.sources += static_cast<std::int64_t>(v.sources);
  stats.articles += static_cast<std::int64_t>(v.articles);
  ++stats.quad[v.quad - 1];
  ++stats.root[v.root - 1];
}

template <const EventLayout& L, FileKind kKind>
class EventHandler {
 public:
  explicit EventHandler(FileContext& context) : ctx_(context) {}

  static constexpr std::uint32_t kTracked = static_cast<std::uint32_t>(L.last_used) + 1;

  /// The tab positions a row needs: the geography columns only when cities are matched.
  [[nodiscard]] std::uint32_t Tracked() const {
    const CityDictionary* cities = ctx_.config->cities;
    return cities != nullptr && !cities->empty() ? kTracked
                                                 : static_cast<std::uint32_t>(L.avg_tone) + 1;
  }

  void OnRow(const RowView& row) {
    ++ctx_.line;
    if (ctx_.TooLong(row)) [[unlikely]] {
      return;
    }
    const std::uint32_t columns = row.tabs + 1;
    const bool columns_ok =
        kKind == FileKind::kEventsV1 ? (columns == 57 || columns == 58) : columns == 61;
    if (!columns_ok) [[unlikely]] {
      ctx_.BadColumns(columns, kKind);
      return;
    }
    if (row.high && !ctx_.Utf8Ok(row)) [[unlikely]] {
      return;
    }
    int year = 0;
    int month = 0;
    int day = 0;
    const Field date = FieldAt(row, L.sql_date);
    if (const auto status = ParseDate(date, 8, year, month, day); status != NumberStatus::kOk)
        [[unlikely]] {
      ctx_.BadNumber(status, L.sql_date, "SQLDATE", date, "a YYYYMMDD date");
      return;
    }
    EventValues v{};
    std::uint64_t number = 0;
    // IsRootEvent
    const Field root_flag = FieldAt(row, L.is_root_event);
    if (const auto status = ParseUnsigned(root_flag, number);
        status != NumberStatus::kOk || number > 1) [[unlikely]] {
      ctx_.BadNumber(status == NumberStatus::kOk ? NumberStatus::kOutOfRange : status,
                     L.is_root_event, "IsRootEvent", root_flag, "0 or 1");
      return;
    }
    v.is_root = number == 1;
    const Field root_code = FieldAt(row, L.event_root_code);
    if (const auto status = ParseUnsigned(root_code, number);
        status != NumberStatus::kOk || number < 1 || number > 20) [[unlikely]] {
      ctx_.BadNumber(status == NumberStatus::kOk ? NumberStatus::kOutOfRange : status,
                     L.event_root_code, "EventRootCode", root_code, "a CAMEO root code 01 to 20");
      return;
    }
    v.root = static_cast<std::uint32_t>(number);
    const Field quad = FieldAt(row, L.quad_class);
    if (const auto status = ParseUnsigned(quad, number);
        status != NumberStatus::kOk || number < 1 || number > 4) [[unlikely]] {
      ctx_.BadNumber(status == NumberStatus::kOk ? NumberStatus::kOutOfRange : status, L.quad_class,
                     "QuadClass", quad, "1 to 4");
      return;
    }
    v.quad = static_cast<std::uint32_t>(number);
    const Field goldstein = FieldAt(row, L.goldstein);
    if (!ParseDouble(goldstein, v.goldstein)) [[unlikely]] {
      ctx_.BadNumber(NumberStatus::kNotNumber, L.goldstein, "GoldsteinScale", goldstein,
                     "a number from -10 to 10");
      return;
    }
    if (v.goldstein < -10.0 || v.goldstein > 10.0) [[unlikely]] {
      ctx_.BadNumber(NumberStatus::kOutOfRange, L.goldstein, "GoldsteinScale", goldstein,
                     "a number from -10 to 10");
      return;
    }
    const Field mentions = FieldAt(row, L.num_mentions);
    if (const auto status = ParseCount(mentions, v.mentions); status != NumberStatus::kOk)
        [[unlikely]] {
      ctx_.BadNumber(status, L.num_mentions, "NumMentions", mentions, kCountExpected);
      return;
    }
    const Field sources = FieldAt(row, L.num_sources);
    if (const auto status = ParseCount(sources, v.sources); status != NumberStatus::kOk)
        [[unlikely]] {
      ctx_.BadNumber(status, L.num_sources, "NumSources", sources, kCountExpected);
      return;
    }
    const Field articles = FieldAt(row, L.num_articles);
    if (const auto status = ParseCount(articles, v.articles); status != NumberStatus::kOk)
        [[unlikely]] {
      ctx_.BadNumber(status, L.num_articles, "NumArticles", articles, kCountExpected);
      return;
    }
    const Field tone = FieldAt(row, L.avg_tone);
    if (!ParseDouble(tone, v.tone)) [[unlikely]] {
      ctx_.BadNumber(NumberStatus::kNotNumber, L.avg_tone, "AvgTone", tone,
                     "a number from -100 to 100");
      return;
    }
    if (v.tone < -100.0 || v.tone > 100.0) [[unlikely]] {
      ctx_.BadNumber(NumberStatus::kOutOfRange, L.avg_tone, "AvgTone", tone,
                     "a number from -100 to 100");
      return;
    }
    const Field country1 = FieldAt(row, L.actor1_country);
    const Field country2 = FieldAt(row, L.actor2_country);
    if (country1.size() > 4 || country2.size() > 4) [[unlikely]] {
      const bool first = country1.size() > 4;
      ctx_.BadNumber(NumberStatus::kOutOfRange, first ? L.actor1_country : L.actor2_country,
                     first ? "Actor1CountryCode" : "Actor2CountryCode", first ? country1 : country2,
                     "a CAMEO country code such as KOR");
      return;
    }

    // The row is good.
    ++ctx_.good;
    if (ctx_.config->keep_events) {
      // The row itself is kept (for a row store), with its actors' cities; no aggregate is made:
      // a big file's per-day pair groups would otherwise hold memory the store does not need.
      EventRecord& event = ctx_.out->events.emplace_back();
      event.date = PeriodStart(Period::kDay, year, month, day);
      event.actor1_country = PackCode(country1.begin, country1.size());
      event.actor2_country = PackCode(country2.begin, country2.size());
      event.is_root = v.is_root;
      event.root_code = static_cast<std::uint8_t>(v.root);
      event.quad = static_cast<std::uint8_t>(v.quad);
      event.goldstein = v.goldstein;
      event.tone = v.tone;
      event.mentions = v.mentions;
      event.sources = v.sources;
      event.articles = v.articles;
      const CityDictionary* cities = ctx_.config->cities;
      if (cities != nullptr && !cities->empty()) {
        event.actor1_city =
            cities->Match(Actor(row, L.actor1_name, L.actor1_country, L.actor1_type1, L.actor1_adm1,
                                L.actor1_feature_id));
        event.actor2_city =
            cities->Match(Actor(row, L.actor2_name, L.actor2_country, L.actor2_type1, L.actor2_adm1,
                                L.actor2_feature_id));
      }
      return;
    }
    // Added up.
    const std::int32_t period = ctx_.PeriodOf(year, month, day);
    PeriodTotals& totals = ctx_.TotalsFor(period);
    ++totals.events;
    totals.mentions += static_cast<std::int64_t>(v.mentions);
    totals.sources += static_cast<std::int64_t>(v.sources);
    totals.articles += static_cast<std::int64_t>(v.articles);
    if (!country1.empty() && !country2.empty()) {
      const std::uint32_t code1 = PackCode(country1.begin, country1.size());
      const std::uint32_t code2 = PackCode(country2.begin, country2.size());
      if (KeepPair(code1, code2)) {
        PushCountryPair(PairKey{period, code1, code2}, v);
      }
    }
    const CityDictionary* cities = ctx_.config->cities;
    if (cities != nullptr && !cities->empty()) {
      const int city1 = cities->Match(Actor(row, L.actor1_name, L.actor1_country, L.actor1_type1,
                                            L.actor1_adm1, L.actor1_feature_id));
      // The pair tables need actor 2 only when actor 1 is a city.
      const int city2 =
          city1 >= 0 ? cities->Match(Actor(row, L.actor2_name, L.actor2_country, L.actor2_type1,
                                           L.actor2_adm1, L.actor2_feature_id))
                     : -1;
      if (city1 >= 0 && city2 >= 0) {
        AddEvent(ctx_.out->cities[PairKey{period, static_cast<std::uint32_t>(city1),
                                          static_cast<std::uint32_t>(city2)}],
                 v);
      }
    }
    if (ctx_.out->pair_groups() > ctx_.group_check) [[unlikely]] {
      ctx_.CheckGroups();
    }
  }

  /// Adds the rows still in the country-pair pipeline (PushCountryPair). Called after the last
  /// row given to OnRow, before the tables are read.
  void Drain() {
    if (add_to_ != nullptr) {
      AddEvent(*add_to_, add_values_);
      add_to_ = nullptr;
    }
    if (has_probe_) {
      auto& table = ctx_.out->countries;
      AddEvent(table.At(table.IndexOf(probe_key_, probe_hash_)), probe_values_);
      has_probe_ = false;
    }
    if (ctx_.out->pair_groups() > ctx_.group_check) [[unlikely]] {
      ctx_.CheckGroups();
    }
  }

 private:
  // A country pair's row goes through a pipeline of three steps, one row apart, so that the
  // table's memory is fetched while the next rows are parsed instead of stalling the row that
  // needs it (a file's table outgrows the CPU's caches: tens of thousands of groups of 168
  // bytes): the row's slot is prefetched; one row later its entry is looked up and prefetched;
  // one row after that the row is added to it. Rows are added in their order, so the sums are
  // the same, to the bit, as adding each row at once.
  void PushCountryPair(const PairKey& key, const EventValues& values) {
    auto& table = ctx_.out->countries;
    const std::uint64_t hash = PairKeyHash{}(key);
    table.PrefetchSlot(hash);
    if (add_to_ != nullptr) {
      AddEvent(*add_to_, add_values_);
    }
    if (has_probe_) {
      add_to_ = &table.At(table.IndexOf(probe_key_, probe_hash_));
      add_values_ = probe_values_;
      const char* entry = reinterpret_cast<const char*>(add_to_);
      for (std::size_t line = 0; line < sizeof(PairSums); line += 64) {
        __builtin_prefetch(entry + line, 1);
      }
      __builtin_prefetch(entry + sizeof(PairSums) - 1, 1);
    } else {
      add_to_ = nullptr;
    }
    probe_key_ = key;
    probe_hash_ = hash;
    probe_values_ = values;
    has_probe_ = true;
  }

  bool KeepPair(std::uint32_t code1, std::uint32_t code2) const {
    const auto& keep = ctx_.config->countries;
    if (keep.empty()) {
      return true;
    }
    for (std::uint32_t code : keep) {
      if (code == code1 || code == code2) {
        return true;
      }
    }
    return false;
  }

  static ActorFields Actor(
      const RowView& row, int name, int country, int type1, int adm1, int feature) {
    ActorFields actor;
    actor.name = FieldAt(row, static_cast<std::uint32_t>(name)).view();
    actor.country = FieldAt(row, static_cast<std::uint32_t>(country)).view();
    for (int i = 0; i < 3; ++i) {
      actor.types[static_cast<std::size_t>(i)] =
          FieldAt(row, static_cast<std::uint32_t>(type1 + i)).view();
    }
    actor.adm1 = FieldAt(row, static_cast<std::uint32_t>(adm1)).view();
    actor.feature_id = FieldAt(row, static_cast<std::uint32_t>(feature)).view();
    return actor;
  }

  FileContext& ctx_;
  // The country-pair pipeline (PushCountryPair): the row whose entry is looked up next, and the
  // entry and row to add next.
  PairKey probe_key_;
  std::uint64_t probe_hash_ = 0;
  EventValues probe_values_{};
  bool has_probe_ = false;
  PairSums* add_to_ = nullptr;
  EventValues add_values_{};
};

class MentionsHandler {
 public:
  explicit MentionsHandler(FileContext& context) : ctx_(context) {}

  static constexpr std::uint32_t kTracked = MentionsLayout::kLastUsed + 1;

  void OnRow(const RowView& row) {
    using M = MentionsLayout;
    ++ctx_.line;
    if (ctx_.TooLong(row)) [[unlikely]] {
      return;
    }
    if (row.tabs + 1 != 16) [[unlikely]] {
      ctx_.BadColumns(row.tabs + 1, FileKind::kMentions);
      return;
    }
    if (row.high && !ctx_.Utf8Ok(row)) [[unlikely]] {
      return;
    }
    std::uint64_t number = 0;
    const Field id = FieldAt(row, M::kGlobalEventId);
    if (const auto status = ParseUnsigned(id, number); status != NumberStatus::kOk) [[unlikely]] {
      ctx_.BadNumber(status, M::kGlobalEventId, "GLOBALEVENTID", id, "an event id");
      return;
    }
    int year = 0;
    int month = 0;
    int day = 0;
    const Field time = FieldAt(row, M::kMentionTimeDate);
    if (const auto status = ParseDate(time, 14, year, month, day); status != NumberStatus::kOk)
        [[unlikely]] {
      ctx_.BadNumber(status, M::kMentionTimeDate, "MentionTimeDate", time, "YYYYMMDDHHMMSS");
      return;
    }
    const Field type = FieldAt(row, M::kMentionType);
    if (const auto status = ParseUnsigned(type, number);
        status != NumberStatus::kOk || number < 1 || number > kMentionTypes) [[unlikely]] {
      ctx_.BadNumber(status == NumberStatus::kOk ? NumberStatus::kOutOfRange : status,
                     M::kMentionType, "MentionType", type, "1 to 6");
      return;
    }
    const auto mention_type = static_cast<std::size_t>(number);
    const Field confidence = FieldAt(row, M::kConfidence);
    if (const auto status = ParseUnsigned(confidence, number);
        status != NumberStatus::kOk || number > 100) [[unlikely]] {
      ctx_.BadNumber(status == NumberStatus::kOk ? NumberStatus::kOutOfRange : status,
                     M::kConfidence, "Confidence", confidence, "0 to 100");
      return;
    }
    double tone = 0;
    const Field tone_field = FieldAt(row, M::kDocTone);
    if (!ParseDouble(tone_field, tone)) [[unlikely]] {
      ctx_.BadNumber(NumberStatus::kNotNumber, M::kDocTone, "MentionDocTone", tone_field,
                     "a number from -100 to 100");
      return;
    }
    if (tone < -100.0 || tone > 100.0) [[unlikely]] {
      ctx_.BadNumber(NumberStatus::kOutOfRange, M::kDocTone, "MentionDocTone", tone_field,
                     "a number from -100 to 100");
      return;
    }
    ++ctx_.good;
    MediaVolume& volume = ctx_.out->media[PeriodStart(ctx_.config->period, year, month, day)];
    ++volume.mentions;
    ++volume.by_type[mention_type - 1];
    volume.doc_tone_sum += tone;
    volume.confidence_sum += static_cast<std::int64_t>(number);
  }

 private:
  FileContext& ctx_;
};

// Counts the columns of the first lines and returns the kind most of them have.
std::optional<FileKind> DetectKind(const char* data, std::size_t size, std::size_t& first_columns) {
  std::array<int, 3> votes{};
  std::size_t pos = 0;
  for (int line = 0; line < 200 && pos < size; ++line) {
    const char* start = data + pos;
    const void* found = std::memchr(start, '\n', size - pos);
    const char* end = found != nullptr ? static_cast<const char*>(found) : data + size;
    const auto columns = static_cast<std::size_t>(std::count(start, end, '\t')) + 1;
    if (line == 0) {
      first_columns = columns;
    }
    if (const auto kind = KindForColumnCount(columns)) {
      ++votes[static_cast<std::size_t>(*kind)];
    }
    pos = static_cast<std::size_t>(end - data) + 1;
  }
  const auto best = std::max_element(votes.begin(), votes.end());
  if (*best == 0) {
    return std::nullopt;
  }
  return static_cast<FileKind>(best - votes.begin());
}

std::string ErrnoText() {
  return std::system_category().message(errno);
}

}  // namespace

std::string UnpackCode(std::uint32_t packed) {
  std::string out;
  while (packed != 0) {
    out.insert(out.begin(), static_cast<char>(packed & 0xFF));
    packed >>= 8;
  }
  return out;
}

void PairSums::Add(const PairSums& other) {
  AddPairSums(*this, other);
}

PairStats PairSums::ToStats() const {
  PairStats stats;
  AddPairSums(stats, *this);
  return stats;
}

void FileAggregates::Clear() {
  countries.Clear(kKeptEntries);
  cities.Clear(kKeptEntries);
  totals.Clear(kKeptEntries);
  media.Clear(kKeptEntries);
  events.clear();
  permit.Release();
}

void FileAggregates::MergeFrom(const FileAggregates& other) {
  countries.MergeFrom(other.countries);
  cities.MergeFrom(other.cities);
  totals.MergeFrom(other.totals);
  media.MergeFrom(other.media);
  events.insert(events.end(), other.events.begin(), other.events.end());
}

std::size_t FileAggregates::groups() const {
  return countries.size() + cities.size() + totals.size() + media.size() + events.size();
}

std::size_t FileAggregates::MemoryBytes() const {
  return countries.MemoryBytes() + cities.MemoryBytes() + totals.MemoryBytes() +
         media.MemoryBytes() + events.capacity() * sizeof(EventRecord);
}

namespace {

// The entry indices of a pair table in Barometer order: by the packed actors, then the period.
// The keys are copied out of the (large) entries into 16-byte sort keys first, so that the sort
// compares two integers in a contiguous array instead of chasing each entry's key.
template <typename Table>
std::vector<std::uint32_t> SortedIndices(const Table& table) {
  struct SortKey {
    std::uint64_t actors;  // actor1, actor2
    std::uint64_t rest;    // period (its sign bit flipped, so that it orders as unsigned), index
  };
  std::vector<SortKey> keys(table.size());
  for (std::uint32_t i = 0; i < keys.size(); ++i) {
    const PairKey& key = table.EntryAt(i).first;
    const std::uint32_t biased = static_cast<std::uint32_t>(key.period) ^ 0x80000000U;
    keys[i] = {std::uint64_t{key.actor1} << 32 | key.actor2, std::uint64_t{biased} << 32 | i};
  }
  std::sort(keys.begin(), keys.end(), [](const SortKey& a, const SortKey& b) {
    return a.actors != b.actors ? a.actors < b.actors : a.rest < b.rest;
  });
  std::vector<std::uint32_t> order(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    order[i] = static_cast<std::uint32_t>(keys[i].rest);
  }
  return order;
}

}  // namespace

SortedPairs::SortedPairs(const FileAggregates& aggregates, const CityDictionary* dictionary)
    : aggregates_(&aggregates),
      dictionary_(dictionary),
      countries_(SortedIndices(aggregates.countries)),
      cities_(SortedIndices(aggregates.cities)) {}

bool SortedPairs::Next(std::vector<PairRow>& chunk, std::size_t max_rows) {
  chunk.clear();
  while (chunk.size() < max_rows && next_ < countries_.size() + cities_.size()) {
    if (next_ < countries_.size()) {
      const auto& [key, sums] = aggregates_->countries.EntryAt(countries_[next_]);
      chunk.push_back(PairRow{PairKind::kCountry, key.period, UnpackCode(key.actor1),
                              UnpackCode(key.actor2), sums.ToStats()});
    } else {
      const auto& [key, sums] = aggregates_->cities.EntryAt(cities_[next_ - countries_.size()]);
      const auto& list = dictionary_->cities();
      chunk.push_back(PairRow{PairKind::kCity, key.period, list[key.actor1].id, list[key.actor2].id,
                              sums.ToStats()});
    }
    ++next_;
  }
  return !chunk.empty();
}

Barometer FileAggregates::PeriodRows(Period period) const {
  Barometer barometer;
  barometer.period = period;
  totals.ForEach([&](std::int32_t period_start, const PeriodTotals& value) {
    barometer.totals.push_back(TotalsRow{period_start, value});
  });
  std::sort(barometer.totals.begin(), barometer.totals.end(),
            [](const TotalsRow& a, const TotalsRow& b) { return a.period_start < b.period_start; });
  media.ForEach([&](std::int32_t period_start, const MediaVolume& value) {
    barometer.media.push_back(MediaRow{period_start, value});
  });
  std::sort(barometer.media.begin(), barometer.media.end(),
            [](const MediaRow& a, const MediaRow& b) { return a.period_start < b.period_start; });
  return barometer;
}

Barometer FileAggregates::ToBarometer(Period period, const CityDictionary* dictionary) const {
  Barometer barometer = PeriodRows(period);
  SortedPairs pairs(*this, dictionary);
  std::vector<PairRow> chunk;
  while (pairs.Next(chunk, SortedPairs::kChunk)) {
    std::move(chunk.begin(), chunk.end(), std::back_inserter(barometer.pairs));
  }
  return barometer;
}

// ---- the file reader ----------------------------------------------------------------------------

namespace {
constexpr std::size_t kChunk = std::size_t{1} << 20;  // read / inflate granularity
constexpr std::size_t kCapacity = kChunk + kMaxLine;
constexpr std::size_t kWindow = std::size_t{4} << 20;  // plain files are mapped 4 MiB at a time
static_assert(kWindow % (std::size_t{64} << 10) == 0, "windows start on page boundaries");
}  // namespace

struct FileScanner::Impl {
  std::vector<char> buffer = std::vector<char>(kCapacity + kScanPadding + 1);
  std::size_t have = 0;
  bool skipping_line = false;
  std::vector<std::uint8_t> input = std::vector<std::uint8_t>(kChunk);
  Inflater inflater;
  FileContext ctx;
  std::optional<FileKind> kind;
  ScanKernel kernel = ScanKernel::kGeneric;  // resolved for this CPU
  std::uint64_t scanned = 0;                 // bytes of complete lines handed to the splitter

  // Scans the complete lines of the buffer; keeps the partial last line. At `eof`, a last line
  // without '\n' is completed.
  Status Consume(bool eof) {
    char* data = buffer.data();
    if (skipping_line) {
      const void* found = std::memchr(data, '\n', have);
      if (found == nullptr) {
        have = 0;
        return Ok();
      }
      const std::size_t skip = static_cast<std::size_t>(static_cast<const char*>(found) - data) + 1;
      std::memmove(data, data + skip, have - skip);
      have -= skip;
      skipping_line = false;
    }
    if (eof && have > 0 && data[have - 1] != '\n') {
      data[have++] = '\n';  // the buffer keeps one spare byte for this
    }
    const void* last = have == 0 ? nullptr : memrchr(data, '\n', have);
    if (last == nullptr) {
      if (have >= kMaxLine) {
        if (!kind) {
          return Fail(ErrorCode::kInvalidData,
                      "not a GDELT file: no line break in the first " + std::to_string(have) +
                          " bytes (expected tab-separated GDELT event or mentions rows)");
        }
        ++ctx.line;
        ctx.LongLine();
        skipping_line = true;
        have = 0;
      }
      return Ok();
    }
    const std::size_t complete =
        static_cast<std::size_t>(static_cast<const char*>(last) - data) + 1;
    if (auto scanned_lines = ScanComplete(data, complete); !scanned_lines) {
      return scanned_lines;
    }
    std::memmove(data, data + complete, have - complete);
    have -= complete;
    return Ok();
  }

  // Scans `complete` bytes of whole lines at `data` (ending with '\n', kScanPadding readable
  // bytes after them).
  Status ScanComplete(const char* data, std::size_t complete) {
    if (!kind) {
      std::size_t first_columns = 0;
      kind = DetectKind(data, complete, first_columns);
      if (!kind) {
        return Fail(ErrorCode::kInvalidData,
                    "not a GDELT file: line 1 has " + std::to_string(first_columns) +
                        " tab-separated columns (expected 57 or 58 for GDELT 1.0 events, 61 for "
                        "GDELT 2.0 events, 16 for GDELT 2.0 mentions)");
      }
      ctx.report->kind = kind;
    }
    // Padding after the data must be readable; it lies inside the buffer.
    switch (*kind) {
      case FileKind::kEventsV1: {
        EventHandler<kEventsV1Layout, FileKind::kEventsV1> handler(ctx);
        SplitRows(data, complete, handler, handler.Tracked(), kernel);
        handler.Drain();
        break;
      }
      case FileKind::kEventsV2: {
        EventHandler<kEventsV2Layout, FileKind::kEventsV2> handler(ctx);
        SplitRows(data, complete, handler, handler.Tracked(), kernel);
        handler.Drain();
        break;
      }
      case FileKind::kMentions: {
        MentionsHandler handler(ctx);
        SplitRows(data, complete, handler, handler.kTracked, kernel);
        break;
      }
    }
    if (ctx.too_many_groups) {
      return Fail(ErrorCode::kResourceExhausted,
                  "the file makes more than " + std::to_string(ctx.config->max_file_groups) +
                      " (period, pair) groups, more than citydip keeps in memory for one "
                      "file; ingest it with a coarser --period (e.g. month)");
    }
    if (ctx.good > ctx.config->max_file_rows) {
      return Fail(ErrorCode::kResourceExhausted,
                  "the file has more than " + std::to_string(ctx.config->max_file_rows) +
                      " good rows, more than citydip adds up for one file; split it into "
                      "smaller files");
    }
    if (ctx.config->spill_events != nullptr && ctx.out->events.size() >= ctx.config->spill_rows) {
      if (auto spilled = (*ctx.config->spill_events)(*ctx.report, ctx.out->events); !spilled) {
        return Fail(spilled.error());
      }
      ctx.out->events.clear();
    }
    scanned += complete;
    return Ok();
  }

  // Reads a plain file through windows mapped into memory (internal/mapped_window.h): whole
  // lines are scanned where they lie, and only the line that straddles two windows and the
  // file's last bytes go through the buffer. This spares the copy read() makes, about a sixth
  // of the CPU of a plain ingest. A file cut short while it is read fails.
  Status ReadPlainMapped(int fd, std::uint64_t file_size, ScanCounters& counters) {
    const auto changed = [] {
      return Fail(ErrorCode::kUnavailable,
                  "the file shrank or could not be read while it was read; nothing of it was "
                  "stored, ingest it again");
    };
    for (std::uint64_t offset = 0; offset < file_size; offset += kWindow) {
      const auto size =
          static_cast<std::size_t>(std::min<std::uint64_t>(kWindow, file_size - offset));
      auto window = MappedWindow::Map(fd, offset, size);
      if (!window) {
        return Fail(window.error());
      }
      if (auto scanned_window = ScanWindow(window->data(), size, counters); !scanned_window) {
        return window->truncated() ? changed() : scanned_window;
      }
      if (window->truncated()) {
        return changed();
      }
    }
    struct stat info {};
    if (fstat(fd, &info) != 0 || static_cast<std::uint64_t>(info.st_size) != file_size) {
      return changed();
    }
    return Consume(true);
  }

  Status ScanWindow(const char* window, std::size_t size, ScanCounters& counters) {
    counters.bytes_read.fetch_add(size, std::memory_order_relaxed);
    const std::uint64_t before = ctx.good;
    std::size_t at = 0;
    if (have > 0 || skipping_line) {
      // The line carried from the previous window is completed in the buffer.
      const void* newline = std::memchr(window, '\n', size);
      at = newline == nullptr ? size : static_cast<const char*>(newline) - window + 1;
      if (auto appended = AppendBytes(window, at); !appended) {
        return appended;
      }
    }
    if (size - at > kScanPadding) {
      const void* last = memrchr(window + at, '\n', size - kScanPadding - at);
      if (last != nullptr) {
        const auto complete =
            static_cast<std::size_t>(static_cast<const char*>(last) - window) + 1 - at;
        if (auto scanned_lines = ScanComplete(window + at, complete); !scanned_lines) {
          return scanned_lines;
        }
        at += complete;
      }
    }
    if (auto appended = AppendBytes(window + at, size - at); !appended) {
      return appended;
    }
    counters.rows.fetch_add(ctx.good - before, std::memory_order_relaxed);
    return Ok();
  }

  // Appends bytes to the buffer, scanning as it fills.
  Status AppendBytes(const char* data, std::size_t size) {
    while (size > 0) {
      const std::size_t room = std::min(size, kCapacity - have);
      std::memcpy(buffer.data() + have, data, room);
      have += room;
      data += room;
      size -= room;
      if (auto consumed = Consume(false); !consumed) {
        return consumed;
      }
    }
    return Ok();
  }

  // Appends a stored member's bytes, adding them to its CRC-32.
  Status Append(const std::uint8_t* data, std::size_t size, std::uint32_t& crc) {
    crc = Crc32(crc, data, size);
    return AppendBytes(reinterpret_cast<const char*>(data), size);
  }

  Status ReadZip(int fd, std::uint64_t file_size, const std::string& path, ScanCounters& counters) {
    auto member = ReadSingleMember(fd, file_size, path);
    if (!member) {
      return Fail(member.error());
    }
    const std::uint64_t data_begin = member->data_offset;
    const std::uint64_t data_end = data_begin + member->compressed_size;
    const bool deflated = member->method == 8;
    inflater.Reset();
    std::uint32_t stored_crc = 0;
    std::uint64_t produced = 0;
    std::uint64_t offset = 0;
    if (lseek(fd, 0, SEEK_SET) != 0) {
      return Fail(ErrorCode::kUnavailable, "cannot read the file: " + ErrnoText());
    }
    while (offset < file_size) {
      const auto want =
          static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, file_size - offset));
      const ssize_t got = read(fd, input.data(), want);
      if (got < 0 && errno == EINTR) {
        continue;
      }
      if (got <= 0) {
        return Fail(ErrorCode::kUnavailable, got == 0
                                                 ? std::string("the file shrank while being read")
                                                 : "cannot read the file: " + ErrnoText());
      }
      const auto n = static_cast<std::size_t>(got);
      counters.bytes_read.fetch_add(n, std::memory_order_relaxed);
      const std::uint64_t lo = std::max(offset, data_begin);
      const std::uint64_t hi = std::min(offset + n, data_end);
      if (lo < hi) {
        const std::uint8_t* piece = input.data() + (lo - offset);
        const auto piece_size = static_cast<std::size_t>(hi - lo);
        const std::uint64_t before = ctx.good;
        if (deflated) {
          inflater.Feed(piece, piece_size);
          while (!inflater.Finished()) {
            const std::size_t room = std::min(kChunk, kCapacity - have);
            auto out =
                inflater.Inflate(reinterpret_cast<std::uint8_t*>(buffer.data() + have), room);
            if (!out) {
              return Fail(out.error());
            }
            have += *out;
            produced += *out;
            if (auto consumed = Consume(false); !consumed) {
              return consumed;
            }
            if (*out == 0 && inflater.NeedsInput()) {
              break;
            }
            if (*out == 0 && room > 0 && !inflater.NeedsInput()) {
              return Fail(ErrorCode::kInvalidData, "corrupt zip: the deflate stream stalls");
            }
          }
        } else {
          produced += piece_size;
          if (auto appended = Append(piece, piece_size, stored_crc); !appended) {
            return appended;
          }
        }
        counters.rows.fetch_add(ctx.good - before, std::memory_order_relaxed);
      }
      offset += n;
    }
    if (deflated && !inflater.Finished()) {
      return Fail(ErrorCode::kInvalidData,
                  "truncated or corrupt zip: the deflate stream ends before its last block");
    }
    if (produced != member->uncompressed_size) {
      return Fail(ErrorCode::kInvalidData, "corrupt zip: the member inflates to " +
                                               std::to_string(produced) +
                                               " bytes (the directory says " +
                                               std::to_string(member->uncompressed_size) + ")");
    }
    const std::uint32_t crc = deflated ? inflater.Crc32() : stored_crc;
    if (crc != member->crc32) {
      return Fail(ErrorCode::kInvalidData, "corrupt zip: CRC-32 mismatch in member '" +
                                               member->name + "' (the data is damaged)");
    }
    return Consume(true);
  }
};

FileScanner::FileScanner() : impl_(std::make_unique<Impl>()) {}
FileScanner::~FileScanner() = default;

bool FileScanner::Scan(const ScanConfig& config,
                       FileAggregates& out,
                       FileReport& report,
                       ScanCounters& counters) {
  Impl& impl = *impl_;
  out.Clear();
  impl.have = 0;
  impl.skipping_line = false;
  impl.kind.reset();
  impl.scanned = 0;
  impl.kernel = ResolveKernel(config.kernel);
  impl.ctx.Reset(config, out, report);
  report.examples.clear();
  const auto fail = [&](Error error) {
    if (error.where.empty()) {
      error.where = report.path;
    }
    report.error = std::move(error);
    report.status = FileStatus::kFailed;
    out.Clear();
    return false;
  };

  const int fd = open(report.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    return fail(Error{error == ENOENT ? ErrorCode::kNotFound : ErrorCode::kUnavailable,
                      "cannot open the file: " + std::system_category().message(error),
                      report.path});
  }
  struct stat info {};
  if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    close(fd);
    return fail(Error{ErrorCode::kInvalidArgument, "not a regular file", report.path});
  }
  report.size = static_cast<std::uint64_t>(info.st_size);
  char head[4] = {0, 0, 0, 0};
  const ssize_t head_size = pread(fd, head, sizeof(head), 0);
  const bool zipped = head_size == 4 && LooksLikeZip(std::string_view(head, 4));
  const bool zip_name =
      report.path.size() > 4 && ToLowerAscii(report.path.substr(report.path.size() - 4)) == ".zip";
  Status read;
  if (zip_name && !zipped) {
    read = Fail(ErrorCode::kInvalidData,
                "truncated or not a zip file (no zip signature at the start; expected a .zip)");
  } else if (zipped) {
    read = impl.ReadZip(fd, report.size, report.path, counters);
  } else {
    read = impl.ReadPlainMapped(fd, report.size, counters);
  }
  close(fd);
  if (!read) {
    return fail(read.error());
  }
  report.rows = impl.ctx.good;
  report.data_bytes = impl.scanned;
  report.bad_by_reason = impl.ctx.bad;
  report.bad_rows = impl.ctx.bad_total();
  std::stable_sort(report.examples.begin(), report.examples.end(),
                   [](const BadRowExample& a, const BadRowExample& b) { return a.line < b.line; });
  if (!impl.kind) {
    return fail(Error{ErrorCode::kInvalidData, "empty file (expected GDELT event or mentions rows)",
                      report.path});
  }
  if (config.limit.Exceeded(report.bad_rows, report.bad_rows + report.rows)) {
    return fail(Error{ErrorCode::kInvalidData,
                      std::to_string(report.bad_rows) + " of " +
                          std::to_string(report.bad_rows + report.rows) +
                          " rows are bad (more than --max-bad-rows " + config.limit.ToString() +
                          "); the file was not ingested",
                      report.path});
  }
  report.status = FileStatus::kIngested;
  return true;
}

}  // namespace citydip::ingest::gdelt::internal

namespace citydip::ingest::gdelt {

bool ScanKernelSupported(ScanKernel kernel) {
  switch (kernel) {
    case ScanKernel::kAuto:
    case ScanKernel::kGeneric:
      return true;
#if defined(__x86_64__)
    case ScanKernel::kAvx2: {
      static const bool supported =
          __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
          __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("popcnt");
      return supported;
    }
    case ScanKernel::kAvx512: {
      static const bool supported =
          ScanKernelSupported(ScanKernel::kAvx2) && __builtin_cpu_supports("avx512f") &&
          __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi2");
      return supported;
    }
#else
    case ScanKernel::kAvx2:
    case ScanKernel::kAvx512:
      return false;
#endif
  }
  return false;
}

}  // namespace citydip::ingest::gdelt
