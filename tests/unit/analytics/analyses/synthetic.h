// A portable, seeded noise source for synthetic test series (std::mt19937's output is fixed by
// the standard; the normal approximation below avoids the implementation-defined
// std::normal_distribution).
#pragma once

#include <cstdint>
#include <random>

namespace citydip::analytics::testing {

class Noise {
 public:
  explicit Noise(std::uint32_t seed) : engine_(seed) {}
  /// Uniform on [0, 1).
  double Uniform() { return static_cast<double>(engine_()) / 4294967296.0; }
  /// Approximately standard normal (Irwin–Hall sum of 12 uniforms).
  double Normal() {
    double sum = 0.0;
    for (int i = 0; i < 12; ++i) {
      sum += Uniform();
    }
    return sum - 6.0;
  }

 private:
  std::mt19937 engine_;
};

}  // namespace citydip::analytics::testing
