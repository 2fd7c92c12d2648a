// flowd-load: the load tool of issue 7. See bench/load/README.md.
#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "bench_run.h"
#include "report.h"

#ifndef FLOWD_DAEMON_PATH
#define FLOWD_DAEMON_PATH "onefirewall-flowd"
#endif

namespace {

using namespace flowd::load;

std::filesystem::path make_work_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "flowd-load.XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

// Ours decoded something in every run (the smoke tests' check).
bool ours_decoded(const std::vector<RunResult>& runs) {
  for (const RunResult& r : runs) {
    if (r.kind != ReceiverKind::kFlowd) continue;
    if (r.achieved_fps() <= 0 || !r.decoded || *r.decoded <= 0) return false;
  }
  return true;
}

std::vector<RunResult> run_rounds(const Options& options, const std::filesystem::path& work_dir) {
  std::vector<RunResult> runs;
  const uint32_t rounds = effective_rounds(options);
  for (uint32_t round = 1; round <= rounds; ++round) {
    std::vector<ReceiverKind> kinds{ReceiverKind::kFlowd};
    if (options.peer) kinds.push_back(*options.peer);
    for (const ReceiverKind kind : kinds) {
      const auto dir = work_dir / (std::string(to_string(kind)) + "-" + std::to_string(round));
      // Written-back pages of an earlier round must not be charged to this one.
      sync();
      runs.push_back(run_once(options, kind, dir));
      print_run(std::cout, runs.back(), static_cast<int>(round));
      // nfcapd writes ~100 bytes a flow; piled up, one round's files make the
      // next round's page-cache writes dearer (measured: 110 -> 290 us per 1k flows).
      std::error_code ignored;
      if (!options.keep) std::filesystem::remove_all(dir, ignored);
    }
  }
  return runs;
}

int run(int argc, char** argv) {
  const ParseResult parsed = parse_options(argc, argv, FLOWD_DAEMON_PATH);
  if (!parsed.options) return parsed.exit_code;
  Options options = *parsed.options;
  if (options.datagram_rate) {
    const auto per_datagram = make_encoder(options.protocol)->flows_per_datagram();
    options.flows_per_second = *options.datagram_rate * static_cast<double>(per_datagram);
  }
  const std::filesystem::path work_dir = make_work_dir();
  print_header(std::cout, options);
  print_table_head(std::cout);
  std::vector<RunResult> runs;
  try {
    runs = run_rounds(options, work_dir);
  } catch (...) {
    std::cerr << "flowd-load: logs kept in " << work_dir.string() << "\n";
    throw;
  }
  print_summary(std::cout, options, runs);
  std::cout
      << "cpu_us_per_1k_flows: receiver CPU (all threads and child processes, /proc schedstat) per 1000 "
         "flows that reached its socket; achieved = sent minus kernel drops\n";
  std::cout << "reproduce: " << reproduce_command(argv[0], options) << "\n";
  std::error_code ignored;
  if (options.keep)
    std::cout << "work directory kept: " << work_dir.string() << "\n";
  else
    std::filesystem::remove_all(work_dir, ignored);
  if (options.require_decoded && !ours_decoded(runs)) {
    std::cerr << "flowd-load: onefirewall-flowd decoded no flows\n";
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "flowd-load: " << e.what() << "\n";
    return 2;
  }
}
