// Runs every benchmark with repetitions (medians by default) and prints, per operation, the
// ratio prisma/raw of the median times, so targets like "within 1.10x" read off directly.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace {

// Wraps the reporter Google Benchmark's --benchmark_format chose (console, json or csv) and
// prints, after it, the ratio table: on stdout for the console format, on stderr otherwise, so
// `--benchmark_format=json > b.json` stays valid JSON.
class RatioReporter : public benchmark::BenchmarkReporter {
 public:
  explicit RatioReporter(std::unique_ptr<benchmark::BenchmarkReporter> inner, bool console)
      : inner_(std::move(inner)), table_(console ? stdout : stderr) {}

  bool ReportContext(const Context& context) override {
    inner_->SetOutputStream(&GetOutputStream());
    inner_->SetErrorStream(&GetErrorStream());
    return inner_->ReportContext(context);
  }
  void ReportRuns(const std::vector<Run>& runs) override {
    inner_->ReportRuns(runs);
    for (const auto& r : runs) {
      if (r.run_type != Run::RT_Aggregate || r.aggregate_name != "median") continue;
      std::string name = r.run_name.function_name;  // op/backend/impl
      auto slash = name.rfind('/');
      if (slash == std::string::npos) continue;
      std::string op = name.substr(0, slash), impl = name.substr(slash + 1);
      if (!r.run_name.threads.empty()) {  // ->Threads(n): the total rate, per thread count
        auto rate = r.counters.find("items_per_second");
        if (rate != r.counters.end()) rates_[op][impl][r.threads] = rate->second.value;
        op += "/" + r.run_name.threads;
      }
      times_[op][impl] = {r.GetAdjustedRealTime(), r.GetAdjustedCPUTime()};
    }
  }
  void Finalize() override {
    inner_->Finalize();
    GetOutputStream().flush();
    // Wall-clock medians decide the targets; CPU time (this process only) shows what the client
    // itself costs when the database's I/O makes wall times noisy.
    std::fprintf(table_, "\n%-28s %12s %12s %8s %10s\n", "operation (median)", "raw", "prisma", "ratio", "cpu ratio");
    for (const auto& [op, impls] : times_) {
      auto raw = impls.find("raw"), orm = impls.find("prisma");
      if (raw == impls.end() || orm == impls.end()) continue;
      std::fprintf(table_, "%-28s %12.2f %12.2f %7.3fx %9.3fx\n", op.c_str(), raw->second.first, orm->second.first,
                   orm->second.first / raw->second.first, orm->second.second / raw->second.second);
    }
    // Benchmarks run by several threads: operations per second of all threads together, and the
    // speed-up over one thread.
    for (const auto& [op, impls] : rates_) {
      std::fprintf(table_, "\n%-28s %8s %14s %8s %14s %8s\n", (op + " (median)").c_str(), "threads", "raw ops/s",
                   "speedup", "prisma ops/s", "speedup");
      const auto& raw = impls.count("raw") ? impls.at("raw") : std::map<int, double>{};
      const auto& orm = impls.count("prisma") ? impls.at("prisma") : std::map<int, double>{};
      for (const auto& [threads, raw_rate] : raw) {
        auto o = orm.find(threads);
        double orm_rate = o == orm.end() ? 0 : o->second;
        double raw1 = raw.count(1) ? raw.at(1) : 0, orm1 = orm.count(1) ? orm.at(1) : 0;
        std::fprintf(table_, "%-28s %8d %14.0f %7.2fx %14.0f %7.2fx\n", "", threads, raw_rate,
                     raw1 > 0 ? raw_rate / raw1 : 0.0, orm_rate, orm1 > 0 ? orm_rate / orm1 : 0.0);
      }
    }
  }

 private:
  std::unique_ptr<benchmark::BenchmarkReporter> inner_;
  std::FILE* table_;
  std::map<std::string, std::map<std::string, std::pair<double, double>>> times_;  // wall, cpu
  std::map<std::string, std::map<std::string, std::map<int, double>>> rates_;  // op -> impl -> threads -> ops/s
};

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> args(argv, argv + argc);
  bool has_reps = false;
  std::string format = "console";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    has_reps |= a.rfind("--benchmark_repetitions", 0) == 0;
    if (a.rfind("--benchmark_format=", 0) == 0) format = a.substr(std::string("--benchmark_format=").size());
  }
  static char reps[] = "--benchmark_repetitions=9";
  static char agg[] = "--benchmark_report_aggregates_only=true";
  if (!has_reps) {
    args.push_back(reps);
    args.push_back(agg);
  }
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 1;
  if (format != "console" && format != "json" && format != "csv") {
    std::fprintf(stderr, "unknown --benchmark_format=%s (console, json or csv)\n", format.c_str());
    return 1;
  }
  std::unique_ptr<benchmark::BenchmarkReporter> inner;
  if (format == "json") inner = std::make_unique<benchmark::JSONReporter>();
  else if (format == "csv") {
    // Google Benchmark deprecates its CSV reporter but still takes --benchmark_format=csv.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    inner = std::make_unique<benchmark::CSVReporter>();
#pragma GCC diagnostic pop
  }
  else inner = std::make_unique<benchmark::ConsoleReporter>();
  RatioReporter reporter(std::move(inner), format == "console");
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
