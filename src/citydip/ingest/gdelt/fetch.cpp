#include "citydip/ingest/gdelt/fetch.h"

#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <thread>

#include "citydip/core/text.h"
#include "citydip/ingest/gdelt/gdelt_ingest.h"

namespace citydip::ingest::gdelt {
namespace {

namespace fs = std::filesystem;

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int Number(std::string_view digits) {
  int value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return value;
}

// The day span of a file from its name's leading digits: YYYYMMDD..., YYYYMM or YYYY.
std::optional<std::pair<DayNumber, DayNumber>> SpanOfName(std::string_view name) {
  std::size_t digits = 0;
  while (digits < name.size() && name[digits] >= '0' && name[digits] <= '9') {
    ++digits;
  }
  const std::string_view head = name.substr(0, digits);
  if (digits >= 8) {
    const int year = Number(head.substr(0, 4));
    const int month = Number(head.substr(4, 2));
    const int day = Number(head.substr(6, 2));
    if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
      return std::nullopt;
    }
    const DayNumber date = DaysFromCivil(year, month, day);
    return std::make_pair(date, date);
  }
  if (digits == 6) {
    const int year = Number(head.substr(0, 4));
    const int month = Number(head.substr(4, 2));
    if (month < 1 || month > 12) {
      return std::nullopt;
    }
    return std::make_pair(DaysFromCivil(year, month, 1),
                          DaysFromCivil(year, month, DaysInMonth(year, month)));
  }
  if (digits == 4) {
    const int year = Number(head);
    return std::make_pair(DaysFromCivil(year, 1, 1), DaysFromCivil(year, 12, 31));
  }
  return std::nullopt;
}

bool IsMd5(std::string_view text) {
  return text.size() == 32 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::vector<std::string_view> Words(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t pos = 0;
  while (pos < line.size()) {
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t' || line[pos] == '\r')) {
      ++pos;
    }
    const std::size_t start = pos;
    while (pos < line.size() && line[pos] != ' ' && line[pos] != '\t' && line[pos] != '\r') {
      ++pos;
    }
    if (pos > start) {
      words.push_back(line.substr(start, pos - start));
    }
  }
  return words;
}

// scheme://host[:port] and the path prefix of a base URL.
struct BaseUrl {
  std::string origin;
  std::string prefix;
};

Result<BaseUrl> SplitBaseUrl(const std::string& url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string::npos ||
      (url.compare(0, scheme, "http") != 0 && url.compare(0, scheme, "https") != 0)) {
    return Fail(ErrorCode::kInvalidArgument,
                "--base-url '" + url + "' is not an http:// or https:// URL");
  }
  const std::size_t slash = url.find('/', scheme + 3);
  BaseUrl base;
  base.origin = url.substr(0, slash);
  if (slash != std::string::npos) {
    base.prefix = url.substr(slash);
    while (!base.prefix.empty() && base.prefix.back() == '/') {
      base.prefix.pop_back();
    }
  }
  return base;
}

bool Retryable(int status) {
  return status == 429 || status >= 500;
}

class Fetcher {
 public:
  Fetcher(const FetchOptions& options, const BaseUrl& base)
      : options_(options), base_(base), client_(base.origin) {
    client_.set_connection_timeout(options.timeout);
    client_.set_read_timeout(options.timeout);
    client_.set_follow_location(true);
  }

  void Log(const std::string& line) const {
    if (options_.log) {
      options_.log(line);
    }
  }

