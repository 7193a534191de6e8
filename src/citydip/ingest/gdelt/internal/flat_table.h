// An open-addressing hash table (linear probing, power-of-two capacity) for the aggregation hot
// path: slots hold the key and the index of a dense entry, so lookups touch one cache line and
// iteration, merging and clearing walk a compact vector. Internal to the GDELT reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
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

/// `Hash` is a callable returning a 64-bit hash of a Key; Keys compare with ==. Entries live in
/// blocks of kBlock, never moved once made: growing the table allocates one more block instead of
/// copying every entry into a vector twice as large, so that a big file's table (hundreds of
/// thousands of entries) neither holds up to twice the room it needs nor, while growing, its old
/// and new copies at once.
template <typename Key, typename Value, typename Hash>
class FlatTable {
 public:
  using Entry = std::pair<Key, Value>;
  static constexpr std::size_t kBlockShift = 10;
  static constexpr std::size_t kBlock = std::size_t{1} << kBlockShift;  // entries per block

  explicit FlatTable(std::size_t initial_capacity = 256) { Reset(initial_capacity); }

  /// The value for `key`, default-constructed on first use. References stay valid until Clear().
  Value& operator[](const Key& key) { return At(IndexOf(key)); }

  /// The dense index of `key` (inserted when absent); stable until Clear(). The probe is inlined
  /// into the row handler; inserting, rare after a file's first rows, is not.
  std::uint32_t IndexOf(const Key& key) { return IndexOf(key, Hash{}(key)); }

  /// IndexOf with the key's hash already computed.
  std::uint32_t IndexOf(const Key& key, std::uint64_t hash) {
    std::size_t slot = hash & mask_;
    while (true) {
      const Slot& candidate = slots_[slot];
      if (candidate.index == 0) {
        return Insert(key, slot);
      }
      if (candidate.key == key) {
        return candidate.index - 1;
      }
      slot = (slot + 1) & mask_;
    }
  }

  Value& At(std::uint32_t index) { return MutableEntry(index).second; }

  /// Asks the CPU to fetch the slot where the probe for `hash` starts (a hint: the table may
  /// grow before the probe).
  void PrefetchSlot(std::uint64_t hash) const { __builtin_prefetch(&slots_[hash & mask_]); }

  /// Entry `index` (< size()), in insertion order.
  [[nodiscard]] const Entry& EntryAt(std::size_t index) const {
    return blocks_[index >> kBlockShift][index & (kBlock - 1)];
  }

  /// Calls fn(key, value) for every entry, in insertion order.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (std::size_t i = 0; i < size_; ++i) {
      const Entry& entry = EntryAt(i);
      fn(entry.first, entry.second);
    }
  }

  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }

  /// Empties the table. It keeps its room (reused for the next file) while that holds at most
  /// `keep_entries` entries; a bigger table gives its memory back.
  void Clear(std::size_t keep_entries = std::size_t{1} << 19) {
    if (slots_.size() > 2 * keep_entries) {
      Reset(256);
      return;
    }
    for (auto& slot : slots_) {
      slot.index = 0;
    }
    size_ = 0;
  }

  /// Adds every entry of `other` into this table with Value::Add.
  void MergeFrom(const FlatTable& other) {
    other.ForEach([this](const Key& key, const Value& value) { (*this)[key].Add(value); });
  }

  /// Heap bytes held.
  [[nodiscard]] std::size_t MemoryBytes() const {
    return slots_.capacity() * sizeof(Slot) + blocks_.size() * kBlock * sizeof(Entry);
  }

 private:
  struct Slot {
    Key key{};
    std::uint32_t index = 0;  // 1 + index of the entry; 0 = empty
  };

  // Inserts `key` at `slot`, the empty slot its probe ended on.
  [[gnu::noinline]] std::uint32_t Insert(const Key& key, std::size_t slot) {
    if ((size_ + 1) * 2 > slots_.size()) {
      Grow();
      return IndexOf(key);
    }
    if (size_ == blocks_.size() * kBlock) {
      blocks_.push_back(std::make_unique<Entry[]>(kBlock));
    }
    MutableEntry(size_) = Entry(key, Value{});
    slots_[slot].key = key;
    slots_[slot].index = static_cast<std::uint32_t>(++size_);
    return static_cast<std::uint32_t>(size_ - 1);
  }

  Entry& MutableEntry(std::size_t index) {
    return blocks_[index >> kBlockShift][index & (kBlock - 1)];
  }

  void Reset(std::size_t capacity) {
    std::size_t size = 16;
    while (size < capacity) {
      size *= 2;
    }
    slots_ = std::vector<Slot>(size);
    mask_ = size - 1;
    blocks_.clear();
    blocks_.shrink_to_fit();
    size_ = 0;
  }

  void Grow() {
    std::vector<Slot> bigger(slots_.size() * 2);
    const std::size_t mask = bigger.size() - 1;
    for (std::size_t i = 0; i < size_; ++i) {
      const Key& key = EntryAt(i).first;
      std::size_t slot = Hash{}(key)&mask;
      while (bigger[slot].index != 0) {
        slot = (slot + 1) & mask;
      }
      bigger[slot].key = key;
      bigger[slot].index = static_cast<std::uint32_t>(i + 1);
    }
    slots_ = std::move(bigger);
    mask_ = mask;
  }

  std::vector<Slot> slots_;
  std::vector<std::unique_ptr<Entry[]>> blocks_;
  std::size_t size_ = 0;
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
