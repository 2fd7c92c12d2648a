#include "onefirewall_flowd/app/cli.h"

#include <string_view>

#include "onefirewall_flowd/app/version.h"

namespace flowd {

std::variant<CliOptions, CliError> parse_cli(std::span<const char* const> args) {
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
      return CliOptions{CliOptions::Command::kVersion, options.config_path, false};
    } else if (arg == "--help" || arg == "-h") {
      return CliOptions{CliOptions::Command::kHelp, options.config_path, false};
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
         "Signals: SIGTERM/SIGINT stop gracefully; SIGHUP reloads the configuration.\n"
         "Exit codes: 0 ok, 1 config or usage error, 2 runtime failure.\n";
}

std::string version_text() { return std::string("onefirewall-flowd ") + kVersion + "\n"; }

}  // namespace flowd
