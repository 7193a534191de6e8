#include "citydip/ingest/gdelt/gdelt_ingest.h"

#include <fcntl.h>
#include <glob.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <iterator>
#include <mutex>
#include <optional>
#include <set>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <sys/stat.h>

#include "citydip/core/text.h"
#include "citydip/ingest/gdelt/internal/file_scanner.h"
#include "citydip/ingest/gdelt/internal/md5_lanes.h"

namespace citydip::ingest::gdelt {
namespace {

namespace fs = std::filesystem;

std::string BaseName(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool HasGlobCharacters(const std::string& text) {
  return text.find_first_of("*?[") != std::string::npos;
}

bool IsDataFileName(const std::string& name) {
  const std::string lower = ToLowerAscii(name);
  return lower.ends_with(".csv") || lower.ends_with(".zip");
}

}  // namespace

std::string_view BadRowReasonName(BadRowReason reason) {
  switch (reason) {
    case BadRowReason::kColumnCount:
      return "wrong column count";
    case BadRowReason::kNonNumeric:
      return "non-numeric value";
    case BadRowReason::kOutOfRange:
      return "out-of-range value";
    case BadRowReason::kInvalidUtf8:
      return "invalid UTF-8";
  }
  return "wrong column count";
}

std::string CountryCodeText(std::uint32_t packed) {
  return internal::UnpackCode(packed);
}

std::string BadRowExample::ToString() const {
  std::string out = file + ":" + std::to_string(line) + ": ";
  out += message;
  return out;
}

Result<BadRowLimit> BadRowLimit::Parse(std::string_view text) {
  const auto bad = [&] {
    return Fail(ErrorCode::kInvalidArgument,
                "--max-bad-rows '" + std::string(text) +
                    "' is not a limit (expected a percentage such as 1% or a row count such as "
                    "100)");
  };
  BadRowLimit limit;
  const std::string_view trimmed = Trim(text);
  if (trimmed.empty()) {
    return bad();
  }
  if (trimmed.back() == '%') {
    const std::string_view number = trimmed.substr(0, trimmed.size() - 1);
    double percent = 0;
    const auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), percent);
    if (number.empty() || ec != std::errc() || ptr != number.data() + number.size() ||
        percent < 0 || percent > 100) {
      return bad();
    }
    limit.fraction = percent / 100.0;
    return limit;
  }
  std::uint64_t count = 0;
  const auto [ptr, ec] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), count);
  if (ec != std::errc() || ptr != trimmed.data() + trimmed.size()) {
    return bad();
  }
  limit.count = count;
  return limit;
}

bool BadRowLimit::Exceeded(std::uint64_t bad, std::uint64_t total) const {
  if (count) {
    return bad > *count;
  }
  return static_cast<double>(bad) > fraction * static_cast<double>(total);
}

std::string BadRowLimit::ToString() const {
  if (count) {
    return std::to_string(*count);
  }
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), fraction * 100.0);
  return std::string(buffer, end) + "%";
}

Result<std::vector<std::string>> ParseCountryList(std::string_view text) {
  std::vector<std::string> codes;
  while (true) {
    const std::size_t comma = text.find(',');
    const std::string_view code = Trim(text.substr(0, comma));
    if (!code.empty()) {
      bool valid = code.size() == 3;
      for (char c : code) {
        valid = valid && c >= 'A' && c <= 'Z';
      }
      if (!valid) {
        return Fail(ErrorCode::kInvalidArgument,
                    "--countries: '" + std::string(code) +
                        "' is not a CAMEO country code (expected 3 upper-case letters such as "
                        "KOR)");
      }
      codes.emplace_back(code);
    }
    if (comma == std::string_view::npos) {
      break;
    }
    text.remove_prefix(comma + 1);
  }
  return codes;
}

