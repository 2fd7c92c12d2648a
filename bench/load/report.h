// The table flowd-load prints.
#pragma once

#include <ostream>
#include <vector>

#include "bench_run.h"
#include "options.h"

namespace flowd::load {

void print_header(std::ostream& out, const Options& options);
void print_table_head(std::ostream& out);
void print_run(std::ostream& out, const RunResult& run, int round);
// Means per receiver, the ratios ours / peer, and warnings (sender behind, receiver died).
void print_summary(std::ostream& out, const Options& options, const std::vector<RunResult>& runs);

}  // namespace flowd::load