  // GET into memory with retries (the list).
  Result<std::string> GetText(const std::string& path) {
    std::string last_error;
    for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
      auto res = client_.Get(base_.prefix + path);
      if (res && res->status == 200) {
        return res->body;
      }
      if (res && !Retryable(res->status)) {
        return Fail(res->status == 404 ? ErrorCode::kNotFound : ErrorCode::kUnavailable,
                    "HTTP " + std::to_string(res->status) + " for " + path,
                    base_.origin + base_.prefix + path);
      }
      last_error = res ? "HTTP " + std::to_string(res->status)
                       : "network error: " + httplib::to_string(res.error());
      Backoff(attempt, res ? res->get_header_value("Retry-After") : std::string());
    }
    return Fail(ErrorCode::kUnavailable,
                "cannot fetch " + path + " after " + std::to_string(options_.max_attempts) +
                    " attempts (" + last_error + ")",
                base_.origin + base_.prefix + path);
  }

  // Downloads one file to dir/NAME through dir/NAME.part, resuming and verifying.
  Result<FetchedFile> Download(const RemoteFile& remote) {
    FetchedFile fetched;
    fetched.remote = remote;
    const fs::path final_path = fs::path(options_.dir) / remote.name;
    const fs::path part_path = fs::path(options_.dir) / (remote.name + ".part");
    fetched.local_path = final_path.string();
    std::error_code error;
    if (fs::exists(final_path, error)) {
      if (Verified(final_path, remote)) {
        return fetched;
      }
      Log("re-fetching " + remote.name + ": the file on disk does not match the list");
      fs::rename(final_path, part_path, error);  // maybe a truncated copy: try to resume it
    }
    const std::string url = base_.origin + base_.prefix + remote.path;
    std::string last_error;
    int md5_failures = 0;
    ErrorCode failure = ErrorCode::kUnavailable;
    for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
      fetched.attempts = attempt;
      std::uint64_t offset = fs::exists(part_path, error) ? fs::file_size(part_path, error) : 0;
      if (remote.size && offset > *remote.size) {
        fs::remove(part_path, error);
        offset = 0;
      }
      int status = 0;
      std::string retry_after;
      bool complete_already = remote.size && offset == *remote.size;
      if (!complete_already) {
        httplib::Headers headers;
        if (offset > 0) {
          headers.emplace("Range", "bytes=" + std::to_string(offset) + "-");
        }
        std::ofstream out;
        bool write_error = false;
        auto res = client_.Get(
            base_.prefix + remote.path, headers,
            [&](const httplib::Response& response) {
              status = response.status;
              retry_after = response.get_header_value("Retry-After");
              if (status == 206 && offset > 0) {
                out.open(part_path, std::ios::binary | std::ios::app);
                fetched.resumed = true;
              } else if (status == 200) {
                out.open(part_path, std::ios::binary | std::ios::trunc);  // range not honoured
              } else {
                return true;  // the body of an error is not the file
              }
              write_error = !out;
              return !write_error;
            },
            [&](const char* data, std::size_t length) {
              if (out.is_open()) {
                out.write(data, static_cast<std::streamsize>(length));
                write_error = !out;
              }
              return !write_error;
            });
        out.close();
        if (write_error) {
          return Fail(ErrorCode::kUnavailable, "cannot write " + part_path.string(), url);
        }
        if (!res) {
          last_error = "network error: " + httplib::to_string(res.error());
          Log(remote.name + ": " + last_error + " (attempt " + std::to_string(attempt) + ")");
          Backoff(attempt, {});
          continue;
        }
        if (status == 416 && remote.size && fs::file_size(part_path, error) == *remote.size) {
          complete_already = true;
        } else if (status != 200 && status != 206) {
          if (!Retryable(status)) {
            return Fail(status == 404 ? ErrorCode::kNotFound : ErrorCode::kUnavailable,
                        "HTTP " + std::to_string(status), url);
          }
          last_error = "HTTP " + std::to_string(status);
          Log(remote.name + ": " + last_error + ", retrying (attempt " + std::to_string(attempt) +
              ")");
          Backoff(attempt, retry_after);
          continue;
        }
      }
      if (Verified(part_path, remote)) {
        fs::rename(part_path, final_path, error);
        if (error) {
          return Fail(ErrorCode::kUnavailable,
                      "cannot rename " + part_path.string() + ": " + error.message());
        }
        fetched.downloaded = true;
        return fetched;
      }
      // The bytes do not match the list: start again from scratch, once.
      last_error = last_mismatch_;
      failure = ErrorCode::kInvalidData;
      fs::remove(part_path, error);
      if (++md5_failures >= 2) {
        break;
      }
      Log(remote.name + ": " + last_error + ", downloading again");
    }
    if (failure == ErrorCode::kInvalidData) {
      fs::remove(part_path, error);  // damaged bytes are no start for a resume
    }
    return Fail(failure,
                "cannot fetch a verified copy (" + last_error + "; " +
                    std::to_string(fetched.attempts) + " attempts)",
                url);
  }

 private:
  bool Verified(const fs::path& path, const RemoteFile& remote) {
    std::error_code error;
    const std::uint64_t size = fs::file_size(path, error);
    if (error) {
      last_mismatch_ = "cannot read the download";
      return false;
    }
    if (remote.size && size != *remote.size) {
      last_mismatch_ =
          "size " + std::to_string(size) + " instead of " + std::to_string(*remote.size);
      return false;
    }
    auto md5 = Md5OfFile(path.string());
    if (!md5) {
      last_mismatch_ = md5.error().message;
      return false;
    }
    if (*md5 != remote.md5) {
      last_mismatch_ = "MD5 " + *md5 + " instead of " + remote.md5 + " (the download is damaged)";
      return false;
    }
    return true;
  }

  void Backoff(int attempt, const std::string& retry_after) const {
    if (attempt >= options_.max_attempts) {
      return;
    }
    auto wait = options_.backoff * (1 << std::min(attempt - 1, 16));
    if (!retry_after.empty() && AllDigits(retry_after)) {
      wait = std::max<std::chrono::milliseconds>(
          wait, std::chrono::seconds(std::min(Number(retry_after), 3600)));
    }
    std::this_thread::sleep_for(std::min(wait, options_.max_backoff));
  }

  const FetchOptions& options_;
  BaseUrl base_;
  httplib::Client client_;
  std::string last_mismatch_;
};

}  // namespace

