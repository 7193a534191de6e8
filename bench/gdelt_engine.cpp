// Engine-only GDELT barometer run, for bench/gdelt-vs-duckdb: ingests files with the same code as
// `citydip gdelt ingest` but without a database, and writes the monthly country-pair barometer
// in the shelf's comparison format (a1 a2 month n sum_g mean_g mean_tone sum_nm wmean_g
// wmean_tone q1 q2 q3 q4; wmean_tone is not computed by citydip and written as 0).
//
//   gdelt_engine [--threads N] [--no-md5] [--out FILE.tsv] FILE|DIR|GLOB...
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "citydip/ingest/gdelt/gdelt_ingest.h"

namespace gdelt = citydip::ingest::gdelt;

int main(int argc, char** argv) {
  int threads = 0;
  bool no_md5 = false;
  std::string out_path;
  std::vector<std::string> inputs;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--threads" && i + 1 < argc) {
      threads = std::atoi(argv[++i]);
    } else if (arg == "--no-md5") {
      no_md5 = true;
    } else if (arg == "--out" && i + 1 < argc) {
      out_path = argv[++i];
    } else {
      inputs.push_back(arg);
    }
  }
  auto files = gdelt::ExpandInputs(inputs);
  if (!files) {
    std::fprintf(stderr, "gdelt_engine: %s\n", files.error().ToString().c_str());
    return 1;
  }
  gdelt::IngestOptions options;
  options.threads = threads;
  options.compute_md5 = !no_md5;
  options.flush_groups = std::size_t{1} << 30;  // one batch: the result is printed at the end
  std::vector<gdelt::PairRow> pairs;
  auto report = gdelt::IngestFiles(*files, options, {}, [&](const gdelt::IngestBatch& batch) {
    pairs = gdelt::AllPairs(batch);
    return citydip::Ok();
  });
  if (!report) {
    std::fprintf(stderr, "gdelt_engine: %s\n", report.error().ToString().c_str());
    return 1;
  }
  if (!out_path.empty()) {
    FILE* out = std::fopen(out_path.c_str(), "w");
    if (out == nullptr) {
      std::perror(out_path.c_str());
      return 1;
    }
    std::fprintf(out,
                 "a1\ta2\tmonth\tn\tsum_g\tmean_g\tmean_tone\tsum_nm\twmean_g\twmean_tone\t"
                 "q1\tq2\tq3\tq4\n");
    for (const auto& row : pairs) {
      if (row.kind != gdelt::PairKind::kCountry) {
        continue;
      }
      const auto date = gdelt::CivilFromDays(row.period_start);
      const auto& s = row.stats;
      std::fprintf(
          out, "%s\t%s\t%d\t%lld\t%.17g\t%.17g\t%.17g\t%lld\t%.17g\t0\t%lld\t%lld\t%lld\t%lld\n",
          row.actor1.c_str(), row.actor2.c_str(), date.year * 100 + date.month,
          static_cast<long long>(s.events), s.goldstein_sum, s.GoldsteinMean(), s.ToneMean(),
          static_cast<long long>(s.mentions), s.GoldsteinMentionsWeighted(),
          static_cast<long long>(s.quad[0]), static_cast<long long>(s.quad[1]),
          static_cast<long long>(s.quad[2]), static_cast<long long>(s.quad[3]));
    }
    std::fclose(out);
  }
  std::fprintf(stderr,
               "gdelt_engine files=%zu ingested=%zu failed=%zu rows=%llu bad=%llu threads=%d "
               "input_bytes=%llu data_bytes=%llu sec=%.3f MB/s=%.0f\n",
               report->files.size(), report->ingested, report->failed,
               static_cast<unsigned long long>(report->rows),
               static_cast<unsigned long long>(report->bad_rows), report->threads,
               static_cast<unsigned long long>(report->input_bytes),
               static_cast<unsigned long long>(report->data_bytes), report->seconds,
               static_cast<double>(report->data_bytes) / report->seconds / 1e6);
  for (const auto& file : report->files) {
    if (file.error) {
      std::fprintf(stderr, "  %s\n", file.error->ToString().c_str());
    }
  }
  return report->failed == 0 ? 0 : 1;
}