Result<std::vector<std::string>> ExpandInputs(const std::vector<std::string>& inputs) {
  std::vector<std::string> files;
  for (const auto& input : inputs) {
    std::error_code error;
    const fs::file_status status = fs::status(input, error);
    if (!error && fs::is_directory(status)) {
      std::vector<std::string> found;
      for (const auto& entry : fs::recursive_directory_iterator(input, error)) {
        if (entry.is_regular_file() && IsDataFileName(entry.path().filename().string())) {
          found.push_back(entry.path().string());
        }
      }
      if (error) {
        return Fail(ErrorCode::kUnavailable, "cannot list the directory: " + error.message(),
                    input);
      }
      if (found.empty()) {
        return Fail(ErrorCode::kNotFound,
                    "the directory holds no .csv or .zip file, even in subdirectories (expected "
                    "GDELT files)",
                    input);
      }
      files.insert(files.end(), found.begin(), found.end());
    } else if (!error && fs::exists(status)) {
      files.push_back(input);
    } else if (HasGlobCharacters(input)) {
      glob_t matches{};
      const int rc = glob(input.c_str(), 0, nullptr, &matches);
      std::size_t added = 0;
      if (rc == 0) {
        for (std::size_t i = 0; i < matches.gl_pathc; ++i) {
          if (fs::is_regular_file(matches.gl_pathv[i], error)) {
            files.emplace_back(matches.gl_pathv[i]);
            ++added;
          }
        }
      }
      globfree(&matches);
      if (added == 0) {
        return Fail(ErrorCode::kNotFound, "the pattern matches no file", input);
      }
    } else {
      return Fail(ErrorCode::kNotFound,
                  "no such file or directory (expected GDELT files, directories or glob patterns)",
                  input);
    }
  }
  // Sorted, without the same file twice (named two ways).
  std::sort(files.begin(), files.end());
  std::vector<std::string> unique;
  std::set<std::string> seen;
  for (auto& file : files) {
    std::error_code error;
    const std::string canonical = fs::weakly_canonical(file, error).string();
    if (seen.insert(error ? file : canonical).second) {
      unique.push_back(std::move(file));
    }
  }
  return unique;
}

Result<std::string> Md5OfFile(const std::string& path) {
  auto digests = internal::Md5OfFiles({path});
  if (!digests[0]) {
    return Fail(digests[0].error());
  }
  return std::move(digests[0]->md5);
}

namespace {

/// The state the worker threads share.
class Run {
 public:
  Run(const std::vector<std::string>& paths,
      const IngestOptions& options,
      const std::vector<KnownFile>& known,
      const CommitFn& commit)
      : options_(options), commit_(commit) {
    report_.files.resize(paths.size());
    for (std::size_t i = 0; i < paths.size(); ++i) {
      report_.files[i].path = paths[i];
      report_.files[i].name = BaseName(paths[i]);
      std::error_code error;
      const auto size = fs::file_size(paths[i], error);
      bytes_total_ += error ? 0 : size;
    }
    for (const auto& file : known) {
      known_by_name_.emplace(file.name, &file);
      if (!file.md5.empty()) {
        known_md5_.emplace(file.md5, file.name);
      }
    }
    config_.period = options.period;
    for (const auto& code : options.countries) {
      config_.countries.push_back(internal::PackCode(code.data(), code.size()));
    }
    config_.cities = options.cities;
    config_.limit = options.max_bad_rows;
    config_.examples_per_reason = options.examples_per_reason;
    config_.kernel = options.scan_kernel;
    config_.max_file_groups = options.max_file_groups;
    if (!options.keep_events) {
      config_.big_groups = options.flush_groups;
      config_.permits = &big_permits_;
    }
    config_.max_file_rows = std::min(options.max_file_rows, config_.max_file_rows);
    max_batch_rows_ = std::min(options.max_batch_rows, internal::kMaxBatchRows);
    config_.keep_events = options.keep_events;
    if (options.keep_events && options.spill_events) {
      config_.spill_events = &options_.spill_events;
      config_.spill_rows = std::max<std::size_t>(options.spill_rows, 1);
    }
  }

