#include "reference_barometer.h"

#include <zlib.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace citydip::test {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot open " + path);
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

unsigned U16(const std::string& s, std::size_t at) {
  return static_cast<unsigned char>(s[at]) | (static_cast<unsigned char>(s[at + 1]) << 8);
}
unsigned long U32(const std::string& s, std::size_t at) {
  return U16(s, at) | (static_cast<unsigned long>(U16(s, at + 2)) << 16);
}

void Put16(std::string& out, unsigned value) {
  out += static_cast<char>(value & 0xFF);
  out += static_cast<char>((value >> 8) & 0xFF);
}
void Put32(std::string& out, unsigned long value) {
  Put16(out, static_cast<unsigned>(value & 0xFFFF));
  Put16(out, static_cast<unsigned>((value >> 16) & 0xFFFF));
}

std::vector<std::string> Split(const std::string& line) {
  std::vector<std::string> fields;
  std::string current;
  for (char c : line) {
    if (c == '\t') {
      fields.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  fields.push_back(current);
  return fields;
}

bool AllDigits(const std::string& text) {
  if (text.empty()) {
    return false;
  }
  for (char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

bool ToInt(const std::string& text, long long& out) {
  if (!AllDigits(text) || text.size() > 18) {
    return false;
  }
  out = std::stoll(text);
  return true;
}

bool ToDouble(const std::string& text, double& out) {
  if (text.empty()) {
    return false;
  }
  std::size_t used = 0;
  try {
    out = std::stod(text, &used);
  } catch (const std::exception&) {
    return false;
  }
  return used == text.size() && std::isfinite(out);
}

bool ValidUtf8(const std::string& text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    int extra = 0;
    unsigned min = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      min = 0x10000;
    } else {
      return false;
    }
    if (i + static_cast<std::size_t>(extra) >= text.size()) {
      return false;
    }
    unsigned code = c & (0x3F >> extra);
    for (int k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
      if ((next & 0xC0) != 0x80) {
        return false;
      }
      code = (code << 6) | (next & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return false;
    }
    i += static_cast<std::size_t>(extra) + 1;
  }
  return true;
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  for (const auto& item : list) {
    if (item == value) {
      return true;
    }
  }
  return false;
}

int DaysIn(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

bool ValidDate(const std::string& text) {
  if (text.size() < 8 || !AllDigits(text)) {
    return false;
  }
  const int year = std::stoi(text.substr(0, 4));
  const int month = std::stoi(text.substr(4, 2));
  const int day = std::stoi(text.substr(6, 2));
  return year >= 1800 && year <= 2199 && month >= 1 && month <= 12 && day >= 1 &&
         day <= DaysIn(year, month);
}

// The city of an actor by the documented rules: name (with a country check), then FeatureID,
// then ADM1; the type filter applies to every candidate.
std::string CityOf(const std::vector<RefCity>& cities,
                   const std::string& name,
                   const std::string& country,
                   const std::vector<std::string>& types,
                   const std::string& adm1,
                   const std::string& feature) {
  const auto types_ok = [&](const RefCity& city) {
    if (city.types.empty()) {
      return true;
    }
    for (const auto& type : types) {
      if (!type.empty() && Contains(city.types, type)) {
        return true;
      }
    }
    return false;
  };
  if (!name.empty()) {
    for (const auto& city : cities) {
      if (Contains(city.names, name) &&
          (country.empty() || city.country.empty() || country == city.country) && types_ok(city)) {
        return city.id;
      }
    }
  }
  if (!feature.empty()) {
    for (const auto& city : cities) {
      if (Contains(city.features, feature) && types_ok(city)) {
        return city.id;
      }
    }
  }
  if (!adm1.empty()) {
    for (const auto& city : cities) {
      if (Contains(city.adm1, adm1) && types_ok(city)) {
        return city.id;
      }
    }
  }
  return "";
}

void Add(RefStats& s,
         long long root_flag,
         long long root,
         long long quad,
         double g,
         long long nm,
         long long ns,
         long long na,
         double tone) {
  s.events += 1;
  s.root_events += root_flag;
  s.goldstein_sum += g;
  s.goldstein_mentions_sum += g * static_cast<double>(nm);
  s.tone_sum += tone;
  s.mentions += nm;
  s.sources += ns;
  s.articles += na;
  s.quad[static_cast<std::size_t>(quad - 1)] += 1;
  s.root[static_cast<std::size_t>(root - 1)] += 1;
}

}  // namespace

std::string ReadGdeltFile(const std::string& path) {
  std::string bytes = Slurp(path);
  if (bytes.size() < 4 || bytes.compare(0, 4, "PK\x03\x04") != 0) {
    return bytes;
  }
  const unsigned method = U16(bytes, 8);
  const unsigned long compressed = U32(bytes, 18);
  const unsigned long size = U32(bytes, 22);
  const std::size_t data = 30 + U16(bytes, 26) + U16(bytes, 28);
  if (method == 0) {
    return bytes.substr(data, size);
  }
  std::string out(size, '\0');
  z_stream stream{};
  inflateInit2(&stream, -MAX_WBITS);
  stream.next_in = reinterpret_cast<Bytef*>(&bytes[data]);
  stream.avail_in = static_cast<uInt>(compressed);
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(size);
  const int rc = inflate(&stream, Z_FINISH);
  inflateEnd(&stream);
  if (rc != Z_STREAM_END) {
    throw std::runtime_error("zlib could not inflate " + path);
  }
  return out;
}

void WriteZip(const std::string& path,
              const std::string& member_name,
              const std::string& content,
              bool deflate) {
  std::string packed;
  if (deflate) {
    z_stream stream{};
    deflateInit2(&stream, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    packed.resize(deflateBound(&stream, content.size()));
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(content.data()));
    stream.avail_in = static_cast<uInt>(content.size());
    stream.next_out = reinterpret_cast<Bytef*>(packed.data());
    stream.avail_out = static_cast<uInt>(packed.size());
    if (::deflate(&stream, Z_FINISH) != Z_STREAM_END) {
      throw std::runtime_error("zlib could not deflate");
    }
    packed.resize(stream.total_out);
    deflateEnd(&stream);
  } else {
    packed = content;
  }
  const unsigned long crc =
      crc32(0, reinterpret_cast<const Bytef*>(content.data()), static_cast<uInt>(content.size()));
  std::string out;
  // local file header
  Put32(out, 0x04034b50);
  Put16(out, 20);
  Put16(out, 0);
  Put16(out, deflate ? 8 : 0);
  Put16(out, 0);
  Put16(out, 0x21);
  Put32(out, crc);
  Put32(out, packed.size());
  Put32(out, content.size());
  Put16(out, static_cast<unsigned>(member_name.size()));
  Put16(out, 0);
  out += member_name;
  out += packed;
  const std::size_t directory = out.size();
  Put32(out, 0x02014b50);
  Put16(out, 20);
  Put16(out, 20);
  Put16(out, 0);
  Put16(out, deflate ? 8 : 0);
  Put16(out, 0);
  Put16(out, 0x21);
  Put32(out, crc);
  Put32(out, packed.size());
  Put32(out, content.size());
  Put16(out, static_cast<unsigned>(member_name.size()));
  Put16(out, 0);
  Put16(out, 0);
  Put16(out, 0);
  Put16(out, 0);
  Put32(out, 0);
  Put32(out, 0);
  out += member_name;
  const std::size_t directory_size = out.size() - directory;
  Put32(out, 0x06054b50);
  Put16(out, 0);
  Put16(out, 0);
  Put16(out, 1);
  Put16(out, 1);
  Put32(out, directory_size);
  Put32(out, directory);
  Put16(out, 0);
  std::ofstream file(path, std::ios::binary);
  file << out;
}

std::string RefPeriodLabel(const std::string& yyyymmdd, const std::string& period) {
  const std::string year = yyyymmdd.substr(0, 4);
  const std::string month = yyyymmdd.substr(4, 2);
  if (period == "day") {
    return year + "-" + month + "-" + yyyymmdd.substr(6, 2);
  }
  if (period == "month") {
    return year + "-" + month;
  }
  if (period == "quarter") {
    return year + "-Q" + std::to_string((std::stoi(month) - 1) / 3 + 1);
  }
  return year;
}

RefResult ReferenceAggregate(const std::vector<std::string>& paths,
                             const std::string& period,
                             const std::vector<RefCity>& cities,
                             const std::vector<std::string>& countries) {
  RefResult result;
  for (const auto& path : paths) {
    const std::string content = ReadGdeltFile(path);
    // The file's kind: the most common known column count among its first 200 lines.
    std::map<std::size_t, int> votes;
    {
      std::istringstream head(content);
      std::string line;
      for (int i = 0; i < 200 && std::getline(head, line); ++i) {
        std::size_t columns = Split(line).size();
        columns = columns == 57 ? 58 : columns;
        if (columns == 58 || columns == 61 || columns == 16) {
          ++votes[columns];
        }
      }
    }
    std::size_t kind_columns = 0;
    int best = 0;
    for (const auto& [columns, count] : votes) {
      if (count > best) {
        best = count;
        kind_columns = columns;
      }
    }
    std::istringstream in(content);
    std::string line;
    while (std::getline(in, line)) {
      const std::vector<std::string> f = Split(line);
      const bool v1 = kind_columns == 58;
      const bool v2 = kind_columns == 61;
      const bool mentions = kind_columns == 16;
      const bool columns_ok = v1 ? (f.size() == 57 || f.size() == 58) : f.size() == kind_columns;
      if (!columns_ok || !ValidUtf8(line)) {
        ++result.bad_rows;
        continue;
      }
      if (mentions) {
        long long id = 0;
        long long type = 0;
        long long confidence = 0;
        double tone = 0;
        if (!ToInt(f[0], id) || f[2].size() != 14 || !ValidDate(f[2]) || !ToInt(f[3], type) ||
            type < 1 || type > 6 || !ToInt(f[11], confidence) || confidence > 100 ||
            !ToDouble(f[13], tone) || tone < -100 || tone > 100) {
          ++result.bad_rows;
          continue;
        }
        RefMedia& media = result.media[RefPeriodLabel(f[2].substr(0, 8), period)];
        media.mentions += 1;
        media.by_type[static_cast<std::size_t>(type - 1)] += 1;
        media.doc_tone_sum += tone;
        media.confidence_sum += confidence;
        ++result.good_rows;
        continue;
      }
      if (!v1 && !v2) {
        ++result.bad_rows;
        continue;
      }
      long long root_flag = 0;
      long long root = 0;
      long long quad = 0;
      long long nm = 0;
      long long ns = 0;
      long long na = 0;
      double g = 0;
      double tone = 0;
      if (f[1].size() != 8 || !ValidDate(f[1]) || !ToInt(f[25], root_flag) || root_flag > 1 ||
          !ToInt(f[28], root) || root < 1 || root > 20 || !ToInt(f[29], quad) || quad < 1 ||
          quad > 4 || !ToDouble(f[30], g) || g < -10 || g > 10 || !ToInt(f[31], nm) ||
          nm > 2147483647 || !ToInt(f[32], ns) || ns > 2147483647 || !ToInt(f[33], na) ||
          na > 2147483647 || !ToDouble(f[34], tone) || tone < -100 || tone > 100 ||
          f[7].size() > 4 || f[17].size() > 4) {
        ++result.bad_rows;
        continue;
      }
      ++result.good_rows;
      const std::string label = RefPeriodLabel(f[1], period);
      RefTotals& totals = result.totals[label];
      totals.events += 1;
      totals.mentions += nm;
      totals.sources += ns;
      totals.articles += na;
      const std::string& a1 = f[7];
      const std::string& a2 = f[17];
      if (!a1.empty() && !a2.empty() &&
          (countries.empty() || Contains(countries, a1) || Contains(countries, a2))) {
        Add(result.pairs[{"country", label, a1, a2}], root_flag, root, quad, g, nm, ns, na, tone);
      }
      if (!cities.empty()) {
        // v1: Actor1Geo ADM1 38, FeatureID 41; Actor2Geo 45, 48. v2: 38, 42; 46, 50.
        const std::size_t f1 = v1 ? 41 : 42;
        const std::size_t adm2 = v1 ? 45 : 46;
        const std::size_t f2 = v1 ? 48 : 50;
        const std::string c1 = CityOf(cities, f[6], f[7], {f[12], f[13], f[14]}, f[38], f[f1]);
        const std::string c2 = CityOf(cities, f[16], f[17], {f[22], f[23], f[24]}, f[adm2], f[f2]);
        if (!c1.empty() && !c2.empty()) {
          Add(result.pairs[{"city", label, c1, c2}], root_flag, root, quad, g, nm, ns, na, tone);
        }
      }
    }
  }
  return result;
}

}  // namespace citydip::test
