// analyses_bench: each analysis of `citydip analyze` timed on the Seoul–China reference registry
// (issue 4: under 100 ms each), through the same app use case the CLI calls — opening nothing new:
// the registry is imported once into a temporary SQLite file, and every iteration loads it,
// resolves the scope, reads the national index file and runs the analysis.
//
//   build/bench/analyses_bench [--benchmark_min_time=0.2]     (run from the repository root)
#include <stdlib.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "citydip/app/analysis_service.h"
#include "citydip/app/registry_service.h"
#include "citydip/app/store_factory.h"

namespace {

namespace fs = std::filesystem;

struct Fixture {
  fs::path dir;
  std::string db;
  std::unique_ptr<citydip::storage::Store> store;
};

Fixture& Shared() {
  static Fixture fixture = [] {
    Fixture f;
    std::string pattern = (fs::temp_directory_path() / "citydip-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      std::cerr << "cannot create a temporary directory\n";
      std::exit(1);
    }
    f.dir = pattern;
    f.db = (f.dir / "registry.db").string();
    auto store = citydip::app::OpenStore(f.db);
    if (!store) {
      std::cerr << store.error().ToString() << "\n";
      std::exit(1);
    }
    f.store = std::move(*store);
    const fs::path data = fs::path(CITYDIP_SOURCE_DIR) / "data" / "seoul-china";
    std::vector<std::string> files;
    for (const char* kind : {"cities", "organizations", "partner_relations", "memberships",
                             "officials", "mechanisms", "events"}) {
      files.push_back((data / (std::string(kind) + ".csv")).string());
    }
    if (auto imported = citydip::app::ImportFiles(*f.store, files, {}); !imported) {
      std::cerr << imported.error().ToString() << "\n";
      std::exit(1);
    }
    return f;
  }();
  return fixture;
}

citydip::app::AnalysisRequest Request(const std::string& name) {
  citydip::app::AnalysisRequest request;
  request.name = name;
  request.db = Shared().db;
  request.home = "Seoul";
  request.partner = name == "barometer" || name == "shocks" ? "CHN" : "Beijing";
  if (name == "barometer" || name == "shocks" || name == "summary") {
    request.index_file = std::string(CITYDIP_SOURCE_DIR) +
                         "/data/national-index/china-kor-friction-goldstein-monthly.csv";
  }
  return request;
}

void BM_Analysis(benchmark::State& state, const std::string& name) {
  Fixture& fixture = Shared();
  const auto request = Request(name);
  for (auto _ : state) {
    auto report = citydip::app::RunAnalysis(*fixture.store, request);
    if (!report) {
      state.SkipWithError(report.error().ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(report);
  }
}

void BM_Summary(benchmark::State& state) {
  Fixture& fixture = Shared();
  const auto request = Request("summary");
  for (auto _ : state) {
    auto summary = citydip::app::SummarizeAnalyses(*fixture.store, request);
    benchmark::DoNotOptimize(summary);
  }
}

}  // namespace

int main(int argc, char** argv) {
  // image needs GDELT rows for KOR–CHN, which the shipped samples do not have: not timed here.
  for (const auto& name : citydip::app::AnalysisNames()) {
    if (name != "image") {
      benchmark::RegisterBenchmark(("analyze/" + name).c_str(), BM_Analysis, name)
          ->Unit(benchmark::kMillisecond);
    }
  }
  benchmark::RegisterBenchmark("analyze/summary", BM_Summary)->Unit(benchmark::kMillisecond);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ignored;
  Shared().store.reset();
  fs::remove_all(Shared().dir, ignored);
  return 0;
}