  Result<IngestReport> Execute(const ProgressFn& progress) {
    const auto started = std::chrono::steady_clock::now();
    const std::size_t count = report_.files.size();
    int threads = options_.threads > 0 ? options_.threads
                                       : static_cast<int>(std::thread::hardware_concurrency());
    threads =
        std::max(1, std::min<int>(threads, static_cast<int>(std::max<std::size_t>(count, 1))));
    report_.threads = threads;
    if (options_.compute_md5) {
      GroupForHashing();
    }
    std::vector<std::thread> workers;
    workers.reserve(static_cast<std::size_t>(threads));
    for (int i = 0; i < threads; ++i) {
      workers.emplace_back([this] { Work(); });
    }
    const auto snapshot = [&] {
      IngestProgress now;
      now.files_done = files_done_.load();
      now.files_total = count;
      now.rows = counters_.rows.load();
      now.bytes_done = counters_.bytes_read.load();
      now.bytes_total = bytes_total_;
      now.seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      return now;
    };
    {
      std::unique_lock lock(done_mutex_);
      while (!done_cv_.wait_for(lock, std::chrono::milliseconds(200),
                                [&] { return workers_done_ == threads; })) {
        if (progress) {
          lock.unlock();
          progress(snapshot());
          lock.lock();
        }
      }
    }
    for (auto& worker : workers) {
      worker.join();
    }
    if (!commit_error_) {
      Flush();
    }
    if (progress) {
      progress(snapshot());
    }
    report_.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    Summarize();
    if (commit_error_) {
      return Fail(*commit_error_);
    }
    return std::move(report_);
  }

 private:
  void Work() {
    internal::FileScanner scanner;
    internal::FileAggregates local;
    while (true) {
      std::size_t index = next_.fetch_add(1);
      if (index < hash_groups_.size()) {
        // Always hashed, even after a failure: a scan taken earlier may wait for it.
        Hash(hash_groups_[index]);
        continue;
      }
      index -= hash_groups_.size();
      if (stop_.load() || index >= report_.files.size()) {
        break;
      }
      if (Process(scanner, local, index)) {
        files_done_.fetch_add(1);
      }
    }
    std::lock_guard lock(done_mutex_);
    ++workers_done_;
    done_cv_.notify_all();
  }

  // Splits the files into groups hashed together (internal/md5_lanes.h): as few as the lanes of
  // one register allow (16 files each), since lanes cost the same busy or idle, and of even
  // sizes. The work queue hands out the groups before any scan; a file scanned before its group
  // is hashed waits parked (Process), and the thread that hashes it finishes it.
  void GroupForHashing() {
    const std::size_t files = report_.files.size();
    const std::size_t groups = (files + kHashGroup - 1) / kHashGroup;
    digests_.resize(files);
    std::size_t first = 0;
    for (std::size_t g = 0; g < groups; ++g) {
      const std::size_t size = files / groups + (g < files % groups ? 1 : 0);
      hash_groups_.emplace_back(first, first + size);
      first += size;
    }
  }

  // Hashes files [first, last) together and publishes their digests.
  void Hash(const std::pair<std::size_t, std::size_t>& group) {
    std::vector<std::string> paths;
    for (std::size_t i = group.first; i < group.second; ++i) {
      paths.push_back(report_.files[i].path);
    }
    auto digests = internal::Md5OfFiles(paths);
    std::vector<Parked> ready;
    {
      std::lock_guard lock(digest_mutex_);
      for (std::size_t i = group.first; i < group.second; ++i) {
        digests_[i] = std::move(digests[i - group.first]);
      }
      for (auto it = parked_.begin(); it != parked_.end();) {
        if (it->index >= group.first && it->index < group.second) {
          parked_bytes_ -= it->bytes;
          ready.push_back(std::move(*it));
          it = parked_.erase(it);
        } else {
          ++it;
        }
      }
      digest_cv_.notify_all();
    }
    for (Parked& file : ready) {
      Finish(file.index, file.aggregates);
      files_done_.fetch_add(1);
    }
  }

  // The digest of file `index`, once its group is hashed.
  Result<internal::FileDigest> DigestOf(std::size_t index) {
    std::unique_lock lock(digest_mutex_);
    digest_cv_.wait(lock, [&] { return digests_[index].has_value(); });
    return *digests_[index];
  }

