#include "onefirewall_flowd/app/cli.h"

#include <string_view>

#include "onefirewall_flowd/app/version.h"

namespace flowd {

namespace {

std::variant<CliOptions, CliError> parse_replay(std::span<const char* const> args) {
  CliOptions options;
  options.command = CliOptions::Command::kReplay;
  ReplayOptions& r = options.replay;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--config" || arg == "-c" || arg == "--exporter") {
      if (i + 1 >= args.size()) return CliError{std::string(arg) + " needs a value"};
      (arg == "--exporter" ? r.raw_exporter : r.config_path) = args[++i];
    } else if (arg.starts_with("--config=")) {
      r.config_path = std::string(arg.substr(9));
    } else if (arg == "--explain") {
      r.explain = true;
    } else if (arg.starts_with("-") && arg != "-") {
      return CliError{"replay: unknown option '" + std::string(arg) + "'"};
    } else {
      r.captures.emplace_back(arg);
    }
  }
  if (r.captures.empty()) return CliError{"replay needs at least one capture file"};
  return options;
}

std::variant<CliOptions, CliError> parse_status(std::span<const char* const> args) {
  CliOptions options;
  options.command = CliOptions::Command::kStatus;
  options.status.config_path = kDefaultConfigPath;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--config" || arg == "-c") {
      if (i + 1 >= args.size()) return CliError{"--config needs a file"};
      options.status.config_path = args[++i];
    } else if (arg.starts_with("--config=")) {
      options.status.config_path = std::string(arg.substr(9));
    } else if (arg == "--json") {
      options.status.json = true;
    } else {
      return CliError{"status: unknown argument '" + std::string(arg) + "'"};
    }
  }
  return options;
}

}  // namespace

std::variant<CliOptions, CliError> parse_cli(std::span<const char* const> args) {
  if (!args.empty() && std::string_view(args[0]) == "replay") return parse_replay(args.subspan(1));
  if (!args.empty() && std::string_view(args[0]) == "status") return parse_status(args.subspan(1));
  CliOptions options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--config" || arg == "-c") {
      if (i + 1 >= args.size()) return CliError{"--config needs a file"};
      options.config_path = args[++i];
    } else if (arg.starts_with("--config=")) {
      options.config_path = std::string(arg.substr(9));
    } else if (arg == "--dry-run") {
      options.dry_run = true;
    } else if (arg == "--check-config") {
      options.command = CliOptions::Command::kCheckConfig;
    } else if (arg == "--version") {
      options.command = CliOptions::Command::kVersion;
      return options;
    } else if (arg == "--help" || arg == "-h") {
      options.command = CliOptions::Command::kHelp;
      return options;
    } else {
      return CliError{"unknown argument '" + std::string(arg) + "'"};
    }
  }
  return options;
}

std::string usage_text() {
  return std::string(
             "Usage: onefirewall-flowd [--config FILE] [--dry-run]\n"
             "       onefirewall-flowd --check-config [--config FILE]\n"
             "       onefirewall-flowd replay [--config FILE] [--explain] [--exporter ADDR] CAPTURE...\n"
             "       onefirewall-flowd status [--config FILE] [--json]\n"
             "       onefirewall-flowd --version | --help\n"
             "\n"
             "Collects NetFlow v5/v9 and IPFIX from routers and firewalls and delivers\n"
             "them to OneFirewall's NetFlow Security Analysis API.\n"
             "\n"
             "  -c, --config FILE  configuration file (default ") +
         kDefaultConfigPath +
         ")\n"
         "      --dry-run      write each record to stdout as one JSON line instead of uploading\n"
         "      --check-config validate the configuration and exit (0 good, 1 bad)\n"
         "      --version      print the version and exit\n"
         "  -h, --help         print this help and exit\n"
         "\n"
         "replay decodes pcap/pcapng captures (UDP on any port) or raw datagram files offline\n"
         "and prints the records as --dry-run does; without --config it uses the built-in\n"
         "defaults. --explain adds, per flow, which rule decided each field or why it was\n"
         "dropped; --exporter names the sender of raw files (default 0.0.0.0).\n"
         "\n"
         "status asks the running daemon, through the metrics endpoint its config names,\n"
         "how it is doing: exporters, decode errors, records, delivery, backlog. --json\n"
         "prints the same for scripts. Exit codes: 0 healthy, 1 degraded, 3 not running\n"
         "or unreachable, 4 config unreadable.\n"
         "\n"
         "Signals: SIGTERM/SIGINT stop gracefully; SIGHUP reloads the configuration.\n"
         "Exit codes: 0 ok, 1 config or usage error, 2 runtime failure.\n";
}

std::string version_text() {
  return std::string("onefirewall-flowd ") + kVersion + "\n";
}

}  // namespace flowd
