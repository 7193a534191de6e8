#include "citydip/report/pdf.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <thread>
#include <vector>

#include <sys/stat.h>
#include <sys/wait.h>

#include "citydip/report/internal/temp_dir.h"

extern char** environ;  // NOLINT: POSIX

namespace citydip::report {
namespace {

constexpr std::string_view kInstallHint =
    "PDF reports need Chromium: install Debian's chromium and fonts-noto-cjk (apt-get install "
    "chromium fonts-noto-cjk, or run scripts/install-deps), or set CITYDIP_CHROMIUM to a "
    "Chromium executable; HTML and XLSX reports work without it";

bool IsExecutable(const std::string& path) {
  struct stat info {};
  return stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) && access(path.c_str(), X_OK) == 0;
}

/// `name` itself when it contains a slash, else its first match on PATH; "" when none.
std::string LookUp(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    return IsExecutable(name) ? name : "";
  }
  const char* path = std::getenv("PATH");
  const std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    const std::string dir = dirs.substr(start, end - start);
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (IsExecutable(candidate)) {
      return candidate;
    }
    start = end + 1;
  }
  return "";
}

/// Runs `argv` with stdout and stderr sent to `log`, killing it after `timeout`. Returns the exit
/// status, or an error when it could not start or timed out.
Result<int> Run(const std::vector<std::string>& argv,
                const std::string& log,
                std::chrono::seconds timeout) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Its own process group, so that a timeout ends Chromium's helper processes too.
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));
  }
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned =
      posix_spawn(&pid, argv.front().c_str(), &actions, &attributes, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) {
    return Fail(ErrorCode::kUnavailable,
                "cannot start Chromium (error " + std::to_string(spawned) + ")", argv.front());
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (true) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      break;
    }
    if (done < 0 && errno != EINTR) {
      return Fail(ErrorCode::kInternal, "cannot wait for Chromium", argv.front());
    }
    if (std::chrono::steady_clock::now() > deadline) {
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      return Fail(
          ErrorCode::kUnavailable,
          "Chromium did not finish printing within " + std::to_string(timeout.count()) + " s",
          argv.front());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // Helpers Chromium left behind in its group.
  kill(-pid, SIGKILL);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/// The last non-empty line of Chromium's output that reads like an error, for messages.
std::string LastError(const std::string& log) {
  std::string last;
  std::size_t start = 0;
  while (start < log.size()) {
    std::size_t end = log.find('\n', start);
    if (end == std::string::npos) {
      end = log.size();
    }
    const std::string line = log.substr(start, end - start);
    if (line.find("ERROR") != std::string::npos && line.find("dbus") == std::string::npos) {
      last = line;
    }
    start = end + 1;
  }
  return last.size() > 300 ? last.substr(0, 300) : last;
}

}  // namespace

Result<std::string> FindChromium() {
  if (const char* configured = std::getenv("CITYDIP_CHROMIUM");
      configured != nullptr && *configured != '\0') {
    std::string found = LookUp(configured);
    if (found.empty()) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "CITYDIP_CHROMIUM names no executable: " + std::string(kInstallHint), configured);
    }
    return found;
  }
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    std::string found = LookUp(name);
    if (!found.empty()) {
      return found;
    }
  }
  return Fail(ErrorCode::kFailedPrecondition,
              "chromium is not installed; " + std::string(kInstallHint));
}

Result<std::string> RenderPdf(const std::string& html, std::chrono::seconds timeout) {
  auto chromium = FindChromium();
  if (!chromium) {
    return Fail(chromium.error());
  }
  auto dir = internal::TempDir::Create();
  if (!dir) {
    return Fail(dir.error());
  }
  const std::string html_path = dir->path() + "/report.html";
  const std::string pdf_path = dir->path() + "/report.pdf";
  const std::string log_path = dir->path() + "/chromium.log";
  if (auto status = internal::WriteFileBytes(html_path, html); !status) {
    return Fail(status.error());
  }
  const std::vector<std::string> argv = {
      *chromium,
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-extensions",
      "--disable-background-networking",
      "--no-pdf-header-footer",
      "--user-data-dir=" + dir->path() + "/profile",
      "--print-to-pdf=" + pdf_path,
      "file://" + html_path,
  };
  auto exit = Run(argv, log_path, timeout);
  if (!exit) {
    return Fail(exit.error());
  }
  auto pdf = internal::ReadFileBytes(pdf_path);
  if (*exit != 0 || !pdf || CountPdfPages(*pdf) == 0) {
    auto log = internal::ReadFileBytes(log_path);
    const std::string detail = log ? LastError(*log) : "";
    return Fail(ErrorCode::kUnavailable,
                "Chromium did not print the PDF (exit status " + std::to_string(*exit) + ")" +
                    (detail.empty() ? "" : ": " + detail),
                *chromium);
  }
  return pdf;
}

std::size_t CountPdfPages(const std::string& pdf) {
  if (!pdf.starts_with("%PDF")) {
    return 0;
  }
  // "/Type /Page" (any white space between), not "/Type /Pages".
  std::size_t pages = 0;
  for (std::size_t at = pdf.find("/Type"); at != std::string::npos;
       at = pdf.find("/Type", at + 1)) {
    std::size_t pos = at + 5;
    while (pos < pdf.size() &&
           (pdf[pos] == ' ' || pdf[pos] == '\n' || pdf[pos] == '\r' || pdf[pos] == '\t')) {
      ++pos;
    }
    if (pdf.compare(pos, 5, "/Page") != 0) {
      continue;
    }
    pos += 5;
    if (pos >= pdf.size() || !std::isalpha(static_cast<unsigned char>(pdf[pos]))) {
      ++pages;
    }
  }
  return pages;
}

}  // namespace citydip::report