  // The MD5 of a scanned file, checked against what the scan read: a file that changed between
  // the two reads fails (its rows and its MD5 might not belong together).
  bool TakeMd5(std::size_t index, FileReport& file) {
    auto digest = DigestOf(index);
    if (!digest) {
      file.status = FileStatus::kFailed;
      file.error = digest.error();
      return false;
    }
    struct stat info {};
    const bool same =
        stat(file.path.c_str(), &info) == 0 && digest->size == file.size &&
        static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec ==
            digest->mtime_ns;
    if (!same) {
      file.status = FileStatus::kFailed;
      file.error = Error{ErrorCode::kUnavailable,
                         "the file changed while it was read (its MD5 and its rows may not "
                         "match); nothing of it was stored, ingest it again",
                         file.path};
      return false;
    }
    file.md5 = digest->md5;
    return true;
  }

  // Reads file `index`; false when it was parked to wait for its MD5 (it is then done later).
  bool Process(internal::FileScanner& scanner, internal::FileAggregates& local, std::size_t index) {
    FileReport& file = report_.files[index];
    if (const auto known = known_by_name_.find(file.name); known != known_by_name_.end()) {
      // Recorded under this name: a no-op when the content is the same, an error otherwise
      // (its aggregates are already in the tables and cannot be taken out again).
      std::error_code error;
      file.size = fs::file_size(file.path, error);
      counters_.bytes_read.fetch_add(file.size);
      if (!options_.compute_md5 || known->second->md5.empty()) {
        // Without MD5s, the name and the size are the identity.
        if (file.size == known->second->size) {
          file.status = FileStatus::kAlreadyIngested;
          file.error =
              Error{ErrorCode::kAlreadyExists, "already ingested (same name and size)", file.path};
        } else {
          file.status = FileStatus::kFailed;
          file.error = Error{ErrorCode::kAlreadyExists,
                             "a file named '" + file.name +
                                 "' was already ingested with another "
                                 "size (" +
                                 std::to_string(known->second->size) + " bytes, now " +
                                 std::to_string(file.size) + "); its aggregates cannot be replaced",
                             file.path};
        }
        return true;
      }
      auto digest = DigestOf(index);
      if (!digest) {
        file.status = FileStatus::kFailed;
        file.error = digest.error();
        return true;
      }
      const std::string* md5 = &digest->md5;
      file.md5 = *md5;
      if (*md5 == known->second->md5) {
        file.status = FileStatus::kAlreadyIngested;
        file.error =
            Error{ErrorCode::kAlreadyExists, "already ingested (same name and MD5)", file.path};
      } else {
        file.status = FileStatus::kFailed;
        file.error =
            Error{ErrorCode::kAlreadyExists,
                  "a file named '" + file.name +
                      "' was already ingested with other "
                      "content (MD5 " +
                      known->second->md5 + ", now " + *md5 + "); its aggregates cannot be replaced",
                  file.path};
      }
      return true;
    }
    if (!scanner.Scan(config_, local, file, counters_)) {
      return true;
    }
    if (options_.compute_md5) {
      std::unique_lock lock(digest_mutex_);
      if (!digests_[index].has_value()) {
        const std::size_t bytes = local.MemoryBytes();
        if (parked_bytes_ + bytes <= kParkedBytes) {
          // Its group is still being hashed: the file waits with its aggregates, the thread that
          // hashes it finishes it, and this thread goes on with the next file.
          parked_bytes_ += bytes;
          parked_.push_back(Parked{index, bytes, std::move(local)});
          local = internal::FileAggregates();
          return false;
        }
        digest_cv_.wait(lock, [&] { return digests_[index].has_value(); });
      }
    }
    Finish(index, local);
    local.Clear();  // gives a big table's memory and permit back now, not at the next file
    return true;
  }

