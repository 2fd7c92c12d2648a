#include "onefirewall_flowd/app/cli.h"

#include <gtest/gtest.h>

#include <vector>

namespace flowd {
namespace {

std::variant<CliOptions, CliError> parse(std::vector<const char*> args) {
  return parse_cli(args);
}

TEST(Cli, DefaultsToRunningWithTheSystemConfig) {
  const auto o = std::get<CliOptions>(parse({}));
  EXPECT_EQ(o.command, CliOptions::Command::kRun);
  EXPECT_EQ(o.config_path, kDefaultConfigPath);
  EXPECT_FALSE(o.dry_run);
}

TEST(Cli, ParsesConfigAndDryRun) {
  const auto o = std::get<CliOptions>(parse({"--config", "/tmp/x.yaml", "--dry-run"}));
  EXPECT_EQ(o.config_path, "/tmp/x.yaml");
  EXPECT_TRUE(o.dry_run);
  EXPECT_EQ(std::get<CliOptions>(parse({"--config=/a.yaml"})).config_path, "/a.yaml");
  EXPECT_EQ(std::get<CliOptions>(parse({"-c", "/b.yaml"})).config_path, "/b.yaml");
}

TEST(Cli, ParsesCommands) {
  EXPECT_EQ(std::get<CliOptions>(parse({"--check-config"})).command, CliOptions::Command::kCheckConfig);
  EXPECT_EQ(std::get<CliOptions>(parse({"--version"})).command, CliOptions::Command::kVersion);
  EXPECT_EQ(std::get<CliOptions>(parse({"--help"})).command, CliOptions::Command::kHelp);
}

TEST(Cli, RejectsUnknownArgumentsAndMissingValues) {
  EXPECT_EQ(std::get<CliError>(parse({"--bogus"})).message, "unknown argument '--bogus'");
  EXPECT_EQ(std::get<CliError>(parse({"--config"})).message, "--config needs a file");
}

TEST(Cli, ParsesStatusWithConfigAndJson) {
  const auto plain = std::get<CliOptions>(parse({"status"}));
  EXPECT_EQ(plain.command, CliOptions::Command::kStatus);
  EXPECT_EQ(plain.status.config_path, kDefaultConfigPath);
  EXPECT_FALSE(plain.status.json);
  const auto o = std::get<CliOptions>(parse({"status", "--config", "/x.yaml", "--json"}));
  EXPECT_EQ(o.status.config_path, "/x.yaml");
  EXPECT_TRUE(o.status.json);
  EXPECT_EQ(std::get<CliOptions>(parse({"status", "--config=/y.yaml"})).status.config_path, "/y.yaml");
  EXPECT_EQ(std::get<CliError>(parse({"status", "--dry-run"})).message,
            "status: unknown argument '--dry-run'");
  EXPECT_EQ(std::get<CliError>(parse({"status", "--config"})).message, "--config needs a file");
}

TEST(Cli, UsageNamesEveryOption) {
  const auto usage = usage_text();
  for (const char* option :
       {"--config", "--dry-run", "--check-config", "--version", "--help", "status", "--json"}) {
    EXPECT_NE(usage.find(option), std::string::npos) << option;
  }
}

}  // namespace
}  // namespace flowd
