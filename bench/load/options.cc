#include "options.h"

#include <arpa/inet.h>

#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string_view>

namespace flowd::load {
namespace {

constexpr double kMaxDuration = 120;
constexpr double kMaxRate = 20'000'000;
constexpr uint32_t kMaxExporters = 254;
constexpr uint64_t kMaxConversations = 1u << 24;
constexpr uint32_t kMaxRounds = 10;

constexpr const char* kUsage = R"(usage: flowd-load [options]
Sends NetFlow v5/v9/IPFIX over loopback to onefirewall-flowd (--dry-run, reduce on) and,
with --peer, to nfcapd or nfacctd in alternating rounds; reports flows/s, CPU per 1k flows,
kernel socket drops and peak RSS.
  --protocol v5|v9|ipfix    (default v5)
  --rate FLOWS_PER_SEC      offered flows/s (default 600000)
  --datagram-rate N         offered datagrams/s instead of --rate
  --duration SECONDS        send window, at most 120 (default 10)
  --exporters N             exporters 127.0.1.1..N, at most 254 (default 4)
  --conversations K         recurring conversations (default 10000)
  --distinct                every conversation new (for the reduce-table RSS target)
  --workers N               our daemon's `workers` (default: its own, one per core but one)
  --peer nfcapd|nfacctd     also run the peer, alternating with ours
  --rounds R                rounds, at most 10 (default 2 with --peer, else 1)
  --daemon PATH             our binary (default: the one built with this tool)
  --target ADDR             receiver address, inside 127.0.0.0/8 (default 127.0.0.1)
  --port P                  receiver UDP port (default: a free one)
  --require-decoded         exit 1 unless our daemon decoded flows (smoke tests)
  --keep                    keep the work directory: configs, logs, the peers' output
)";

bool parse_number(std::string_view text, double& out) {
  const std::string s(text);
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return !s.empty() && end == s.c_str() + s.size();
}

bool parse_protocol(std::string_view v, Protocol& out) {
  if (v == "v5")
    out = Protocol::kV5;
  else if (v == "v9")
    out = Protocol::kV9;
  else if (v == "ipfix")
    out = Protocol::kIpfix;
  else
    return false;
  return true;
}

bool parse_peer(std::string_view v, std::optional<ReceiverKind>& out) {
  if (v == "nfcapd")
    out = ReceiverKind::kNfcapd;
  else if (v == "nfacctd")
    out = ReceiverKind::kNfacctd;
  else
    return false;
  return true;
}

bool in_range(double v, double low, double high) {
  return v >= low && v <= high;
}

// Applies one "--name value" option; false if the value is bad.
bool apply(Options& o, std::string_view name, std::string_view value) {
  double n = 0;
  const bool numeric = parse_number(value, n);
  if (name == "--protocol") return parse_protocol(value, o.protocol);
  if (name == "--peer") return parse_peer(value, o.peer);
  if (name == "--daemon") return !(o.daemon_path = value).empty();
  if (name == "--target") return !(o.target = value).empty();
  if (!numeric) return false;
  if (name == "--rate") return in_range(o.flows_per_second = n, 1, kMaxRate);
  if (name == "--datagram-rate") return in_range(*(o.datagram_rate = n), 1, kMaxRate / 24);
  if (name == "--duration") return in_range(o.duration_s = n, 0.1, kMaxDuration);
  if (name == "--exporters") return in_range(n, 1, kMaxExporters) && (o.exporters = static_cast<uint32_t>(n));
  if (name == "--conversations") {
    return in_range(n, 1, kMaxConversations) && (o.conversations = static_cast<uint64_t>(n));
  }
  if (name == "--workers") return in_range(n, 0, 64) && (o.workers = static_cast<uint32_t>(n), true);
  if (name == "--rounds") return in_range(n, 1, kMaxRounds) && (o.rounds = static_cast<uint32_t>(n));
  if (name == "--port") return in_range(n, 1, 65535) && (o.port = static_cast<uint16_t>(n));
  return false;
}

bool loopback_target(const std::string& target) {
  in_addr a{};
  return inet_pton(AF_INET, target.c_str(), &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

ParseResult usage_error(const std::string& why) {
  std::cerr << "flowd-load: " << why << "\n" << kUsage;
  return {std::nullopt, 1};
}

}  // namespace

ParseResult parse_options(int argc, char** argv, const std::string& default_daemon) {
  Options o;
  o.daemon_path = default_daemon;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return {std::nullopt, 0};
    }
    if (arg == "--distinct")
      o.distinct = true;
    else if (arg == "--require-decoded")
      o.require_decoded = true;
    else if (arg == "--keep")
      o.keep = true;
    else if (i + 1 >= argc)
      return usage_error("missing value or unknown option: " + std::string(arg));
    else if (!apply(o, arg, argv[++i]))
      return usage_error("bad option: " + std::string(arg) + " " + argv[i]);
  }
  if (!loopback_target(o.target))
    return usage_error("refusing target " + o.target + ": loopback (127.0.0.0/8) only");
  return {o, 0};
}

uint32_t effective_rounds(const Options& o) {
  if (o.rounds != 0) return o.rounds;
  return o.peer ? 2 : 1;
}

in_addr target_address(const Options& options) {
  in_addr a{};
  inet_pton(AF_INET, options.target.c_str(), &a);
  return a;
}

std::string reproduce_command(const std::string& program, const Options& o) {
  std::ostringstream cmd;
  cmd << program << " --protocol " << to_string(o.protocol);
  if (o.datagram_rate)
    cmd << " --datagram-rate " << *o.datagram_rate;
  else
    cmd << " --rate " << static_cast<uint64_t>(o.flows_per_second);
  cmd << " --duration " << o.duration_s << " --exporters " << o.exporters;
  if (o.distinct)
    cmd << " --distinct";
  else
    cmd << " --conversations " << o.conversations;
  if (o.workers) cmd << " --workers " << *o.workers;
  if (o.peer) cmd << " --peer " << to_string(*o.peer);
  if (o.peer || o.rounds != 0) cmd << " --rounds " << effective_rounds(o);
  if (o.target != "127.0.0.1") cmd << " --target " << o.target;
  if (o.port != 0) cmd << " --port " << o.port;
  return cmd.str();
}

}  // namespace flowd::load