  // What follows the scan of file `index`: its MD5, then its aggregates join the batch.
  void Finish(std::size_t index, internal::FileAggregates& local) {
    FileReport& file = report_.files[index];
    if (options_.compute_md5 && !TakeMd5(index, file)) {
      local.Clear();
      return;
    }
    if (config_.keep_events && file.kind == FileKind::kMentions) {
      // The row store keeps events only: a mentions file is left out, not recorded (a directory
      // of GDELT downloads holds both kinds).
      file.status = FileStatus::kSkipped;
      file.error = Error{ErrorCode::kFailedPrecondition,
                         "skipped: a GDELT 2.0 mentions file, and event rows are stored here "
                         "(ingest mentions into the local tables for the media volume)",
                         file.path};
      return;
    }
    std::lock_guard lock(batch_mutex_);
    if (stop_.load()) {
      file.status = FileStatus::kFailed;
      file.error =
          Error{ErrorCode::kUnavailable, "not stored: an earlier commit failed", file.path};
      return;
    }
    if (const auto same = known_md5_.find(file.md5);
        !file.md5.empty() && same != known_md5_.end()) {
      file.status = FileStatus::kAlreadyIngested;
      file.error =
          Error{ErrorCode::kAlreadyExists,
                "already ingested: same content (MD5) as '" + same->second + "'", file.path};
      return;
    }
    if (const auto same = run_names_.find(file.name); same != run_names_.end()) {
      file.status = FileStatus::kFailed;
      file.error = Error{ErrorCode::kAlreadyExists,
                         "another file named '" + file.name + "' (" + same->second +
                             ") is ingested in this run; file names must be unique",
                         file.path};
      return;
    }
    // The batch's 32-bit counts stay exact, and it never holds more than flush_groups groups
    // (besides a single file bigger than that).
    if (batch_rows_ + file.rows > max_batch_rows_ ||
        batch_.groups() + local.groups() > options_.flush_groups) {
      FlushLocked();
      if (stop_.load()) {
        file.status = FileStatus::kFailed;
        file.error =
            Error{ErrorCode::kUnavailable, "not stored: an earlier commit failed", file.path};
        return;
      }
    }
    if (!file.md5.empty()) {
      known_md5_.emplace(file.md5, file.name);
    }
    run_names_.emplace(file.name, file.path);
    batch_rows_ += file.rows;
    batch_events_per_file_.push_back(local.events.size());
    if (batch_files_.empty()) {
      // The batch's first file becomes the batch: its tables (and a big file's rows) are not
      // copied, nor held twice.
      std::swap(batch_, local);
    } else {
      batch_.MergeFrom(local);
    }
    batch_files_.push_back(&file);
    if (batch_.groups() >= options_.flush_groups) {
      FlushLocked();
    }
  }

  void Flush() {
    std::lock_guard lock(batch_mutex_);
    FlushLocked();
  }

  void FlushLocked() {
    if (batch_files_.empty()) {
      return;
    }
    IngestBatch batch;
    batch.files = batch_files_;
    batch.barometer = batch_.PeriodRows(options_.period);
    internal::SortedPairs pairs(batch_, options_.cities);
    batch.next_pairs = [&pairs](std::vector<PairRow>& chunk) {
      return pairs.Next(chunk, internal::SortedPairs::kChunk);
    };
    batch.events = std::move(batch_.events);
    batch.events_per_file = std::move(batch_events_per_file_);
    Status committed = commit_ ? commit_(batch) : Ok();
    if (!committed) {
      commit_error_ = committed.error();
      stop_.store(true);
      for (const FileReport* file : batch_files_) {
        auto* mutable_file = const_cast<FileReport*>(file);
        mutable_file->status = FileStatus::kFailed;
        mutable_file->error = committed.error();
      }
    }
    batch_files_.clear();
    batch_events_per_file_.clear();
    batch_rows_ = 0;
    batch_.Clear();
  }

