// Command line of flowd-load.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <optional>
#include <string>

#include "encoders.h"
#include "receiver.h"

namespace flowd::load {

struct Options {
  Protocol protocol = Protocol::kV5;
  double flows_per_second = 600000;
  double duration_s = 10;
  uint32_t exporters = 4;
  uint64_t conversations = 10000;
  bool distinct = false;
  std::optional<uint32_t> workers;  // our daemon's `workers`; unset: its default (one per core)
  std::optional<ReceiverKind> peer;
  uint32_t rounds = 0;  // 0: 2 with a peer, else 1
  std::string daemon_path;
  std::string target = "127.0.0.1";
  uint16_t port = 0;  // 0: a free one
  bool require_decoded = false;
  bool keep = false;  // keep the work directory (configs, logs, peers' output)
  std::optional<double> datagram_rate;  // given instead of --rate
};

struct ParseResult {
  std::optional<Options> options;  // empty: exit with `exit_code`
  int exit_code = 0;
};

ParseResult parse_options(int argc, char** argv, const std::string& default_daemon);

// The command line that reproduces a run with these options.
std::string reproduce_command(const std::string& program, const Options& options);

// The target as an address, guaranteed inside 127.0.0.0/8 by parse_options.
in_addr target_address(const Options& options);

uint32_t effective_rounds(const Options& options);

}  // namespace flowd::load
