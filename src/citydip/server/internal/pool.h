// A pool of per-thread resources (store connections): stores are not thread-safe, so each request
// borrows one for its duration and gives it back. Connections are opened on demand and kept.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "citydip/core/result.h"

namespace citydip::server::internal {

template <typename T>
class Pool {
 public:
  using Opener = std::function<Result<std::unique_ptr<T>>()>;

  /// A borrowed resource; returned to the pool when the lease ends.
  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<T> item) : pool_(pool), item_(std::move(item)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() {
      if (item_ != nullptr) {
        pool_->Return(std::move(item_));
      }
    }
    T& operator*() const { return *item_; }
    T* operator->() const { return item_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<T> item_;
  };

  explicit Pool(Opener opener) : opener_(std::move(opener)) {}

  /// A free resource, or a newly opened one.
  [[nodiscard]] Result<Lease> Acquire() {
    {
      std::lock_guard lock(mutex_);
      if (!free_.empty()) {
        auto item = std::move(free_.back());
        free_.pop_back();
        return Lease(this, std::move(item));
      }
    }
    auto opened = opener_();
    if (!opened) {
      return Fail(opened.error());
    }
    return Lease(this, std::move(*opened));
  }

 private:
  void Return(std::unique_ptr<T> item) {
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(item));
  }

  Opener opener_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<T>> free_;
};

}  // namespace citydip::server::internal