Result<DayNumber> ParseFetchDate(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (c != '-') {
      digits += c;
    }
  }
  const bool dashed = text.size() == 10 && text[4] == '-' && text[7] == '-';
  if (digits.size() == 8 && AllDigits(digits) && (dashed || text.size() == 8)) {
    const int year = Number(std::string_view(digits).substr(0, 4));
    const int month = Number(std::string_view(digits).substr(4, 2));
    const int day = Number(std::string_view(digits).substr(6, 2));
    if (year >= 1979 && month >= 1 && month <= 12 && day >= 1 && day <= DaysInMonth(year, month)) {
      return DaysFromCivil(year, month, day);
    }
  }
  return Fail(ErrorCode::kInvalidArgument,
              "'" + std::string(text) + "' is not a date (expected YYYY-MM-DD, from 1979)");
}

Result<std::vector<RemoteFile>> ParseMasterFileList(std::string_view text, bool mentions) {
  std::vector<RemoteFile> files;
  std::size_t line_number = 0;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++line_number;
    const auto words = Words(line);
    if (words.empty()) {
      continue;
    }
    std::uint64_t size = 0;
    const auto [ptr, ec] =
        std::from_chars(words[0].data(), words[0].data() + words[0].size(), size);
    if (words.size() != 3 || ec != std::errc() || ptr != words[0].data() + words[0].size() ||
        !IsMd5(words[1])) {
      return Fail(ErrorCode::kInvalidData,
                  "not a master file list line (expected 'SIZE MD5 URL'): '" +
                      std::string(line.substr(0, 120)) + "'",
                  "masterfilelist.txt:" + std::to_string(line_number));
    }
    const std::string_view url = words[2];
    const std::size_t slash = url.rfind('/');
    const std::string name(url.substr(slash + 1));
    const bool wanted =
        name.ends_with(".export.CSV.zip") || (mentions && name.ends_with(".mentions.CSV.zip"));
    if (!wanted) {
      continue;
    }
    const auto span = SpanOfName(name);
    if (!span) {
      continue;
    }
    RemoteFile file;
    file.name = name;
    file.path = "/gdeltv2/" + name;
    file.size = size;
    file.md5 = std::string(words[1]);
    file.first_day = span->first;
    file.last_day = span->second;
    files.push_back(std::move(file));
  }
  return files;
}

