#include "citydip/ingest/gdelt/internal/mapped_window.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <string>

#include <sys/mman.h>

namespace citydip::ingest::gdelt::internal {

struct MappedWindow::Guard {
  std::atomic<std::uintptr_t> begin{0};
  std::atomic<std::uintptr_t> end{0};  // page-rounded end of the mapping; 0: no window
  std::atomic<bool> truncated{false};
};

namespace {

static_assert(std::atomic<std::uintptr_t>::is_always_lock_free &&
                  std::atomic<bool>::is_always_lock_free,
              "the SIGBUS handler reads these");

std::size_t PageSize() {
  static const auto size = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  return size;
}

struct sigaction g_previous {};  // what SIGBUS did before the handler was installed

}  // namespace

thread_local MappedWindow::Guard* MappedWindow::current_ = nullptr;

void MappedWindow::OnSigbus(int signal, siginfo_t* info, void* context) {
  static_cast<void>(signal);
  Guard* guard = current_;
  const auto address = reinterpret_cast<std::uintptr_t>(info->si_addr);
  if (guard != nullptr) {
    const std::uintptr_t begin = guard->begin.load(std::memory_order_relaxed);
    const std::uintptr_t end = guard->end.load(std::memory_order_relaxed);
    if (address >= begin && address < end) {
      // The rest of the window reads as zeros from now on; the faulting read is retried.
      const std::uintptr_t page = address & ~(static_cast<std::uintptr_t>(PageSize()) - 1);
      void* zeros = mmap(reinterpret_cast<void*>(page), end - page, PROT_READ,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
      if (zeros != MAP_FAILED) {
        guard->truncated.store(true, std::memory_order_relaxed);
        return;
      }
    }
  }
  // Not a window's fault: what SIGBUS did before.
  if ((g_previous.sa_flags & SA_SIGINFO) != 0 && g_previous.sa_sigaction != nullptr) {
    g_previous.sa_sigaction(signal, info, context);
    return;
  }
  if (g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN &&
      g_previous.sa_handler != nullptr) {
    g_previous.sa_handler(signal);
    return;
  }
  // The default action: returning retries the faulting access, which now ends the process.
  struct sigaction fallback {};
  fallback.sa_handler = SIG_DFL;
  sigemptyset(&fallback.sa_mask);
  sigaction(SIGBUS, &fallback, nullptr);
}

void MappedWindow::InstallHandler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction action {};
    action.sa_sigaction = &MappedWindow::OnSigbus;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    sigaction(SIGBUS, &action, &g_previous);
  });
}

Result<MappedWindow> MappedWindow::Map(int fd, std::uint64_t offset, std::size_t size) {
  InstallHandler();
  void* map = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, static_cast<off_t>(offset));
  if (map == MAP_FAILED) {
    return Fail(ErrorCode::kUnavailable,
                std::string("cannot map the file into memory: ") + std::strerror(errno));
  }
  thread_local Guard guard;
  current_ = &guard;
  const auto begin = reinterpret_cast<std::uintptr_t>(map);
  const std::size_t page = PageSize();
  guard.truncated.store(false, std::memory_order_relaxed);
  guard.begin.store(begin, std::memory_order_relaxed);
  guard.end.store(begin + (size + page - 1) / page * page, std::memory_order_relaxed);
  std::atomic_signal_fence(std::memory_order_seq_cst);
  return MappedWindow(static_cast<const char*>(map), size, &guard);
}

MappedWindow::MappedWindow(MappedWindow&& other) noexcept
    : data_(other.data_), size_(other.size_), guard_(other.guard_) {
  other.data_ = nullptr;
  other.size_ = 0;
  other.guard_ = nullptr;
}

MappedWindow::~MappedWindow() {
  if (data_ == nullptr) {
    return;
  }
  guard_->end.store(0, std::memory_order_relaxed);
  guard_->begin.store(0, std::memory_order_relaxed);
  std::atomic_signal_fence(std::memory_order_seq_cst);
  munmap(const_cast<char*>(data_), size_);
}

bool MappedWindow::truncated() const {
  std::atomic_signal_fence(std::memory_order_seq_cst);
  return guard_ != nullptr && guard_->truncated.load(std::memory_order_relaxed);
}

}  // namespace citydip::ingest::gdelt::internal