  void Summarize() {
    std::array<std::vector<const BadRowExample*>, kBadRowReasons> by_reason;
    for (FileReport& file : report_.files) {
      report_.input_bytes += file.size;
      report_.data_bytes += file.data_bytes;
      for (std::size_t r = 0; r < kBadRowReasons; ++r) {
        report_.bad_by_reason[r] += file.bad_by_reason[r];
      }
      report_.bad_rows += file.bad_rows;
      for (const auto& example : file.examples) {
        auto& list = by_reason[static_cast<std::size_t>(example.reason)];
        if (list.size() < options_.examples_per_reason) {
          list.push_back(&example);
        }
      }
      switch (file.status) {
        case FileStatus::kIngested:
          ++report_.ingested;
          report_.rows += file.rows;
          break;
        case FileStatus::kAlreadyIngested:
          ++report_.already_ingested;
          break;
        case FileStatus::kSkipped:
          ++report_.skipped;
          break;
        case FileStatus::kFailed:
          ++report_.failed;
          break;
      }
    }
    for (const auto& list : by_reason) {
      for (const BadRowExample* example : list) {
        report_.examples.push_back(*example);
      }
    }
  }

  const IngestOptions& options_;
  const CommitFn& commit_;
  internal::ScanConfig config_;
  // The one permit to hold a big file's tables (IngestOptions::flush_groups). Declared before
  // every table that may hold it, so that it outlives them.
  internal::BigTablePermit::Permits big_permits_{1};
  IngestReport report_;
  std::uint64_t bytes_total_ = 0;
  std::unordered_map<std::string, const KnownFile*> known_by_name_;

  static constexpr std::size_t kHashGroup = internal::kMd5MaxLanes;
  // Scanned files waiting for their MD5 with their aggregates, holding at most kParkedBytes
  // (beyond, a scan waits for its MD5 instead): peak memory stays bounded whatever the input. A
  // daily file's tables take 2 to 3 MB, so some 20 of them fit.
  struct Parked {
    std::size_t index;
    std::size_t bytes;
    internal::FileAggregates aggregates;
  };
  static constexpr std::size_t kParkedBytes = std::size_t{48} << 20;
  std::vector<Parked> parked_;
  std::size_t parked_bytes_ = 0;
  std::vector<std::pair<std::size_t, std::size_t>> hash_groups_;  // [first, last) file indices
  std::mutex digest_mutex_;
  std::condition_variable digest_cv_;
  std::vector<std::optional<Result<internal::FileDigest>>> digests_;  // per file, once hashed

  std::atomic<std::size_t> next_{0};
  std::atomic<std::size_t> files_done_{0};
  std::atomic<bool> stop_{false};
  internal::ScanCounters counters_;

  std::mutex batch_mutex_;  // guards the batch, the names and MD5s taken, the commit
  internal::FileAggregates batch_;
  std::uint64_t batch_rows_ = 0;  // rows of batch_files_
  std::uint64_t max_batch_rows_ = internal::kMaxBatchRows;
  std::vector<const FileReport*> batch_files_;
  std::vector<std::size_t> batch_events_per_file_;          // events each of batch_files_ gave
  std::unordered_map<std::string, std::string> known_md5_;  // MD5 -> file name
  std::unordered_map<std::string, std::string> run_names_;  // name -> path, this run
  std::optional<Error> commit_error_;

  std::mutex done_mutex_;
  std::condition_variable done_cv_;
  int workers_done_ = 0;
};

}  // namespace

std::vector<PairRow> AllPairs(const IngestBatch& batch) {
  std::vector<PairRow> all;
  std::vector<PairRow> chunk;
  while (batch.next_pairs && batch.next_pairs(chunk)) {
    std::move(chunk.begin(), chunk.end(), std::back_inserter(all));
  }
  return all;
}

Result<IngestReport> IngestFiles(const std::vector<std::string>& paths,
                                 const IngestOptions& options,
                                 const std::vector<KnownFile>& known,
                                 const CommitFn& commit,
                                 const ProgressFn& progress) {
  for (const auto& code : options.countries) {
    if (code.empty() || code.size() > 4) {
      return Fail(ErrorCode::kInvalidArgument,
                  "'" + code + "' is not a country code (expected a CAMEO code such as KOR)");
    }
  }
  if (options.flush_groups == 0) {
    return Fail(ErrorCode::kInvalidArgument, "flush_groups must be positive");
  }
  Run run(paths, options, known, commit);
  return run.Execute(progress);
}

}  // namespace citydip::ingest::gdelt