Result<std::vector<RemoteFile>> ParseV1Index(std::string_view text) {
  std::vector<RemoteFile> files;
  std::size_t line_number = 0;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++line_number;
    const auto words = Words(line);
    if (words.empty()) {
      continue;
    }
    if (words.size() != 2 || !IsMd5(words[0])) {
      return Fail(
          ErrorCode::kInvalidData,
          "not an md5sums line (expected 'MD5  NAME'): '" + std::string(line.substr(0, 120)) + "'",
          "md5sums:" + std::to_string(line_number));
    }
    const std::string name(words[1]);
    const std::string_view digits = std::string_view(name).substr(0, name.find('.'));
    const bool daily = digits.size() == 8 && name.ends_with(".export.CSV.zip");
    const bool archive =
        (digits.size() == 6 || digits.size() == 4) && name == std::string(digits) + ".zip";
    if (!AllDigits(digits) || !(daily || archive)) {
      continue;
    }
    const auto span = SpanOfName(name);
    if (!span) {
      continue;
    }
    RemoteFile file;
    file.name = name;
    file.path = "/events/" + name;
    file.md5 = std::string(words[0]);
    file.first_day = span->first;
    file.last_day = span->second;
    files.push_back(std::move(file));
  }
  return files;
}

Result<FetchReport> FetchFiles(const FetchOptions& options) {
  auto base = SplitBaseUrl(options.base_url);
  if (!base) {
    return Fail(base.error());
  }
  if (options.version != 1 && options.version != 2) {
    return Fail(ErrorCode::kInvalidArgument,
                "GDELT version " + std::to_string(options.version) + " (expected 1 or 2)");
  }
  std::error_code error;
  fs::create_directories(options.dir, error);
  if (error) {
    return Fail(ErrorCode::kUnavailable, "cannot create the directory: " + error.message(),
                options.dir);
  }
  Fetcher fetcher(options, *base);
  const std::string list_path =
      options.version == 2 ? "/gdeltv2/masterfilelist.txt" : "/events/md5sums";
  auto list_text = fetcher.GetText(list_path);
  if (!list_text) {
    return Fail(list_text.error());
  }
  auto listed = options.version == 2 ? ParseMasterFileList(*list_text, options.mentions)
                                     : ParseV1Index(*list_text);
  if (!listed) {
    return Fail(listed.error());
  }
  std::vector<RemoteFile> wanted;
  for (auto& file : *listed) {
    if (file.last_day >= options.since && (!options.until || file.first_day <= *options.until)) {
      wanted.push_back(std::move(file));
    }
  }
  std::sort(wanted.begin(), wanted.end(),
            [](const RemoteFile& a, const RemoteFile& b) { return a.name < b.name; });
  FetchReport report;
  report.listed = wanted.size();
  for (const auto& file : wanted) {
    auto fetched = fetcher.Download(file);
    if (fetched) {
      fetcher.Log(
          (fetched->downloaded ? (fetched->resumed ? "resumed  " : "fetched  ") : "present  ") +
          file.name);
      report.files.push_back(std::move(*fetched));
    } else {
      Error failure = fetched.error();
      failure.message = file.name + ": " + failure.message;
      fetcher.Log("FAILED   " + failure.message);
      report.failures.push_back(std::move(failure));
    }
  }
  return report;
}

}  // namespace citydip::ingest::gdelt
