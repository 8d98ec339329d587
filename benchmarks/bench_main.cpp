// Runs every benchmark with repetitions (medians by default) and prints, per operation, the
// ratio prisma/raw of the median times, so targets like "within 1.10x" read off directly.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace {

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs) {
      if (r.run_type != Run::RT_Aggregate || r.aggregate_name != "median") continue;
      std::string name = r.run_name.function_name;  // op/backend/impl
      auto slash = name.rfind('/');
      if (slash == std::string::npos) continue;
      times_[name.substr(0, slash)][name.substr(slash + 1)] = {r.GetAdjustedRealTime(), r.GetAdjustedCPUTime()};
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    // Wall-clock medians decide the targets; CPU time (this process only) shows what the client
    // itself costs when the database's I/O makes wall times noisy.
    std::printf("\n%-28s %12s %12s %8s %10s\n", "operation (median)", "raw", "prisma", "ratio", "cpu ratio");
    for (const auto& [op, impls] : times_) {
      auto raw = impls.find("raw"), orm = impls.find("prisma");
      if (raw == impls.end() || orm == impls.end()) continue;
      std::printf("%-28s %12.2f %12.2f %7.3fx %9.3fx\n", op.c_str(), raw->second.first, orm->second.first,
                  orm->second.first / raw->second.first, orm->second.second / raw->second.second);
    }
  }

 private:
  std::map<std::string, std::map<std::string, std::pair<double, double>>> times_;  // wall, cpu
};

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> args(argv, argv + argc);
  bool has_reps = false;
  for (int i = 1; i < argc; ++i) has_reps |= std::string(argv[i]).rfind("--benchmark_repetitions", 0) == 0;
  static char reps[] = "--benchmark_repetitions=9";
  static char agg[] = "--benchmark_report_aggregates_only=true";
  if (!has_reps) {
    args.push_back(reps);
    args.push_back(agg);
  }
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
