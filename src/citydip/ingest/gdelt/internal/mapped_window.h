// A window of a file mapped into memory for reading, which a file cut short while it is read
// cannot crash. Internal to the GDELT reader.
//
// Reading a plain file through a mapping saves the copy read() makes into a buffer (about a
// sixth of the CPU of a plain ingest). But when a mapped file shrinks, touching its pages past
// the new end raises SIGBUS, which kills the process. So, while a thread holds a window, a
// SIGBUS handler (installed once, on the first window) that finds the faulting address inside
// that thread's window maps zero pages over the rest of the window and marks it `truncated`; the
// read goes on over zeros, and the reader fails the file. A SIGBUS outside every window goes to
// the handler that was there before (or to the default action, which ends the process as it
// would have without this one).
#pragma once

#include <signal.h>

#include <cstddef>
#include <cstdint>

#include "citydip/core/result.h"

namespace citydip::ingest::gdelt::internal {

class MappedWindow {
 public:
  /// Maps `size` (> 0) bytes of `fd` from `offset` (a multiple of the page size) read-only, as
  /// this thread's window. A thread holds at most one window at a time.
  [[nodiscard]] static Result<MappedWindow> Map(int fd, std::uint64_t offset, std::size_t size);

  MappedWindow(MappedWindow&& other) noexcept;
  MappedWindow& operator=(MappedWindow&&) = delete;
  MappedWindow(const MappedWindow&) = delete;
  MappedWindow& operator=(const MappedWindow&) = delete;
  ~MappedWindow();

  [[nodiscard]] const char* data() const { return data_; }
  [[nodiscard]] std::size_t size() const { return size_; }

  /// True once a read of the window touched a page the file no longer had (it was cut short,
  /// or the page could not be read): that page and the rest of the window read as zeros.
  [[nodiscard]] bool truncated() const;

 private:
  struct Guard;  // this thread's window, as the SIGBUS handler sees it

  MappedWindow(const char* data, std::size_t size, Guard* guard)
      : data_(data), size_(size), guard_(guard) {}
  static void OnSigbus(int signal, siginfo_t* info, void* context);
  static void InstallHandler();

  static thread_local Guard* current_;  // the guard of this thread's window

  const char* data_ = nullptr;
  std::size_t size_ = 0;
  Guard* guard_ = nullptr;
};

}  // namespace citydip::ingest::gdelt::internal
