// An open-addressing hash table (linear probing, power-of-two capacity) for the aggregation hot
// path: slots hold the key and the index of a dense entry, so lookups touch one cache line and
// iteration, merging and clearing walk a compact vector. Internal to the GDELT reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace citydip::ingest::gdelt::internal {

/// Mixes 64 bits (the MurmurHash3 finalizer).
inline std::uint64_t Mix64(std::uint64_t value) {
  value ^= value >> 33;
  value *= 0xff51afd7ed558ccdULL;
  value ^= value >> 33;
  value *= 0xc4ceb9fe1a85ec53ULL;
  value ^= value >> 33;
  return value;
}

/// `Hash` is a callable returning a 64-bit hash of a Key; Keys compare with ==.
template <typename Key, typename Value, typename Hash>
class FlatTable {
 public:
  explicit FlatTable(std::size_t initial_capacity = 256) { Reset(initial_capacity); }

  /// The value for `key`, default-constructed on first use. References stay valid until the
  /// next insertion.
  Value& operator[](const Key& key) { return entries_[IndexOf(key)].second; }

  /// The dense index of `key` (inserted when absent); stable until Clear().
  std::uint32_t IndexOf(const Key& key) {
    std::size_t slot = Hash{}(key)&mask_;
    while (true) {
      Slot& candidate = slots_[slot];
      if (candidate.index == 0) {
        if ((entries_.size() + 1) * 2 > slots_.size()) {
          Grow();
          return IndexOf(key);
        }
        entries_.emplace_back(key, Value{});
        candidate.key = key;
        candidate.index = static_cast<std::uint32_t>(entries_.size());
        return candidate.index - 1;
      }
      if (candidate.key == key) {
        return candidate.index - 1;
      }
      slot = (slot + 1) & mask_;
    }
  }

  Value& At(std::uint32_t index) { return entries_[index].second; }

  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  [[nodiscard]] bool empty() const { return entries_.empty(); }
  [[nodiscard]] const std::vector<std::pair<Key, Value>>& entries() const { return entries_; }

  /// Empties the table, keeping its capacity (reused for the next file) unless it grew past
  /// `keep_capacity` slots.
  void Clear(std::size_t keep_capacity = std::size_t{1} << 20) {
    if (slots_.size() > keep_capacity) {
      Reset(256);
      return;
    }
    for (auto& slot : slots_) {
      slot.index = 0;
    }
    entries_.clear();
  }

  /// Adds every entry of `other` into this table with Value::Add.
  void MergeFrom(const FlatTable& other) {
    for (const auto& [key, value] : other.entries_) {
      (*this)[key].Add(value);
    }
  }

  /// Approximate heap bytes held.
  [[nodiscard]] std::size_t MemoryBytes() const {
    return slots_.capacity() * sizeof(Slot) + entries_.capacity() * sizeof(std::pair<Key, Value>);
  }

 private:
  struct Slot {
    Key key{};
    std::uint32_t index = 0;  // 1 + index into entries_; 0 = empty
  };

  void Reset(std::size_t capacity) {
    std::size_t size = 16;
    while (size < capacity) {
      size *= 2;
    }
    slots_.assign(size, Slot{});
    mask_ = size - 1;
    entries_.clear();
  }

  void Grow() {
    std::vector<Slot> bigger(slots_.size() * 2);
    const std::size_t mask = bigger.size() - 1;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      std::size_t slot = Hash{}(entries_[i].first) & mask;
      while (bigger[slot].index != 0) {
        slot = (slot + 1) & mask;
      }
      bigger[slot].key = entries_[i].first;
      bigger[slot].index = static_cast<std::uint32_t>(i + 1);
    }
    slots_ = std::move(bigger);
    mask_ = mask;
  }

  std::vector<Slot> slots_;
  std::vector<std::pair<Key, Value>> entries_;
  std::size_t mask_ = 0;
};

/// A barometer group: the period (first day) and two actor ids (packed country codes or city
/// indices).
struct PairKey {
  std::int32_t period = 0;
  std::uint32_t actor1 = 0;
  std::uint32_t actor2 = 0;

  friend bool operator==(const PairKey&, const PairKey&) = default;
};

struct PairKeyHash {
  std::uint64_t operator()(const PairKey& key) const {
    return Mix64((std::uint64_t{key.actor1} << 32 | key.actor2) ^
                 (static_cast<std::uint64_t>(static_cast<std::uint32_t>(key.period)) *
                  0x9E3779B97F4A7C15ULL));
  }
};

struct PeriodHash {
  std::uint64_t operator()(std::int32_t period) const {
    return Mix64(static_cast<std::uint64_t>(static_cast<std::uint32_t>(period)));
  }
};

}  // namespace citydip::ingest::gdelt::internal
